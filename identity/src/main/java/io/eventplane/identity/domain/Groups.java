package io.eventplane.identity.domain;

import io.eventplane.common.partition.Partitions;
import io.eventplane.identity.store.UserStore;
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
 * The IAM groups of the partitions this node owns, in memory, and their writes through the store.
 * Named case-insensitively per account, partitioned by account and name apart from users and roles.
 * Runs on the IAM service's context only.
 */
public final class Groups {
  private static final String SERVICE = "iam";

  private final Context context;
  private final UserStore store;
  private final TreeMap<String, Group> groups = new TreeMap<>();
  private final Map<Integer, Set<String>> byPartition = new HashMap<>();

  public Groups(Context context, UserStore store) {
    this.context = context;
    this.store = store;
  }

  public static int partitionOf(String account, String name) {
    return Partitions.of(SERVICE, account, "group/" + name.toLowerCase(Locale.ROOT));
  }

  public Future<Void> load(int partition) {
    return context.owner().executeBlocking(() -> store.loadGroups(partition)).map(loaded -> {
      Set<String> keys = byPartition.computeIfAbsent(partition, p -> new HashSet<>());
      for (Group g : loaded) {
        groups.put(key(g.accountId(), g.name()), g);
        keys.add(key(g.accountId(), g.name()));
      }
      return null;
    });
  }

  public void unload(int partition) {
    Set<String> keys = byPartition.remove(partition);
    if (keys != null) keys.forEach(groups::remove);
  }

  public Group find(String account, String name) {
    return groups.get(key(account, name));
  }

  public List<Group> ofAccount(String account) {
    List<Group> out = new ArrayList<>();
    for (Group g : groups.values()) if (g.accountId().equals(account)) out.add(g);
    return out;
  }

  public Future<Void> save(Group g) {
    int partition = partitionOf(g.accountId(), g.name());
    return store.putGroup(partition, g.accountId(), g.name(), g, context).map(x -> {
      groups.put(key(g.accountId(), g.name()), g);
      byPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(key(g.accountId(), g.name()));
      return null;
    });
  }

  public Future<Void> delete(Group g) {
    int partition = partitionOf(g.accountId(), g.name());
    return store.putGroup(partition, g.accountId(), g.name(), null, context).map(x -> {
      groups.remove(key(g.accountId(), g.name()));
      Set<String> keys = byPartition.get(partition);
      if (keys != null) keys.remove(key(g.accountId(), g.name()));
      return null;
    });
  }

  public void forgetAll() {
    groups.clear();
    byPartition.values().forEach(Set::clear);
  }

  private static String key(String account, String name) {
    return account + "\u0000" + name.toLowerCase(Locale.ROOT);
  }
}
