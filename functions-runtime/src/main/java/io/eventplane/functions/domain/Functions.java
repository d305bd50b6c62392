package io.eventplane.functions.domain;

import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.functions.store.FunctionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The functions of the partitions this node owns, in memory, written through
 * {@link FunctionStore}. Runs on the function service's context; store reads run on a worker. A
 * change is committed first and applied in memory when the commit is durable (and, clustered, on
 * the replicas), so a failed commit changes nothing.
 */
public final class Functions {
  public static final String SERVICE = "lambda";

  private final Vertx vertx;
  private final io.vertx.core.Context context;
  private final FunctionStore store;
  /** Functions with a write on its way to the store: a second change waits for none, it is refused. */
  private final Set<String> changing = new HashSet<>();
  /** By account and name, sorted so that listing pages are stable. */
  private final TreeMap<String, Function> functions = new TreeMap<>();
  private final Map<Integer, Set<String>> byPartition = new HashMap<>();
  private final Map<String, EventInvokeConfig> invokeConfigs = new HashMap<>();
  /** Resource policy statements (AddPermission), by function. */
  private final Map<String, io.vertx.core.json.JsonArray> policies = new HashMap<>();

  public Functions(Vertx vertx, io.vertx.core.Context context, FunctionStore store) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
  }

  public static int partitionOf(String account, String name) {
    return Partitions.of(SERVICE, account, name);
  }

  public static int partitionOf(FunctionName name) {
    return partitionOf(name.accountId(), name.name());
  }

  public FunctionStore store() {
    return store;
  }

  public Future<List<Function>> load(int partition) {
    record Loaded(List<Function> functions, Map<String, io.vertx.core.json.JsonObject> configs,
        Map<String, io.vertx.core.json.JsonArray> policies) {}
    return vertx.executeBlocking(() -> new Loaded(store.load(partition), store.loadInvokeConfigs(partition),
        store.loadPolicies(partition))).map(both -> {
      List<Function> loaded = both.functions();
      both.configs().forEach((k, v) -> invokeConfigs.put(k, EventInvokeConfig.fromJson(v)));
      policies.putAll(both.policies());
      Set<String> keys = byPartition.computeIfAbsent(partition, p -> new HashSet<>());
      for (Function f : loaded) {
        functions.put(key(f.accountId(), f.name()), f);
        keys.add(key(f.accountId(), f.name()));
      }
      return loaded;
    });
  }

  public List<Function> unload(int partition) {
    List<Function> out = new ArrayList<>();
    Set<String> keys = byPartition.remove(partition);
    if (keys != null) {
      for (String k : keys) {
        out.add(functions.remove(k));
        invokeConfigs.remove(k);
        policies.remove(k);
      }
    }
    return out;
  }

  public Function get(FunctionName name) {
    return functions.get(key(name.accountId(), name.name()));
  }

  /** The function, or ResourceNotFoundException naming it as the request did (with its qualifier). */
  public Function require(FunctionName name, String region) {
    Function f = get(name);
    if (f == null || (name.qualifier() != null && !Function.LATEST.equals(name.qualifier()))) {
      throw FunctionErrors.notFound(name.arn(region) + (name.qualifier() == null ? "" : ":" + name.qualifier()));
    }
    return f;
  }

  /** The account's functions after {@code after} (exclusive, by name), at most {@code limit}. */
  public List<Function> list(String account, String after, int limit) {
    List<Function> out = new ArrayList<>();
    String from = key(account, after == null ? "" : after);
    for (Map.Entry<String, Function> e : functions.tailMap(from, after == null).entrySet()) {
      if (!e.getValue().accountId().equals(account)) break;
      out.add(e.getValue());
      if (out.size() >= limit) break;
    }
    return out;
  }

  /**
   * Writes the function (and, when given, its package) and then takes it in memory.
   *
   * @param zip the new package, or null when the code is unchanged
   */
  public Future<Function> put(Function f, byte[] zip) {
    int partition = partitionOf(f.accountId(), f.name());
    Batch b = store.batch();
    store.putFunction(b, partition, f);
    if (zip != null) store.putCode(b, partition, f.accountId(), f.name(), f.codeSha256(), zip);
    return guarded(f, () -> commit(partition, b)).map(v -> {
      functions.put(key(f.accountId(), f.name()), f);
      byPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(key(f.accountId(), f.name()));
      return f;
    });
  }

  public Future<Void> delete(Function f) {
    int partition = partitionOf(f.accountId(), f.name());
    Batch b = store.batch();
    store.deleteFunction(b, partition, f);
    return guarded(f, () -> commit(partition, b)).map(v -> {
      functions.remove(key(f.accountId(), f.name()));
      invokeConfigs.remove(key(f.accountId(), f.name()));
      policies.remove(key(f.accountId(), f.name()));
      Set<String> keys = byPartition.get(partition);
      if (keys != null) keys.remove(key(f.accountId(), f.name()));
      return null;
    });
  }

  /** Every function this node holds, for a reset. */
  public Future<Void> clear(Consumer<Function> removed) {
    List<Future<Void>> all = new ArrayList<>();
    for (Integer partition : new ArrayList<>(byPartition.keySet())) {
      Batch b = store.batch();
      store.clearPartition(b, partition);
      all.add(commit(partition, b));
    }
    return Future.all(all).map(v -> {
      for (Function f : functions.values()) removed.accept(f);
      functions.clear();
      invokeConfigs.clear();
      policies.clear();
      for (Set<String> keys : byPartition.values()) keys.clear();
      return null;
    });
  }

  /** The function's event invoke config, or null. */
  public EventInvokeConfig invokeConfig(Function f) {
    return invokeConfigs.get(key(f.accountId(), f.name()));
  }

  /** Stores (or, with null, deletes) the function's event invoke config. */
  public Future<Void> putInvokeConfig(Function f, EventInvokeConfig config) {
    int partition = partitionOf(f.accountId(), f.name());
    Batch b = store.batch();
    store.putInvokeConfig(b, partition, f.accountId(), f.name(), config == null ? null : config.toJson());
    return guarded(f, () -> commit(partition, b)).map(v -> {
      if (config == null) invokeConfigs.remove(key(f.accountId(), f.name()));
      else invokeConfigs.put(key(f.accountId(), f.name()), config);
      return null;
    });
  }

  /** The statements of the function's resource policy (empty when it has none). */
  public io.vertx.core.json.JsonArray policy(Function f) {
    io.vertx.core.json.JsonArray p = policies.get(key(f.accountId(), f.name()));
    return p == null ? new io.vertx.core.json.JsonArray() : p.copy();
  }

  public Future<Void> putPolicy(Function f, io.vertx.core.json.JsonArray statements) {
    int partition = partitionOf(f.accountId(), f.name());
    Batch b = store.batch();
    store.putPolicy(b, partition, f.accountId(), f.name(), statements);
    return guarded(f, () -> commit(partition, b)).map(v -> {
      if (statements.isEmpty()) policies.remove(key(f.accountId(), f.name()));
      else policies.put(key(f.accountId(), f.name()), statements.copy());
      return null;
    });
  }

  /** The digests of every package this node's functions use. */
  public Set<String> packages() {
    Set<String> out = new HashSet<>();
    for (Function f : functions.values()) out.add(f.codeSha256());
    return out;
  }

  private Future<Void> guarded(Function f, java.util.function.Supplier<Future<Void>> write) {
    String k = key(f.accountId(), f.name());
    if (!changing.add(k)) {
      return Future.failedFuture(new io.eventplane.common.error.ServiceException("ResourceConflictException",
          "The operation cannot be performed at this time. An update is in progress for resource: " + f.arn()));
    }
    return write.get().eventually(() -> {
      changing.remove(k);
      return Future.succeededFuture();
    });
  }

  private Future<Void> commit(int partition, Batch b) {
    return Future.fromCompletionStage(store.commit(partition, b), context);
  }

  private static String key(String account, String name) {
    return account + "\u0000" + name;
  }
}
