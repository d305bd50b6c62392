package io.eventplane.apigateway.store;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where API Gateway keeps its state (column family {@value #COLUMN_FAMILY}), every key starting with
 * its partition. State is kept by owner: an API ({@code a/<apiId>}) or a custom domain name
 * ({@code d/<account>/<region>/<name>}), with the resources it owns under it:
 *
 * <pre>
 *   P O owner \0                -> the owner's record (JSON)
 *   P C owner \0 kind \0 id     -> one resource it owns (route, integration, stage, deployment, authorizer, apimapping...; JSON)
 * </pre>
 *
 * A request's changes (an API with its quick-created route, integration and stage; a deletion with
 * everything under it) go in one batch through the partition's writer.
 */
public final class ApiGatewayStore {
  public static final String COLUMN_FAMILY = "apigateway";
  private static final byte OWNER = 'O';
  private static final byte CHILD = 'C';

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  public ApiGatewayStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(COLUMN_FAMILY);
  }

  /** A stored resource as read back. */
  public record Child(String owner, String kind, String id, JsonObject value) {}

  public Batch batch() {
    return store.batch();
  }

  /** Commits through the partition's writer; completes on {@code context} (replicated when clustered). */
  public Future<Void> commit(int partition, Batch batch, Context context) {
    return writer.commit(partition, batch, context);
  }

  public void putOwner(Batch b, int partition, String owner, JsonObject record) {
    b.put(cf, ownerKey(partition, owner), record.toBuffer().getBytes());
  }

  /** Deletes the owner and everything it owns. */
  public void deleteOwner(Batch b, int partition, String owner) {
    b.delete(cf, ownerKey(partition, owner));
    byte[] children = childPrefix(partition, owner);
    b.deleteRange(cf, children, Keys.prefixEnd(children));
  }

  public void putChild(Batch b, int partition, String owner, String kind, String id, JsonObject value) {
    b.put(cf, childKey(partition, owner, kind, id), value.toBuffer().getBytes());
  }

  public void deleteChild(Batch b, int partition, String owner, String kind, String id) {
    b.delete(cf, childKey(partition, owner, kind, id));
  }

  /** Blocking: call on a worker. The partition's owners' records. */
  public List<JsonObject> loadOwners(int partition) {
    List<JsonObject> out = new ArrayList<>();
    store.scan(cf, kind(partition, OWNER), (k, v) -> {
      out.add(new JsonObject(Buffer.buffer(v)));
      return true;
    });
    return out;
  }

  /** Blocking: call on a worker. The partition's owned resources. */
  public List<Child> loadChildren(int partition) {
    List<Child> out = new ArrayList<>();
    byte[] prefix = kind(partition, CHILD);
    store.scan(cf, prefix, (k, v) -> {
      String[] parts = new String(k, prefix.length, k.length - prefix.length, StandardCharsets.UTF_8).split("\0", 3);
      out.add(new Child(parts[0], parts[1], parts[2], new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return out;
  }

  /** Deletes every key of the partition (dev-mode reset). */
  public void clearPartition(Batch b, int partition) {
    b.deleteRange(cf, Partitions.prefix(partition), Partitions.end(partition));
  }

  private static byte[] kind(int partition, byte kind) {
    byte[] p = Partitions.prefix(partition);
    return new byte[] {p[0], p[1], kind};
  }

  private static byte[] ownerKey(int partition, String owner) {
    return Keys.builder(48).bytes(kind(partition, OWNER)).part(owner).build();
  }

  private static byte[] childPrefix(int partition, String owner) {
    return Keys.builder(48).bytes(kind(partition, CHILD)).part(owner).build();
  }

  private static byte[] childKey(int partition, String owner, String kind, String id) {
    return Keys.builder(64).bytes(childPrefix(partition, owner)).part(kind).string(id).build();
  }
}
