package io.eventplane.identity.store;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.eventplane.identity.domain.ManagedPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Customer managed policies in the node's store, beside the roles (column family
 * {@value RoleStore#COLUMN_FAMILY}): {@code P m account \0 lower-case name -> policy (JSON)}.
 */
public final class PolicyStore {
  private static final byte POLICY = 'm';

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  public PolicyStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(RoleStore.COLUMN_FAMILY);
  }

  public Future<Void> put(int partition, ManagedPolicy policy, Context context) {
    Batch b = store.batch();
    b.put(cf, key(partition, policy), encode(policy).toBuffer().getBytes());
    return writer.commit(partition, b, context);
  }

  public Future<Void> delete(int partition, ManagedPolicy policy, Context context) {
    Batch b = store.batch();
    b.delete(cf, key(partition, policy));
    return writer.commit(partition, b, context);
  }

  /** Blocking. */
  public List<ManagedPolicy> load(int partition) {
    List<ManagedPolicy> out = new ArrayList<>();
    store.scan(cf, Keys.builder(4).bytes(Partitions.prefix(partition)).u8(POLICY).build(), (k, v) -> {
      out.add(decode(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return out;
  }

  private static byte[] key(int partition, ManagedPolicy p) {
    return Keys.builder(80).bytes(Partitions.prefix(partition)).u8(POLICY).part(p.accountId())
        .string(p.name().toLowerCase(Locale.ROOT)).build();
  }

  /** The stored form: member names kept stable across versions. */
  static JsonObject encode(ManagedPolicy p) {
    JsonObject tags = new JsonObject();
    p.tags().forEach(tags::put);
    JsonObject versions = new JsonObject();
    p.versions().forEach((n, v) -> versions.put(Integer.toString(n),
        new JsonObject().put("document", v.document()).put("created", v.createDate())));
    return new JsonObject().put("account", p.accountId()).put("name", p.name()).put("path", p.path())
        .put("id", p.policyId()).put("description", p.description()).put("tags", tags).put("versions", versions)
        .put("default", p.defaultVersion()).put("next", p.nextVersion()).put("created", p.createDate())
        .put("updated", p.updateDate());
  }

  static ManagedPolicy decode(JsonObject j) {
    Map<String, String> tags = new LinkedHashMap<>();
    j.getJsonObject("tags", new JsonObject()).forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    TreeMap<Integer, ManagedPolicy.Version> versions = new TreeMap<>();
    j.getJsonObject("versions", new JsonObject()).forEach(e -> {
      JsonObject v = (JsonObject) e.getValue();
      versions.put(Integer.parseInt(e.getKey()), new ManagedPolicy.Version(v.getString("document"), v.getLong("created")));
    });
    return new ManagedPolicy(j.getString("account"), j.getString("name"), j.getString("path"), j.getString("id"),
        j.getString("description"), tags, versions, j.getInteger("default"), j.getInteger("next"), j.getLong("created"),
        j.getLong("updated"));
  }
}
