package io.eventplane.eventbridge.registry;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.partition.Partitions;
import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Reservation;
import io.eventplane.eventbridge.store.EventStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The account registry: what EventBridge must know across partitions about one account and region,
 * kept in one partition, {@code crc32("events/" + account + "/" + region + "/registry") % 64}, so that
 * one lane of one node decides it. It holds reservations ({@link Reservation}): a name of a kind
 * ("bus", "archive", "replay"; connections and API destinations can add theirs) that is unique per
 * account and region, and, by counting a kind's reservations, the account's quota for it.
 *
 * <p><b>Protocol.</b> A create first sends {@link #RESERVE} (kind, name, home, a fresh id, the
 * limit) to the registry's partition; only on {@code RESERVED} does it create the resource in its
 * own partition (home); if that fails it sends {@link #RELEASE} with the id. A delete releases with
 * {@code Before} (the time the delete began) once the resource is gone. A resource that stops counting
 * (a replay that ended) releases with {@code Deactivate}. The registry runs the calls of one account
 * and region one after another (the next starts when the previous one's batch is durable), so two
 * creates of one name, or two creates for the last unit of a quota, are decided in order: exactly one
 * gets it.
 *
 * <p><b>Orphans.</b> A crash (or a lost message) between the two steps leaves a reservation without
 * its resource, or a resource whose end was not reported. The registry does not sweep; it checks
 * when it matters: a reserve that finds the name taken, or the kind's quota full, asks each
 * reservation in the way where its resource is ({@link #HOLDS} to the home's partition). One whose
 * resource is absent and that is older than {@link #GRACE_MILLIS} (so not a create still in flight)
 * is dropped; one whose resource exists but no longer runs stops counting. Resources made before the
 * registry existed have no reservation: their names are still found by the per-kind checks the
 * callers keep, but they are not counted.
 *
 * <p>Thread model: one instance per lane, touched only on the lane's context; store reads on a worker.
 */
public final class AccountRegistry {
  private static final Logger LOG = Logger.getLogger(AccountRegistry.class.getName());
  /** Reserve a name: {@code Account, Region, Kind, Name, Home, Id, Limit, ActiveOnly}; answers {@code Outcome}. */
  public static final String RESERVE = "eventplane:Reserve";
  /** Release a name: {@code Account, Region, Kind, Name} and one of {@code Id}, {@code Before}, {@code Deactivate}. */
  public static final String RELEASE = "eventplane:Release";
  /**
   * Asked of a reservation's home: {@code Account, Region, Kind, Name, Home}; answers {@code Exists}
   * and {@code Active}. Each kind's owner answers it (see {@code EventBridgeLane}).
   */
  public static final String HOLDS = "eventplane:Holds";
  public static final String RESERVED = "RESERVED";
  public static final String TAKEN = "TAKEN";
  public static final String LIMIT = "LIMIT";
  /** How long a reservation whose resource is not found is presumed to be a create in flight. */
  public static final long GRACE_MILLIS = 60_000;

  private final Vertx vertx;
  private final Context context;
  private final EventStore store;
  private final Clock clock;
  /** By partition, then account \0 region, then kind, then name. */
  private final Map<Integer, Map<String, Map<String, TreeMap<String, Reservation>>>> held = new HashMap<>();
  /** The last call queued per account \0 region: each waits for the one before. */
  private final Map<String, Future<Void>> tails = new HashMap<>();

  public AccountRegistry(Vertx vertx, Context context, EventStore store, Clock clock) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.clock = clock;
  }

  /** The partition of the registry of {@code account} and {@code region}. */
  public static int partition(String account, String region) {
    return Partitions.of(BusRef.SERVICE, account, region + "/registry");
  }

  // ---- the callers' side ----

  /** A {@link #RESERVE} request; {@code limit} 0 or less is none; {@code activeOnly} counts only active reservations. */
  public static ApiRequest reserve(RequestContext ctx, String kind, String name, String home, int limit, boolean activeOnly) {
    return new ApiRequest(RESERVE, scope(ctx, kind, name).put("Home", home).put("Id", UUID.randomUUID().toString())
        .put("Limit", limit).put("ActiveOnly", activeOnly), ctx);
  }

  /** Releases the reservation {@code reserve} made (its create failed). */
  public static ApiRequest releaseFailed(ApiRequest reserve) {
    JsonObject in = reserve.input();
    return new ApiRequest(RELEASE, scope(reserve.context(), in.getString("Kind"), in.getString("Name"))
        .put("Id", in.getString("Id")), reserve.context());
  }

  /** Releases a name whose resource was deleted by a call that began at {@code before} (service clock). */
  public static ApiRequest releaseDeleted(RequestContext ctx, String kind, String name, long before) {
    return new ApiRequest(RELEASE, scope(ctx, kind, name).put("Before", before), ctx);
  }

  /** The resource behind the name stopped counting towards an active-only quota (a replay ended). */
  public static ApiRequest deactivate(RequestContext ctx, String kind, String name) {
    return new ApiRequest(RELEASE, scope(ctx, kind, name).put("Deactivate", true), ctx);
  }

  private static JsonObject scope(RequestContext ctx, String kind, String name) {
    return new JsonObject().put("Account", ctx.accountId()).put("Region", ctx.region()).put("Kind", kind).put("Name", name);
  }

  /** The partition a registry call goes to (from its input), or -1. */
  public static int partitionOf(JsonObject in) {
    return in.getValue("Account") instanceof String a && in.getValue("Region") instanceof String r ? partition(a, r) : -1;
  }

  // ---- the registry's side (on its partition's owning lane) ----

  public Future<Void> load(int partition) {
    return vertx.executeBlocking(() -> store.loadReservations(partition)).map(list -> {
      Map<String, Map<String, TreeMap<String, Reservation>>> scopes = held.computeIfAbsent(partition, p -> new HashMap<>());
      for (Reservation r : list) kind(scopes, r.account(), r.region(), r.kind()).put(r.name(), r);
      return null;
    });
  }

  public void unload(int partition) {
    held.remove(partition);
  }

  public void clear() {
    held.values().forEach(Map::clear);
  }

  /** A {@link #RESERVE} at the registry's owner; {@code route} reaches any partition's owner. */
  public Future<JsonObject> reserve(ApiRequest request, Function<ApiRequest, Future<JsonObject>> route) {
    JsonObject in = request.input();
    String account = in.getString("Account");
    String region = in.getString("Region");
    String kindName = in.getString("Kind");
    String name = in.getString("Name");
    String id = in.getString("Id");
    int limit = in.getInteger("Limit", 0);
    boolean activeOnly = in.getBoolean("ActiveOnly", false);
    int partition = partition(account, region);
    return serially(account + "\0" + region, () -> {
      TreeMap<String, Reservation> ofKind = kind(scopes(partition), account, region, kindName);
      Reservation existing = ofKind.get(name);
      if (existing != null && existing.id().equals(id)) return Future.succeededFuture(outcome(RESERVED));
      Future<Boolean> free = existing == null ? Future.succeededFuture(true)
          : check(partition, existing, route, request.context()).map(v -> !ofKind.containsKey(name));
      return free.compose(isFree -> {
        if (!isFree) return Future.succeededFuture(outcome(TAKEN));
        if (!full(ofKind, limit, activeOnly)) return write(partition, ofKind, in);
        return reconcile(partition, ofKind, activeOnly, route, request.context())
            .compose(v -> full(ofKind, limit, activeOnly) ? Future.succeededFuture(outcome(LIMIT)) : write(partition, ofKind, in));
      });
    });
  }

  /** A {@link #RELEASE} at the registry's owner. */
  public Future<JsonObject> release(ApiRequest request, Function<ApiRequest, Future<JsonObject>> route) {
    JsonObject in = request.input();
    String account = in.getString("Account");
    String region = in.getString("Region");
    String name = in.getString("Name");
    int partition = partition(account, region);
    return serially(account + "\0" + region, () -> {
      TreeMap<String, Reservation> ofKind = kind(scopes(partition), account, region, in.getString("Kind"));
      Reservation r = ofKind.get(name);
      if (r == null) return Future.succeededFuture(new JsonObject());
      if (in.getBoolean("Deactivate", false)) {
        return r.active() ? replace(partition, ofKind, r, r.inactive()).map(new JsonObject()) : Future.succeededFuture(new JsonObject());
      }
      if (in.getString("Id") != null) {
        return in.getString("Id").equals(r.id()) ? replace(partition, ofKind, r, null).map(new JsonObject())
            : Future.succeededFuture(new JsonObject());
      }
      long before = in.getLong("Before", 0L);
      // A reservation made after the delete began is a new create's: not this delete's to release.
      if (r.at() > before) return Future.succeededFuture(new JsonObject());
      return holds(r, route, request.context()).compose(h -> h != null && !h.getBoolean("Exists", true)
          ? replace(partition, ofKind, r, null).map(new JsonObject()) : Future.succeededFuture(new JsonObject()));
    });
  }

  private Map<String, Map<String, TreeMap<String, Reservation>>> scopes(int partition) {
    return held.computeIfAbsent(partition, p -> new HashMap<>());
  }

  private static TreeMap<String, Reservation> kind(Map<String, Map<String, TreeMap<String, Reservation>>> scopes,
      String account, String region, String kind) {
    return scopes.computeIfAbsent(account + "\0" + region, s -> new HashMap<>()).computeIfAbsent(kind, k -> new TreeMap<>());
  }

  private static boolean full(TreeMap<String, Reservation> ofKind, int limit, boolean activeOnly) {
    if (limit <= 0) return false;
    int count = 0;
    for (Reservation r : ofKind.values()) if (!activeOnly || r.active()) count++;
    return count >= limit;
  }

  private static JsonObject outcome(String outcome) {
    return new JsonObject().put("Outcome", outcome);
  }

  private Future<JsonObject> write(int partition, TreeMap<String, Reservation> ofKind, JsonObject in) {
    Reservation r = new Reservation(in.getString("Account"), in.getString("Region"), in.getString("Kind"), in.getString("Name"),
        in.getString("Home"), in.getString("Id"), clock.millis(), true);
    return replace(partition, ofKind, ofKind.get(r.name()), r).map(outcome(RESERVED));
  }

  /** Replaces {@code old} (may be null) by {@code next} (null deletes) in memory and in the store; completes when durable. */
  private Future<Void> replace(int partition, TreeMap<String, Reservation> ofKind, Reservation old, Reservation next) {
    Batch b = store.batch();
    if (next != null) {
      store.putReservation(b, partition, next);
      ofKind.put(next.name(), next);
    } else if (old != null) {
      store.deleteReservation(b, partition, old);
      ofKind.remove(old.name());
    }
    return store.commit(partition, b, context);
  }

  /** Asks where {@code r}'s resource lives whether it is there; null when that cannot be told now. */
  private Future<JsonObject> holds(Reservation r, Function<ApiRequest, Future<JsonObject>> route, RequestContext ctx) {
    JsonObject ask = new JsonObject().put("Account", r.account()).put("Region", r.region()).put("Kind", r.kind())
        .put("Name", r.name()).put("Home", r.home());
    Promise<JsonObject> answer = Promise.promise();
    route.apply(new ApiRequest(HOLDS, ask, ctx)).onComplete(ar -> {
      if (ar.failed()) LOG.log(Level.FINE, "could not ask " + r.home() + " about " + r.kind() + " " + r.name(), ar.cause());
      answer.complete(ar.succeeded() ? ar.result() : null);
    });
    return answer.future();
  }

  /**
   * Checks one reservation against its resource: dropped when the resource is absent and the
   * reservation past its grace, made inactive when the resource exists but no longer runs.
   */
  private Future<Void> check(int partition, Reservation r, Function<ApiRequest, Future<JsonObject>> route, RequestContext ctx) {
    return holds(r, route, ctx).compose(h -> {
      if (h == null) return Future.succeededFuture();
      TreeMap<String, Reservation> ofKind = kind(scopes(partition), r.account(), r.region(), r.kind());
      if (ofKind.get(r.name()) != r) return Future.succeededFuture();
      if (!h.getBoolean("Exists", true)) {
        if (clock.millis() - r.at() < GRACE_MILLIS) return Future.succeededFuture();
        LOG.info("account registry: dropping " + r.kind() + " " + r.name() + " of " + r.account() + "/" + r.region()
            + ", reserved at " + r.at() + " for " + r.home() + " where it does not exist");
        return replace(partition, ofKind, r, null);
      }
      if (r.active() && !h.getBoolean("Active", true)) return replace(partition, ofKind, r, r.inactive());
      return Future.succeededFuture();
    });
  }

  /** Checks every reservation of a kind that counts (a quota is full): frees those whose resource is gone or ended. */
  private Future<Void> reconcile(int partition, TreeMap<String, Reservation> ofKind, boolean activeOnly,
      Function<ApiRequest, Future<JsonObject>> route, RequestContext ctx) {
    List<Future<Void>> checks = new ArrayList<>();
    for (Reservation r : new ArrayList<>(ofKind.values())) {
      if (!activeOnly || r.active()) checks.add(check(partition, r, route, ctx));
    }
    return Future.join(checks).transform(ar -> Future.succeededFuture());
  }

  private <T> Future<T> serially(String scope, Supplier<Future<T>> op) {
    Future<Void> tail = tails.getOrDefault(scope, Future.succeededFuture());
    Promise<T> result = Promise.promise();
    Future<Void> next = tail.transform(x -> {
      Future<T> f;
      try {
        f = op.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(result);
      return f.transform(y -> Future.<Void>succeededFuture());
    });
    tails.put(scope, next);
    next.onComplete(x -> {
      if (tails.get(scope) == next) tails.remove(scope);
    });
    return result.future();
  }
}
