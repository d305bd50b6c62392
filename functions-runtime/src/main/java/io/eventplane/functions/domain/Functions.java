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
 * The functions of the partitions one Lambda lane owns, in memory, written through
 * {@link FunctionStore}. Runs on the lane's context (asserted under {@code -ea} at every entry
 * but {@link #store}, which workers use to read packages); store reads run on a worker. A
 * change is committed first and applied in memory when the commit is durable (and, clustered, on
 * the replicas), so a failed commit changes nothing.
 */
public final class Functions {
  public static final String SERVICE = "lambda";

  private final Vertx vertx;
  private final io.vertx.core.Context context;
  private final FunctionStore store;
  private final io.eventplane.common.partition.OwningThread owner;
  /** Functions with a write on its way to the store: a second change waits for none, it is refused. */
  private final Set<String> changing = new HashSet<>();
  /** By account and name, sorted so that listing pages are stable. */
  private final TreeMap<String, Function> functions = new TreeMap<>();
  private final Map<Integer, Set<String>> byPartition = new HashMap<>();
  private final Map<String, EventInvokeConfig> invokeConfigs = new HashMap<>();
  /** Resource policy statements (AddPermission), by function. */
  private final Map<String, io.vertx.core.json.JsonArray> policies = new HashMap<>();
  /** Published versions by function, by number. */
  private final Map<String, TreeMap<Integer, Function>> versions = new HashMap<>();
  /** Aliases by function, by name. */
  private final Map<String, TreeMap<String, Alias>> aliases = new HashMap<>();

  public Functions(Vertx vertx, io.vertx.core.Context context, FunctionStore store) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.owner = new io.eventplane.common.partition.OwningThread("function state");
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
    assert owner.check();
    record Loaded(List<Function> functions, Map<String, io.vertx.core.json.JsonObject> configs,
        Map<String, io.vertx.core.json.JsonArray> policies, List<Function> versions, List<Alias> aliases) {}
    return vertx.executeBlocking(() -> new Loaded(store.load(partition), store.loadInvokeConfigs(partition),
        store.loadPolicies(partition), store.loadVersions(partition), store.loadAliases(partition))).map(both -> {
      List<Function> loaded = both.functions();
      for (Function v : both.versions()) {
        versions.computeIfAbsent(key(v.accountId(), v.region(), v.name()), k -> new TreeMap<>()).put(Integer.parseInt(v.version()), v);
      }
      for (Alias a : both.aliases()) {
        aliases.computeIfAbsent(key(a.accountId(), a.region(), a.functionName()), k -> new TreeMap<>()).put(a.name(), a);
      }
      both.configs().forEach((k, v) -> invokeConfigs.put(k, EventInvokeConfig.fromJson(v)));
      policies.putAll(both.policies());
      Set<String> keys = byPartition.computeIfAbsent(partition, p -> new HashSet<>());
      for (Function f : loaded) {
        functions.put(key(f.accountId(), f.region(), f.name()), f);
        keys.add(key(f.accountId(), f.region(), f.name()));
      }
      return loaded;
    });
  }

  public List<Function> unload(int partition) {
    assert owner.check();
    List<Function> out = new ArrayList<>();
    Set<String> keys = byPartition.remove(partition);
    if (keys != null) {
      for (String k : keys) {
        out.add(functions.remove(k));
        invokeConfigs.remove(k);
        policies.remove(k);
        versions.remove(k);
        aliases.remove(k);
      }
    }
    return out;
  }

  public Function get(FunctionName name) {
    assert owner.check();
    return functions.get(key(name.accountId(), name.region(), name.name()));
  }

  /**
   * The version a reference runs: $LATEST without qualifier, a published version by number, or
   * the version an alias points to (with {@code route}, choosing by its routing weights; else its
   * main version). ResourceNotFoundException when any of them does not exist.
   */
  public Function resolve(FunctionName name, String region, boolean route) {
    assert owner.check();
    Function latest = get(name);
    String q = name.qualifier();
    if (latest != null && (q == null || Function.LATEST.equals(q))) return latest;
    if (latest != null && q.chars().allMatch(Character::isDigit)) {
      Function v = version(latest, q);
      if (v != null) return v;
    } else if (latest != null) {
      Alias a = alias(latest, q);
      if (a != null) {
        String picked = route ? a.pickVersion() : a.functionVersion();
        Function v = Function.LATEST.equals(picked) ? latest : version(latest, picked);
        if (v != null) return v;
      }
    }
    throw FunctionErrors.notFound(name.arn() + (q == null ? "" : ":" + q));
  }

  /** The published version of the function with that number, or null. */
  public Function version(Function latest, String number) {
    assert owner.check();
    TreeMap<Integer, Function> all = versions.get(key(latest.accountId(), latest.region(), latest.name()));
    try {
      return all == null ? null : all.get(Integer.parseInt(number));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The function's published versions, oldest first. */
  public List<Function> versions(Function latest) {
    assert owner.check();
    TreeMap<Integer, Function> all = versions.get(key(latest.accountId(), latest.region(), latest.name()));
    return all == null ? List.of() : new ArrayList<>(all.values());
  }

  public Alias alias(Function latest, String name) {
    assert owner.check();
    TreeMap<String, Alias> all = aliases.get(key(latest.accountId(), latest.region(), latest.name()));
    return all == null ? null : all.get(name);
  }

  /** The function's aliases, by name. */
  public List<Alias> aliases(Function latest) {
    assert owner.check();
    TreeMap<String, Alias> all = aliases.get(key(latest.accountId(), latest.region(), latest.name()));
    return all == null ? List.of() : new ArrayList<>(all.values());
  }

  /**
   * Publishes $LATEST as a new version, unless the newest version already has its code and
   * configuration (then that version is the answer, as Lambda does).
   */
  public Future<Function> publish(Function latest, String description, long now) {
    assert owner.check();
    List<Function> existing = versions(latest);
    if (!existing.isEmpty() && existing.get(existing.size() - 1).sameAs(latest)) {
      return Future.succeededFuture(existing.get(existing.size() - 1));
    }
    int number = latest.lastPublished() + 1;
    Function version = latest.publish(number, description == null ? latest.description() : description, now,
        java.util.UUID.randomUUID().toString());
    Function updated = latest.withLastPublished(number);
    int partition = partitionOf(latest.accountId(), latest.name());
    Batch b = store.batch();
    store.putVersion(b, partition, version);
    store.putFunction(b, partition, updated);
    return guarded(latest, () -> commit(partition, b)).map(v -> {
      versions.computeIfAbsent(key(latest.accountId(), latest.region(), latest.name()), k -> new TreeMap<>()).put(number, version);
      functions.put(key(latest.accountId(), latest.region(), latest.name()), updated);
      return version;
    });
  }

  /** Deletes a published version (and its package, when nothing else uses it). */
  public Future<Void> deleteVersion(Function latest, Function version) {
    assert owner.check();
    int partition = partitionOf(latest.accountId(), latest.name());
    Batch b = store.batch();
    store.deleteVersion(b, partition, version);
    if (!usesPackage(latest, version.codeSha256(), version)) {
      store.deleteCode(b, partition, latest.accountId(), latest.region(), latest.name(), version.codeSha256());
    }
    return guarded(latest, () -> commit(partition, b)).map(v -> {
      TreeMap<Integer, Function> all = versions.get(key(latest.accountId(), latest.region(), latest.name()));
      if (all != null) all.remove(Integer.parseInt(version.version()));
      return null;
    });
  }

  /** Stores an alias (new or changed). */
  public Future<Alias> putAlias(Function latest, Alias alias) {
    assert owner.check();
    int partition = partitionOf(latest.accountId(), latest.name());
    Batch b = store.batch();
    store.putAlias(b, partition, alias);
    return guarded(latest, () -> commit(partition, b)).map(v -> {
      aliases.computeIfAbsent(key(latest.accountId(), latest.region(), latest.name()), k -> new TreeMap<>()).put(alias.name(), alias);
      return alias;
    });
  }

  public Future<Void> deleteAlias(Function latest, Alias alias) {
    assert owner.check();
    int partition = partitionOf(latest.accountId(), latest.name());
    Batch b = store.batch();
    store.deleteAlias(b, partition, alias);
    return guarded(latest, () -> commit(partition, b)).map(v -> {
      TreeMap<String, Alias> all = aliases.get(key(latest.accountId(), latest.region(), latest.name()));
      if (all != null) all.remove(alias.name());
      return null;
    });
  }

  /** Whether $LATEST or a published version other than {@code except} uses the package. */
  private boolean usesPackage(Function latest, String sha, Function except) {
    if (latest.codeSha256().equals(sha) && latest != except) return true;
    for (Function v : versions(latest)) if (v != except && v.codeSha256().equals(sha)) return true;
    return false;
  }

  /** The function, or ResourceNotFoundException naming it as the request did (with its qualifier). */
  public Function require(FunctionName name, String region) {
    assert owner.check();
    Function f = get(name);
    if (f == null || (name.qualifier() != null && !Function.LATEST.equals(name.qualifier()))) {
      throw FunctionErrors.notFound(name.arn() + (name.qualifier() == null ? "" : ":" + name.qualifier()));
    }
    return f;
  }

  /** The account's functions after {@code after} (exclusive, by name), at most {@code limit}. */
  public List<Function> list(String account, String region, String after, int limit) {
    assert owner.check();
    List<Function> out = new ArrayList<>();
    String from = key(account, region, after == null ? "" : after);
    for (Map.Entry<String, Function> e : functions.tailMap(from, after == null).entrySet()) {
      if (!e.getValue().accountId().equals(account) || !e.getValue().region().equals(region)) break;
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
    assert owner.check();
    int partition = partitionOf(f.accountId(), f.name());
    Batch b = store.batch();
    store.putFunction(b, partition, f);
    if (zip != null) {
      store.putCode(b, partition, f.accountId(), f.region(), f.name(), f.codeSha256(), zip);
      Function previous = functions.get(key(f.accountId(), f.region(), f.name()));
      if (previous != null && !previous.codeSha256().equals(f.codeSha256())
          && versions(previous).stream().noneMatch(v -> v.codeSha256().equals(previous.codeSha256()))) {
        store.deleteCode(b, partition, f.accountId(), f.region(), f.name(), previous.codeSha256());
      }
    }
    return guarded(f, () -> commit(partition, b)).map(v -> {
      functions.put(key(f.accountId(), f.region(), f.name()), f);
      byPartition.computeIfAbsent(partition, p -> new HashSet<>()).add(key(f.accountId(), f.region(), f.name()));
      return f;
    });
  }

  public Future<Void> delete(Function f) {
    assert owner.check();
    int partition = partitionOf(f.accountId(), f.name());
    Batch b = store.batch();
    store.deleteFunction(b, partition, f);
    return guarded(f, () -> commit(partition, b)).map(v -> {
      functions.remove(key(f.accountId(), f.region(), f.name()));
      invokeConfigs.remove(key(f.accountId(), f.region(), f.name()));
      policies.remove(key(f.accountId(), f.region(), f.name()));
      versions.remove(key(f.accountId(), f.region(), f.name()));
      aliases.remove(key(f.accountId(), f.region(), f.name()));
      Set<String> keys = byPartition.get(partition);
      if (keys != null) keys.remove(key(f.accountId(), f.region(), f.name()));
      return null;
    });
  }

  /** The functions ($LATEST) this lane holds now. */
  public List<Function> all() {
    assert owner.check();
    return new ArrayList<>(functions.values());
  }

  /** Every function this lane holds, for a reset. */
  public Future<Void> clear(Consumer<Function> removed) {
    assert owner.check();
    List<Future<Void>> all = new ArrayList<>();
    for (Integer partition : new ArrayList<>(byPartition.keySet())) {
      Batch b = store.batch();
      store.clearPartition(b, partition);
      all.add(commit(partition, b));
    }
    return Future.all(all).map(v -> {
      for (Function f : functions.values()) removed.accept(f);
      for (TreeMap<Integer, Function> vs : versions.values()) vs.values().forEach(removed);
      functions.clear();
      invokeConfigs.clear();
      policies.clear();
      versions.clear();
      aliases.clear();
      for (Set<String> keys : byPartition.values()) keys.clear();
      return null;
    });
  }

  /** The function's event invoke config, or null. */
  public EventInvokeConfig invokeConfig(Function f) {
    assert owner.check();
    return invokeConfigs.get(key(f.accountId(), f.region(), f.name()));
  }

  /** Stores (or, with null, deletes) the function's event invoke config. */
  public Future<Void> putInvokeConfig(Function f, EventInvokeConfig config) {
    assert owner.check();
    int partition = partitionOf(f.accountId(), f.name());
    Batch b = store.batch();
    store.putInvokeConfig(b, partition, f.accountId(), f.region(), f.name(), config == null ? null : config.toJson());
    return guarded(f, () -> commit(partition, b)).map(v -> {
      if (config == null) invokeConfigs.remove(key(f.accountId(), f.region(), f.name()));
      else invokeConfigs.put(key(f.accountId(), f.region(), f.name()), config);
      return null;
    });
  }

  /** The statements of the function's resource policy (empty when it has none). */
  public io.vertx.core.json.JsonArray policy(Function f) {
    assert owner.check();
    io.vertx.core.json.JsonArray p = policies.get(key(f.accountId(), f.region(), f.name()));
    return p == null ? new io.vertx.core.json.JsonArray() : p.copy();
  }

  public Future<Void> putPolicy(Function f, io.vertx.core.json.JsonArray statements) {
    assert owner.check();
    int partition = partitionOf(f.accountId(), f.name());
    Batch b = store.batch();
    store.putPolicy(b, partition, f.accountId(), f.region(), f.name(), statements);
    return guarded(f, () -> commit(partition, b)).map(v -> {
      if (statements.isEmpty()) policies.remove(key(f.accountId(), f.region(), f.name()));
      else policies.put(key(f.accountId(), f.region(), f.name()), statements.copy());
      return null;
    });
  }

  /** The digests of every package this lane's functions use. */
  public Set<String> packages() {
    assert owner.check();
    Set<String> out = new HashSet<>();
    for (Function f : functions.values()) out.add(f.codeSha256());
    for (TreeMap<Integer, Function> vs : versions.values()) vs.values().forEach(v -> out.add(v.codeSha256()));
    return out;
  }

  private Future<Void> guarded(Function f, java.util.function.Supplier<Future<Void>> write) {
    String k = key(f.accountId(), f.region(), f.name());
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
    return store.commit(partition, b, context);
  }

  /** Functions are named within an account and a region; the store's keys read the same way. */
  private static String key(String account, String region, String name) {
    return account + "\u0000" + region + "\u0000" + name;
  }
}
