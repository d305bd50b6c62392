package io.eventplane.identity.store;

import io.eventplane.identity.domain.Role;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Roles in the node's store (column family {@value #COLUMN_FAMILY}): {@code P r account \0 name -> role (JSON)}. */
public final class RoleStore {
  public static final String COLUMN_FAMILY = "iam";
  private static final byte ROLE = 'r';

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  public RoleStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(COLUMN_FAMILY);
  }

  public Future<Void> put(int partition, Role role, Context context) {
    Batch b = store.batch();
    b.put(cf, key(partition, role.accountId(), role.name().toLowerCase(java.util.Locale.ROOT)), RoleCodec.encode(role).toBuffer().getBytes());
    return writer.commit(partition, b, context);
  }

  public Future<Void> delete(int partition, Role role, Context context) {
    Batch b = store.batch();
    b.delete(cf, key(partition, role.accountId(), role.name().toLowerCase(java.util.Locale.ROOT)));
    return writer.commit(partition, b, context);
  }

  public Future<Void> clear(int partition, Context context) {
    Batch b = store.batch();
    b.deleteRange(cf, Partitions.prefix(partition), Partitions.end(partition));
    return writer.commit(partition, b, context);
  }

  /** Blocking. */
  public List<Role> load(int partition) {
    List<Role> out = new ArrayList<>();
    store.scan(cf, Keys.builder(4).bytes(Partitions.prefix(partition)).u8(ROLE).build(), (k, v) -> {
      out.add(RoleCodec.decode(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return out;
  }

  private static byte[] key(int partition, String account, String name) {
    return Keys.builder(80).bytes(Partitions.prefix(partition)).u8(ROLE).part(account).string(name).build();
  }
}
