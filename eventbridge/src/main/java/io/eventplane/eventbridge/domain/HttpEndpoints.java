package io.eventplane.eventbridge.domain;

import io.eventplane.eventbridge.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The connections and API destinations of the partitions one lane owns, by account, region and
 * name. One instance per lane, touched only on the lane's context (checked under {@code assert});
 * store reads run on a worker. Changes are applied here first and then committed, as {@link Buses} does.
 */
public final class HttpEndpoints {
  private final Vertx vertx;
  private final EventStore store;
  private final TreeMap<String, Connection> connections = new TreeMap<>();
  private final TreeMap<String, ApiDestination> destinations = new TreeMap<>();
  private final Thread owner;

  public HttpEndpoints(Vertx vertx, EventStore store) {
    this.vertx = vertx;
    this.store = store;
    this.owner = Thread.currentThread();
  }

  boolean onOwnerThread() {
    Thread current = Thread.currentThread();
    if (current != owner) throw new AssertionError("connection state of " + owner.getName() + " touched from " + current.getName());
    return true;
  }

  public static String key(String account, String region, String name) {
    return account + "\0" + region + "\0" + name;
  }

  /** Reads the partition's connections and API destinations; completes on the lane's context. */
  public Future<EventStore.HttpSnapshot> load(int partition) {
    assert onOwnerThread();
    return vertx.executeBlocking(() -> store.loadHttpEndpoints(partition)).map(s -> {
      assert onOwnerThread();
      for (Connection c : s.connections()) put(c);
      for (ApiDestination d : s.destinations()) put(d);
      return s;
    });
  }

  public void unload(int partition) {
    assert onOwnerThread();
    connections.values().removeIf(c -> c.partition() == partition);
    destinations.values().removeIf(d -> d.partition() == partition);
  }

  public void clear() {
    assert onOwnerThread();
    connections.clear();
    destinations.clear();
  }

  public Connection connection(String account, String region, String name) {
    assert onOwnerThread();
    return connections.get(key(account, region, name));
  }

  public ApiDestination destination(String account, String region, String name) {
    assert onOwnerThread();
    return destinations.get(key(account, region, name));
  }

  public void put(Connection c) {
    assert onOwnerThread();
    connections.put(key(c.account(), c.region(), c.name()), c);
  }

  public void put(ApiDestination d) {
    assert onOwnerThread();
    destinations.put(key(d.account(), d.region(), d.name()), d);
  }

  public void remove(Connection c) {
    assert onOwnerThread();
    connections.remove(key(c.account(), c.region(), c.name()));
  }

  public void remove(ApiDestination d) {
    assert onOwnerThread();
    destinations.remove(key(d.account(), d.region(), d.name()));
  }

  /** The connections of an account and region, in name order. */
  public List<Connection> connections(String account, String region) {
    assert onOwnerThread();
    String prefix = key(account, region, "");
    return new ArrayList<>(connections.subMap(prefix, prefix + Character.MAX_VALUE).values());
  }

  public List<ApiDestination> destinations(String account, String region) {
    assert onOwnerThread();
    String prefix = key(account, region, "");
    return new ArrayList<>(destinations.subMap(prefix, prefix + Character.MAX_VALUE).values());
  }

  /** The connection an ARN names, if this lane holds it and it is the same connection (not one deleted and made again). */
  public Connection connectionByArn(String arn) {
    ConnectionArn a = ConnectionArn.parse(arn);
    if (a == null) return null;
    Connection c = connection(a.account(), a.region(), a.name());
    return c != null && c.arn().equals(arn) ? c : null;
  }

  /** The parts of a connection or API destination ARN. */
  public record ConnectionArn(String region, String account, String kind, String name, String id) {
    private static final java.util.regex.Pattern ARN = java.util.regex.Pattern.compile(
        "arn:aws[a-z-]*:events:([a-z0-9-]*):([0-9]{12}):(connection|api-destination)/([.\\-_A-Za-z0-9]+)/([-A-Za-z0-9]+)");

    public static ConnectionArn parse(String arn) {
      if (arn == null) return null;
      java.util.regex.Matcher m = ARN.matcher(arn);
      return m.matches() ? new ConnectionArn(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)) : null;
    }
  }
}
