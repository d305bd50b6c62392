package io.eventplane.identity.domain;

import io.eventplane.common.partition.Partitions;
import io.eventplane.identity.store.PolicyStore;
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
 * The customer managed policies of the partitions this node owns, in memory, and their writes
 * through the store. Policies are global to an account and named case-insensitively, like roles,
 * and partitioned by account and name apart from them. Runs on the IAM service's context only.
 */
public final class Policies {
  private static final String SERVICE = "iam";

  private final Context context;
  private final PolicyStore store;
  private final TreeMap<String, ManagedPolicy> policies = new TreeMap<>();
  private final Map<Integer, Set<String>> byPartition = new HashMap<>();

  public Policies(Context context, PolicyStore store) {
    this.context = context;
    this.store = store;
  }

  public static int partitionOf(String account, String name) {
    return Partitions.of(SERVICE, account, "policy/" + name.toLowerCase(Locale.ROOT));
  }

  /** Loads a partition's policies (reads on a worker thread). */
  public Future<Void> load(int partition) {
    return context.owner().executeBlocking(() -> store.load(partition)).map(loaded -> {
      Set<String> keys = byPartition.computeIfAbsent(partition, p -> new HashSet<>());
      for (ManagedPolicy p : loaded) {
        policies.put(key(p.accountId(), p.name()), p);
        keys.add(key(p.accountId(), p.name()));
      }
      return null;
    });
  }

  public void unload(int partition) {
    Set<String> keys = byPartition.remove(partition);
    if (keys != null) keys.forEach(policies::remove);
  }

  public ManagedPolicy find(String account, String name) {
    return policies.get(key(account, name));
  }

  public List<ManagedPolicy> ofAccount(String account) {
    List<ManagedPolicy> out = new ArrayList<>();
    for (ManagedPolicy p : policies.values()) if (p.accountId().equals(account)) out.add(p);
    return out;
  }

  public Future<Void> save(ManagedPolicy p) {
    int partition = partitionOf(p.accountId(), p.name());
    return store.put(partition, p, context).map(x -> {
      policies.put(key(p.accountId(), p.name()), p);
      byPartition.computeIfAbsent(partition, q -> new HashSet<>()).add(key(p.accountId(), p.name()));
      return null;
    });
  }

  public Future<Void> delete(ManagedPolicy p) {
    int partition = partitionOf(p.accountId(), p.name());
    return store.delete(partition, p, context).map(x -> {
      policies.remove(key(p.accountId(), p.name()));
      Set<String> keys = byPartition.get(partition);
      if (keys != null) keys.remove(key(p.accountId(), p.name()));
      return null;
    });
  }

  /** Forgets every policy (dev-mode reset: the roles' reset deletes the partitions' keys). */
  public void forgetAll() {
    policies.clear();
    byPartition.values().forEach(Set::clear);
  }

  private static String key(String account, String name) {
    return account + "\u0000" + name.toLowerCase(Locale.ROOT);
  }
}
