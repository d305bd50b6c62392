package io.eventplane.identity.domain;

import io.eventplane.common.partition.Partitions;
import io.eventplane.identity.store.UserStore;
import io.eventplane.identity.store.UserStore.KeyOwner;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The IAM users of the partitions this node owns, in memory, with the access-key index entries of
 * those partitions (key id to its user), and their writes through the store. Users are global to
 * an account and named case-insensitively, partitioned by account and name apart from roles. Runs
 * on the IAM service's context only: no locks.
 */
public final class Users {
  private static final String SERVICE = "iam";

  private final Context context;
  private final UserStore store;
  private final TreeMap<String, User> users = new TreeMap<>();
  private final Map<String, KeyOwner> index = new HashMap<>();
  private final Map<Integer, Set<String>> byPartition = new HashMap<>();
  private final Map<Integer, Set<String>> indexByPartition = new HashMap<>();

  public Users(Context context, UserStore store) {
    this.context = context;
    this.store = store;
  }

  public static int partitionOf(String account, String name) {
    return Partitions.of(SERVICE, account, "user/" + name.toLowerCase(Locale.ROOT));
  }

  /** Loads a partition's users and index entries (reads on a worker thread). */
  public Future<Void> load(int partition) {
    return context.owner().executeBlocking(() -> Map.entry(store.loadUsers(partition), store.loadIndex(partition)))
        .map(loaded -> {
          Set<String> keys = byPartition.computeIfAbsent(partition, p -> new HashSet<>());
          for (User u : loaded.getKey()) {
            users.put(key(u.accountId(), u.name()), u);
            keys.add(key(u.accountId(), u.name()));
          }
          index.putAll(loaded.getValue());
          indexByPartition.computeIfAbsent(partition, p -> new HashSet<>()).addAll(loaded.getValue().keySet());
          return null;
        });
  }

  public void unload(int partition) {
    Set<String> keys = byPartition.remove(partition);
    if (keys != null) keys.forEach(users::remove);
    Set<String> ids = indexByPartition.remove(partition);
    if (ids != null) ids.forEach(index::remove);
  }

  public User find(String account, String name) {
    return users.get(key(account, name));
  }

  /** The user an access key id of an owned partition belongs to, or null. */
  public KeyOwner ownerOf(String keyId) {
    return index.get(keyId);
  }

  public List<User> ofAccount(String account) {
    List<User> out = new ArrayList<>();
    for (User u : users.values()) if (u.accountId().equals(account)) out.add(u);
    return out;
  }

  /** Writes a user with the index entries of its own partition in one batch. */
  public Future<Void> save(User u, Map<String, KeyOwner> indexHere) {
    int partition = partitionOf(u.accountId(), u.name());
    return store.putUser(partition, u.accountId(), u.name(), u, indexHere, context).map(x -> {
      users.put(key(u.accountId(), u.name()), u);
      byPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(key(u.accountId(), u.name()));
      remember(partition, indexHere);
      return null;
    });
  }

  public Future<Void> save(User u) {
    return save(u, Map.of());
  }

  public Future<Void> delete(User u) {
    int partition = partitionOf(u.accountId(), u.name());
    return store.putUser(partition, u.accountId(), u.name(), null, Map.of(), context).map(x -> {
      users.remove(key(u.accountId(), u.name()));
      Set<String> keys = byPartition.get(partition);
      if (keys != null) keys.remove(key(u.accountId(), u.name()));
      return null;
    });
  }

  /** Writes or drops index entries of an owned partition (null owner: drop). */
  public Future<Void> putIndex(int partition, Map<String, KeyOwner> entries) {
    return store.putIndex(partition, entries, context).map(x -> {
      remember(partition, entries);
      return null;
    });
  }

  private void remember(int partition, Map<String, KeyOwner> entries) {
    Set<String> ids = indexByPartition.computeIfAbsent(partition, p -> new HashSet<>());
    entries.forEach((id, owner) -> {
      if (owner == null) {
        index.remove(id);
        ids.remove(id);
      } else {
        index.put(id, owner);
        ids.add(id);
      }
    });
  }

  /** Forgets every user and index entry (dev-mode reset: the roles' reset deletes the partitions' keys). */
  public void forgetAll() {
    users.clear();
    index.clear();
    byPartition.values().forEach(Set::clear);
    indexByPartition.values().forEach(Set::clear);
  }

  private static String key(String account, String name) {
    return account + "\u0000" + name.toLowerCase(Locale.ROOT);
  }
}
