package io.eventplane.apigateway.domain;

import io.eventplane.apigateway.store.ApiGatewayStore;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Batch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The APIs and domain names of a lane's partitions, held in memory per partition (loaded when the
 * lane takes it), every change written through the partition's writer before it is applied here and
 * answered. An owner (an API, a domain name) is a record with the resources it owns by kind and id.
 * Changes to a partition run one after another ({@link #serially}), each deciding on the table as
 * the previous one left it. Used only on the lane's context.
 */
public final class ApiTable {
  private final Vertx vertx;
  private final Context context;
  private final ApiGatewayStore store;
  /** By partition, by owner key. */
  private final Map<Integer, Map<String, Owner>> owners = new HashMap<>();
  private final Map<Integer, Future<Void>> tails = new HashMap<>();

  /** An API or a domain name as it is now, with what it owns. */
  public static final class Owner {
    private final String key;
    private JsonObject record;
    private final Map<String, TreeMap<String, JsonObject>> children = new HashMap<>();

    Owner(String key, JsonObject record) {
      this.key = key;
      this.record = record;
    }

    public String key() {
      return key;
    }

    public JsonObject record() {
      return record;
    }

    /** The owned resources of a kind, by id (in id order). */
    public Map<String, JsonObject> children(String kind) {
      return children.getOrDefault(kind, new TreeMap<>());
    }

    public JsonObject child(String kind, String id) {
      return children(kind).get(id);
    }
  }

  public ApiTable(Vertx vertx, Context context, ApiGatewayStore store) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
  }

  /**
   * Work too heavy for the lane's event loop (reading or writing a large OpenAPI document) on a
   * worker; its outcome comes back on the lane's context.
   */
  public <T> Future<T> offLoop(java.util.concurrent.Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  /** The ServiceUnavailable message of a call about a partition this lane has not loaded. */
  public static final String NOT_LOADED = "The API's partition is moving between nodes; retry.";

  public Future<Void> load(int partition) {
    return vertx.executeBlocking(() -> {
      Map<String, Owner> byKey = new TreeMap<>();
      for (JsonObject r : store.loadOwners(partition)) {
        String key = r.getString("Owner");
        byKey.put(key, new Owner(key, r));
      }
      for (ApiGatewayStore.Child c : store.loadChildren(partition)) {
        Owner o = byKey.get(c.owner());
        if (o != null) o.children.computeIfAbsent(c.kind(), k -> new TreeMap<>()).put(c.id(), c.value());
      }
      return byKey;
    }, false).map(byKey -> {
      owners.put(partition, byKey);
      return null;
    });
  }

  /**
   * Fails ServiceUnavailable unless the partition is loaded here: a call that reaches a new owner
   * before its load completes must not be told an API that exists is not found; the router retries.
   */
  public void requireLoaded(int partition) {
    if (!owners.containsKey(partition)) throw new ServiceException(ServiceError.unavailable(NOT_LOADED));
  }

  public void unload(int partition) {
    tails.remove(partition);
    owners.remove(partition);
  }

  public void clear() {
    tails.clear();
    owners.replaceAll((p, m) -> new TreeMap<>());
  }

  public Owner get(int partition, String key) {
    return owners.getOrDefault(partition, Map.of()).get(key);
  }

  /** The partition's owners in key order. */
  public List<Owner> all(int partition) {
    return new ArrayList<>(owners.getOrDefault(partition, Map.of()).values());
  }

  /** Runs {@code write} after the partition's earlier writes completed, whatever their outcome. */
  public <T> Future<T> serially(int partition, Supplier<Future<T>> write) {
    Future<T> mine = tails.getOrDefault(partition, Future.succeededFuture()).transform(x -> {
      try {
        return write.get();
      } catch (ServiceException e) {
        return Future.failedFuture(e);
      }
    });
    tails.put(partition, mine.<Void>mapEmpty().recover(x -> Future.succeededFuture()));
    return mine;
  }

  /** Writes the changes in one batch; the table shows them once committed. Call inside {@link #serially}. */
  public Future<Void> apply(int partition, Changes changes) {
    Batch b = store.batch();
    changes.write(store, b, partition);
    return store.commit(partition, b, context).map(v -> {
      Map<String, Owner> loaded = owners.get(partition);
      if (loaded != null) changes.apply(loaded);
      return null;
    });
  }

  /** The changes of one request, written in one batch. */
  public static final class Changes {
    private final List<Change> list = new ArrayList<>();

    private sealed interface Change permits PutOwner, DeleteOwner, PutChild, DeleteChild {}

    private record PutOwner(String key, JsonObject record) implements Change {}

    private record DeleteOwner(String key) implements Change {}

    private record PutChild(String owner, String kind, String id, JsonObject value) implements Change {}

    private record DeleteChild(String owner, String kind, String id) implements Change {}

    public Changes putOwner(String key, JsonObject record) {
      list.add(new PutOwner(key, record.copy().put("Owner", key)));
      return this;
    }

    public Changes deleteOwner(String key) {
      list.add(new DeleteOwner(key));
      return this;
    }

    public Changes putChild(String owner, String kind, String id, JsonObject value) {
      list.add(new PutChild(owner, kind, id, value));
      return this;
    }

    public Changes deleteChild(String owner, String kind, String id) {
      list.add(new DeleteChild(owner, kind, id));
      return this;
    }

    public boolean isEmpty() {
      return list.isEmpty();
    }

    void write(ApiGatewayStore store, Batch b, int partition) {
      for (Change c : list) {
        if (c instanceof PutOwner p) store.putOwner(b, partition, p.key(), p.record());
        else if (c instanceof DeleteOwner d) store.deleteOwner(b, partition, d.key());
        else if (c instanceof PutChild p) store.putChild(b, partition, p.owner(), p.kind(), p.id(), p.value());
        else if (c instanceof DeleteChild d) store.deleteChild(b, partition, d.owner(), d.kind(), d.id());
      }
    }

    void apply(Map<String, Owner> loaded) {
      for (Change c : list) {
        if (c instanceof PutOwner p) {
          Owner o = loaded.get(p.key());
          if (o == null) loaded.put(p.key(), new Owner(p.key(), p.record()));
          else o.record = p.record();
        } else if (c instanceof DeleteOwner d) {
          loaded.remove(d.key());
        } else if (c instanceof PutChild p) {
          Owner o = loaded.get(p.owner());
          if (o != null) o.children.computeIfAbsent(p.kind(), k -> new TreeMap<>()).put(p.id(), p.value());
        } else if (c instanceof DeleteChild d) {
          Owner o = loaded.get(d.owner());
          if (o != null && o.children.containsKey(d.kind())) o.children.get(d.kind()).remove(d.id());
        }
      }
    }
  }
}
