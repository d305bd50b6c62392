package io.eventplane.identity.store;

import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.common.store.ColumnFamily;
import io.eventplane.common.store.Keys;
import io.eventplane.common.store.Store;
import io.eventplane.identity.domain.Group;
import io.eventplane.identity.domain.User;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Users, groups and the access-key index in the node's store, beside the roles (column family
 * {@value RoleStore#COLUMN_FAMILY}):
 * <ul>
 *   <li>{@code P u account \0 lower-case name -> user (JSON, its access keys' secrets sealed)}</li>
 *   <li>{@code P g account \0 lower-case name -> group (JSON)}</li>
 *   <li>{@code P k key id -> {account, user}}: in the partition the key id names, so that any node
 *       finds a key by its id alone</li>
 * </ul>
 * Each write is one batch of one partition through the partition writer (replicated with it).
 */
public final class UserStore {
  private static final byte USER = 'u';
  private static final byte GROUP = 'g';
  private static final byte KEY = 'k';

  private final Store store;
  private final PartitionWriter writer;
  private final ColumnFamily cf;

  /** Where an access key id leads: its user. */
  public record KeyOwner(String account, String userName) {}

  public UserStore(Store store, PartitionWriter writer) {
    this.store = store;
    this.writer = writer;
    this.cf = store.columnFamily(RoleStore.COLUMN_FAMILY);
  }

  /**
   * Writes a user (or deletes it: {@code user} null; nothing of a user when {@code account} is null)
   * and index entries of the same partition in one batch.
   *
   * @param index key id to its owner, or to null to drop the entry
   */
  public Future<Void> putUser(int partition, String account, String name, User user, Map<String, KeyOwner> index,
      Context context) {
    Batch b = store.batch();
    if (account != null) {
      byte[] key = key(partition, USER, account, name);
      if (user == null) b.delete(cf, key);
      else b.put(cf, key, UserCodec.encode(user).toBuffer().getBytes());
    }
    index.forEach((id, owner) -> {
      if (owner == null) b.delete(cf, indexKey(partition, id));
      else b.put(cf, indexKey(partition, id), owner(owner));
    });
    return writer.commit(partition, b, context);
  }

  /** Writes or drops index entries alone (a key whose user now lives in another partition). */
  public Future<Void> putIndex(int partition, Map<String, KeyOwner> index, Context context) {
    return putUser(partition, null, null, null, index, context);
  }

  public Future<Void> putGroup(int partition, String account, String name, Group group, Context context) {
    Batch b = store.batch();
    byte[] key = key(partition, GROUP, account, name);
    if (group == null) b.delete(cf, key);
    else b.put(cf, key, UserCodec.encode(group).toBuffer().getBytes());
    return writer.commit(partition, b, context);
  }

  /** Blocking. */
  public List<User> loadUsers(int partition) {
    List<User> out = new ArrayList<>();
    store.scan(cf, Keys.builder(4).bytes(Partitions.prefix(partition)).u8(USER).build(), (k, v) -> {
      out.add(UserCodec.decodeUser(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return out;
  }

  /** Blocking. */
  public List<Group> loadGroups(int partition) {
    List<Group> out = new ArrayList<>();
    store.scan(cf, Keys.builder(4).bytes(Partitions.prefix(partition)).u8(GROUP).build(), (k, v) -> {
      out.add(UserCodec.decodeGroup(new JsonObject(Buffer.buffer(v))));
      return true;
    });
    return out;
  }

  /** Blocking: the partition's index, key id to owner. */
  public Map<String, KeyOwner> loadIndex(int partition) {
    Map<String, KeyOwner> out = new java.util.HashMap<>();
    byte[] prefix = Keys.builder(4).bytes(Partitions.prefix(partition)).u8(KEY).build();
    store.scan(cf, prefix, (k, v) -> {
      JsonObject o = new JsonObject(Buffer.buffer(v));
      String id = new String(k, prefix.length, k.length - prefix.length, java.nio.charset.StandardCharsets.UTF_8);
      out.put(id, new KeyOwner(o.getString("account"), o.getString("user")));
      return true;
    });
    return out;
  }

  private static byte[] owner(KeyOwner o) {
    return new JsonObject().put("account", o.account()).put("user", o.userName()).toBuffer().getBytes();
  }

  private static byte[] key(int partition, byte type, String account, String name) {
    return Keys.builder(80).bytes(Partitions.prefix(partition)).u8(type).part(account)
        .string(name.toLowerCase(Locale.ROOT)).build();
  }

  private static byte[] indexKey(int partition, String keyId) {
    return Keys.builder(30).bytes(Partitions.prefix(partition)).u8(KEY).string(keyId).build();
  }
}
