package io.eventplane.eventbridge.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.domain.ApiDestination;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.Connection;
import io.eventplane.eventbridge.domain.EventBridgeLimits;
import io.eventplane.eventbridge.domain.EventsErrors;
import io.eventplane.eventbridge.domain.HttpEndpoints;
import io.eventplane.eventbridge.domain.InvocationSlots;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Create/Describe/List/Update/DeleteApiDestination and {@link EventsApi#RESOLVE_API_DESTINATION}
 * (a delivery's read of a destination with its connection, secrets included), on the lane that
 * owns the partition of the account and region, where the connections are too. A destination is
 * ACTIVE while its connection is AUTHORIZED, else INACTIVE (as recorded against AWS with an OAuth
 * connection still AUTHORIZING).
 */
final class ApiDestinationOperations {
  /** The order AWS's front end lists the methods in its message (recorded), not the model's. */
  static final List<String> METHODS = List.of("HEAD", "POST", "PATCH", "DELETE", "PUT", "GET", "OPTIONS");
  static final String CONNECTION_ARN =
      "^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:connection\\/[\\.\\-_A-Za-z0-9]+\\/[\\-A-Za-z0-9]+$";
  private static final Pattern CONNECTION_ARN_PATTERN = Pattern.compile(CONNECTION_ARN);
  static final String HTTPS_ENDPOINT = "^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@\\x26=+$,A-Za-z0-9])+)([).!';/?:,])?$";
  private static final Pattern HTTPS_ENDPOINT_PATTERN = Pattern.compile(HTTPS_ENDPOINT);

  private final Buses buses;
  private final HttpEndpoints endpoints;
  private final Clock clock;
  private final InvocationSlots slots = new InvocationSlots();
  /** API destinations per account and region (AWS's quota: 3,000); all of them live in this lane's partition. */
  private final int maxDestinations;

  ApiDestinationOperations(Buses buses, HttpEndpoints endpoints, Clock clock, int maxDestinations) {
    this.buses = buses;
    this.endpoints = endpoints;
    this.clock = clock;
    this.maxDestinations = maxDestinations;
  }

  Future<JsonObject> create(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.string(in, "Name", "name");
    String description = v.string(in, "Description", "description");
    String connectionArn = v.string(in, "ConnectionArn", "connectionArn");
    String endpoint = v.string(in, "InvocationEndpoint", "invocationEndpoint");
    String method = v.string(in, "HttpMethod", "httpMethod");
    Integer rate = v.integer(in, "InvocationRateLimitPerSecond", "invocationRateLimitPerSecond");
    v.required(name, "name");
    v.name(name, "name");
    v.length(description, "description", 0, 512);
    v.required(connectionArn, "connectionArn");
    connectionArn(v, connectionArn);
    v.required(endpoint, "invocationEndpoint");
    endpoint(v, endpoint);
    v.required(method, "httpMethod");
    v.oneOf(method, "httpMethod", METHODS);
    v.range(rate, "invocationRateLimitPerSecond", 1, Integer.MAX_VALUE);
    v.check();
    checkEndpoint(endpoint, "InvocationEndpoint");
    String account = request.context().accountId();
    String region = request.context().region();
    Connection connection = connection(connectionArn, account, region, "create");
    if (endpoints.destination(account, region, name) != null) {
      throw new ServiceException("ResourceAlreadyExistsException", "An api-destination '" + name + "' already exists.");
    }
    if (EventBridgeLimits.full(endpoints.destinations(account, region).size(), maxDestinations)) {
      throw EventsErrors.limitExceeded();
    }
    long now = clock.millis();
    ApiDestination d = new ApiDestination(account, region, name, Ids.uuid(), description, connection.arn(), endpoint, method,
        rate == null ? ApiDestination.DEFAULT_RATE_LIMIT : rate, now, now);
    return commit(d).map(x -> answer(d));
  }

  Future<JsonObject> describe(ApiRequest request) {
    ApiDestination d = require(request, "describe");
    JsonObject out = new JsonObject().put("ApiDestinationArn", d.arn()).put("Name", d.name());
    if (d.description() != null) out.put("Description", d.description());
    return Future.succeededFuture(listed(out, d));
  }

  Future<JsonObject> list(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String prefix = v.string(in, "NamePrefix", "namePrefix");
    String connectionArn = v.string(in, "ConnectionArn", "connectionArn");
    String token = v.string(in, "NextToken", "nextToken");
    Integer limit = v.integer(in, "Limit", "limit");
    v.name(prefix, "namePrefix");
    connectionArn(v, connectionArn);
    v.length(token, "nextToken", 1, 2048);
    v.range(limit, "limit", 1, 100);
    v.check();
    List<ApiDestination> all = endpoints.destinations(request.context().accountId(), request.context().region()).stream()
        .filter(d -> prefix == null || d.name().startsWith(prefix))
        .filter(d -> connectionArn == null || d.connectionArn().equals(connectionArn)).toList();
    return Future.succeededFuture(Wire.page(all, ApiDestination::name,
        d -> listed(new JsonObject().put("ApiDestinationArn", d.arn()).put("Name", d.name()), d),
        "ApiDestinations", Wire.after(token), limit == null ? 100 : limit));
  }

  /** Members given replace those stored; the connection named must exist. */
  Future<JsonObject> update(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.string(in, "Name", "name");
    String description = v.string(in, "Description", "description");
    String connectionArn = v.string(in, "ConnectionArn", "connectionArn");
    String endpoint = v.string(in, "InvocationEndpoint", "invocationEndpoint");
    String method = v.string(in, "HttpMethod", "httpMethod");
    Integer rate = v.integer(in, "InvocationRateLimitPerSecond", "invocationRateLimitPerSecond");
    v.required(name, "name");
    v.name(name, "name");
    v.length(description, "description", 0, 512);
    connectionArn(v, connectionArn);
    endpoint(v, endpoint);
    v.oneOf(method, "httpMethod", METHODS);
    v.range(rate, "invocationRateLimitPerSecond", 1, Integer.MAX_VALUE);
    v.check();
    if (endpoint != null) checkEndpoint(endpoint, "InvocationEndpoint");
    ApiDestination d = require(request, "update");
    String connection = connectionArn == null ? d.connectionArn()
        : connection(connectionArn, d.account(), d.region(), "update").arn();
    ApiDestination changed = new ApiDestination(d.account(), d.region(), d.name(), d.id(),
        in.containsKey("Description") ? description : d.description(), connection, endpoint == null ? d.endpoint() : endpoint,
        method == null ? d.httpMethod() : method, rate == null ? d.rateLimitPerSecond() : rate, d.createdAt(), clock.millis());
    return commit(changed).map(x -> answer(changed));
  }

  Future<JsonObject> delete(ApiRequest request) {
    ApiDestination d = require(request, "delete");
    Batch b = buses.store().batch();
    buses.store().deleteApiDestination(b, d);
    endpoints.remove(d);
    slots.forget(d.arn());
    return buses.commit(d.partition(), b).map(x -> new JsonObject());
  }

  /**
   * A delivery's read: {@code Name} and {@code Id} of the destination (in the request's account and
   * region) -> {@code Destination} and {@code Connection} as stored (secrets included: this is an
   * internal operation the gateway does not route). ResourceNotFoundException when either is gone.
   * With {@code Reserve: true}, also {@code StartAt}: when the delivery's request may start under the
   * destination's InvocationRateLimitPerSecond ({@link InvocationSlots}), taken only for an
   * AUTHORIZED connection (a delivery that cannot invoke takes no slot).
   */
  Future<JsonObject> resolve(ApiRequest request) {
    String name = request.input().getString("Name");
    String id = request.input().getString("Id");
    ApiDestination d = name == null ? null : endpoints.destination(request.context().accountId(), request.context().region(), name);
    if (d == null || (id != null && !id.equals(d.id()))) {
      throw EventsErrors.resourceNotFound("An api-destination '" + name + "' does not exist.");
    }
    Connection c = endpoints.connectionByArn(d.connectionArn());
    if (c == null) throw EventsErrors.resourceNotFound("The connection of api-destination '" + name + "' does not exist.");
    JsonObject out = new JsonObject().put("Destination", d.toJson()).put("Connection", c.toJson());
    if (request.input().getBoolean("Reserve", false) && c.state().equals(Connection.AUTHORIZED)) {
      out.put("StartAt", slots.reserve(d.arn(), d.rateLimitPerSecond(), clock.millis()));
    }
    return Future.succeededFuture(out);
  }

  /**
   * AWS invokes only https endpoints (with publicly trusted certificates). Eventplane also takes
   * http to a loopback address, so a local service without a certificate can be a target; any
   * other http endpoint is refused as AWS refuses it.
   */
  static void checkEndpoint(String endpoint, String member) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (Exception e) {
      uri = null;
    }
    String scheme = uri == null ? null : uri.getScheme();
    String host = uri == null ? null : uri.getHost();
    boolean ok = host != null && ("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme) && isLoopback(host));
    if (!ok) {
      throw EventsErrors.validation("Parameter " + member + " is not valid. Reason: " + member
          + " must be an https endpoint (Eventplane also takes http to a loopback address).");
    }
  }

  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) return true;
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!h.matches("[0-9.]+") && !h.contains(":")) return false;
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (Exception e) {
      return false;
    }
  }

  /** The connection an ARN names, of the caller's own account and region (where its destinations live). */
  private Connection connection(String arn, String account, String region, String verb) {
    Connection c = endpoints.connectionByArn(arn);
    if (c == null || !c.account().equals(account) || !c.region().equals(region)) {
      HttpEndpoints.ConnectionArn a = HttpEndpoints.ConnectionArn.parse(arn);
      String name = a == null ? arn : a.name();
      throw EventsErrors.resourceNotFound("Failed to " + verb + " the api-destination(s). Connection '" + name + "' does not exist.");
    }
    return c;
  }

  private static void connectionArn(Validation v, String arn) {
    v.length(arn, "connectionArn", 1, 1600);
    if (arn != null && !arn.isEmpty() && !CONNECTION_ARN_PATTERN.matcher(arn).matches()) {
      v.add("Value '" + arn + "' at 'connectionArn' failed to satisfy constraint: Member must satisfy regular expression pattern: "
          + CONNECTION_ARN);
    }
  }

  private static void endpoint(Validation v, String endpoint) {
    v.length(endpoint, "invocationEndpoint", 1, 2048);
    v.pattern(endpoint, "invocationEndpoint", HTTPS_ENDPOINT_PATTERN, HTTPS_ENDPOINT);
  }

  private Future<Void> commit(ApiDestination d) {
    Batch b = buses.store().batch();
    buses.store().putApiDestination(b, d);
    endpoints.put(d);
    return buses.commit(d.partition(), b);
  }

  private ApiDestination require(ApiRequest request, String verb) {
    Validation v = new Validation();
    String name = v.string(request.input(), "Name", "name");
    v.required(name, "name");
    v.name(name, "name");
    v.check();
    ApiDestination d = endpoints.destination(request.context().accountId(), request.context().region(), name);
    if (d == null) {
      throw EventsErrors.resourceNotFound("Failed to " + verb + " the api-destination(s). An api-destination '" + name
          + "' does not exist.");
    }
    return d;
  }

  private String state(ApiDestination d) {
    Connection c = endpoints.connectionByArn(d.connectionArn());
    return c != null && c.state().equals(Connection.AUTHORIZED) ? "ACTIVE" : "INACTIVE";
  }

  private JsonObject answer(ApiDestination d) {
    return new JsonObject().put("ApiDestinationArn", d.arn()).put("ApiDestinationState", state(d))
        .put("CreationTime", Wire.time(d.createdAt())).put("LastModifiedTime", Wire.time(d.modifiedAt()));
  }

  private JsonObject listed(JsonObject out, ApiDestination d) {
    return out.put("ApiDestinationState", state(d)).put("ConnectionArn", d.connectionArn())
        .put("InvocationEndpoint", d.endpoint()).put("HttpMethod", d.httpMethod())
        .put("InvocationRateLimitPerSecond", d.rateLimitPerSecond())
        .put("CreationTime", Wire.time(d.createdAt())).put("LastModifiedTime", Wire.time(d.modifiedAt()));
  }
}
