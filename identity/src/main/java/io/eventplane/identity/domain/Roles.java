package io.eventplane.identity.domain;

import io.eventplane.common.partition.Partitions;
import io.eventplane.identity.store.RoleStore;
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
 * The roles of the partitions this node owns, in memory, and their writes through the store. Roles
 * are global to an account (IAM has no regions) and named case-insensitively. Runs on the IAM
 * service's context only: no locks.
 */
public final class Roles {
  private static final String SERVICE = "iam";

  private final Context context;
  private final RoleStore store;
  private final TreeMap<String, Role> roles = new TreeMap<>();
  private final Map<Integer, Set<String>> byPartition = new HashMap<>();

  public Roles(Context context, RoleStore store) {
    this.context = context;
    this.store = store;
  }

  public static int partitionOf(String account, String name) {
    return Partitions.of(SERVICE, account, name.toLowerCase(Locale.ROOT));
  }

  /** Loads a partition's roles (reads on a worker thread). */
  public Future<Void> load(int partition) {
    return context.owner().executeBlocking(() -> store.load(partition)).map(loaded -> {
      Set<String> keys = byPartition.computeIfAbsent(partition, p -> new HashSet<>());
      for (Role r : loaded) {
        roles.put(key(r.accountId(), r.name()), r);
        keys.add(key(r.accountId(), r.name()));
      }
      return null;
    });
  }

  public void unload(int partition) {
    Set<String> keys = byPartition.remove(partition);
    if (keys != null) keys.forEach(roles::remove);
  }

  public Role find(String account, String name) {
    return roles.get(key(account, name));
  }

  public List<Role> ofAccount(String account) {
    List<Role> out = new ArrayList<>();
    for (Role r : roles.values()) if (r.accountId().equals(account)) out.add(r);
    return out;
  }

  public Future<Void> save(Role r) {
    int partition = partitionOf(r.accountId(), r.name());
    return store.put(partition, r, context).map(x -> {
      roles.put(key(r.accountId(), r.name()), r);
      byPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(key(r.accountId(), r.name()));
      return null;
    });
  }

  public Future<Void> delete(Role r) {
    int partition = partitionOf(r.accountId(), r.name());
    return store.delete(partition, r, context).map(x -> {
      roles.remove(key(r.accountId(), r.name()));
      Set<String> keys = byPartition.get(partition);
      if (keys != null) keys.remove(key(r.accountId(), r.name()));
      return null;
    });
  }

  /** Deletes every role of the owned partitions (dev-mode reset). */
  public Future<Void> clear() {
    List<Future<Void>> all = new ArrayList<>();
    for (Integer p : byPartition.keySet()) all.add(store.clear(p, context));
    return Future.all(all).map(x -> {
      roles.clear();
      byPartition.values().forEach(Set::clear);
      return null;
    });
  }

  private static String key(String account, String name) {
    return account + "\u0000" + name.toLowerCase(Locale.ROOT);
  }
}
