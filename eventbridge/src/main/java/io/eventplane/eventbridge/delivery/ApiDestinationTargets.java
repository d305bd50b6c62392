package io.eventplane.eventbridge.delivery;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.eventplane.eventbridge.api.EventsApi;
import io.eventplane.eventbridge.domain.ApiDestination;
import io.eventplane.eventbridge.domain.Connection;
import io.eventplane.eventbridge.domain.HttpEndpoints;
import io.eventplane.eventbridge.domain.Target;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API destination targets: an HTTP request to the destination's endpoint with the target's input
 * as the body, authorized by the destination's connection (an API key header, HTTP Basic, or an
 * OAuth bearer token from {@link OAuthTokens}, fetched again once after a 401), with the
 * connection's invocation parameters and the target's {@code HttpParameters}, at most the
 * destination's InvocationRateLimitPerSecond across the cluster (start times handed out by the
 * destination's owner, {@link io.eventplane.eventbridge.domain.InvocationSlots}; the excess waits
 * here, {@link ClockWaits}).
 *
 * <p>The destination and its connection live in the partition of their account and region, not
 * the bus's: each attempt reads them there ({@link EventsApi#RESOLVE_API_DESTINATION} through
 * this node's EventBridge service, which runs it at the owner), so an update or a
 * DeauthorizeConnection holds from the next attempt on; no copy is kept here but OAuth tokens,
 * which belong to one version of a connection.
 *
 * <p>Outcomes as the EventBridge user guide gives them for API destinations: 2xx delivered; 401,
 * 407, 409, 429, 5xx and no answer within five seconds retried by the target's RetryPolicy; any
 * other status (and a deauthorized or missing connection) to the dead-letter queue at once.
 */
final class ApiDestinationTargets implements TargetChannel {
  static final String ERROR_PREFIX = "Unable to invoke ApiDestination endpoint: ";
  private static final long RESOLVE_TIMEOUT_MILLIS = 15_000;

  private final Vertx vertx;
  private final HttpCalls http;
  private final OAuthTokens tokens;
  private final ClockWaits waits;

  ApiDestinationTargets(Vertx vertx, Clock clock, HttpCalls http) {
    this.vertx = vertx;
    this.http = http;
    this.tokens = new OAuthTokens(http, clock);
    this.waits = new ClockWaits(vertx, clock);
  }

  @Override
  public boolean serves(String arn) {
    HttpEndpoints.ConnectionArn a = HttpEndpoints.ConnectionArn.parse(arn);
    return a != null && a.kind().equals("api-destination");
  }

  @Override
  public Future<Outcome> deliver(Target target, String input, String eventId) {
    return attempt(target, input, false);
  }

  /**
   * Reads the destination and its connection at their owner, which also hands out this request's
   * start time under the rate limit, waits for it, and invokes; {@code refreshed}: the second request
   * after a 401 with a new OAuth token (it counts against the rate limit like any other).
   */
  private Future<Outcome> attempt(Target target, String input, boolean refreshed) {
    HttpEndpoints.ConnectionArn a = HttpEndpoints.ConnectionArn.parse(target.arn());
    JsonObject ask = new JsonObject().put("Name", a.name()).put("Id", a.id()).put("Reserve", true);
    RequestContext context = new RequestContext(a.account(), a.region(), Ids.uuid(), ServiceCalls.INTERNAL_BASE_URL);
    return vertx.eventBus().<ApiReply>request(Contracts.EVENTS, new ApiRequest(EventsApi.RESOLVE_API_DESTINATION, ask, context),
            new DeliveryOptions().setSendTimeout(RESOLVE_TIMEOUT_MILLIS))
        .compose(m -> {
          ApiReply reply = m.body();
          if (!reply.succeeded()) {
            return Future.succeededFuture(reply.error().code().equals("ResourceNotFoundException")
                ? Outcome.clientError("NO_RESOURCE", reply.error().message())
                : Outcome.serverError("CONNECTION_FAILURE", reply.error().message()));
          }
          ApiDestination d = ApiDestination.fromJson(reply.output().getJsonObject("Destination"));
          Connection c = Connection.fromJson(reply.output().getJsonObject("Connection"));
          if (c.state().equals(Connection.AUTHORIZING)) {
            return Future.succeededFuture(Outcome.serverError("SDK_CLIENT_ERROR", ERROR_PREFIX + "The connection is being authorized."));
          }
          if (!c.state().equals(Connection.AUTHORIZED)) {
            return Future.succeededFuture(Outcome.clientError("SDK_CLIENT_ERROR",
                ERROR_PREFIX + "The connection is " + c.state() + (c.stateReason() == null ? "." : ": " + c.stateReason())));
          }
          long startAt = reply.output().getLong("StartAt", 0L);
          return waits.until(startAt).compose(v -> invoke(d, c, target, input, refreshed));
        }, e -> Future.succeededFuture(Outcome.serverError("CONNECTION_FAILURE", String.valueOf(e.getMessage()))));
  }

  private Future<Outcome> invoke(ApiDestination d, Connection c, Target target, String input, boolean refreshed) {
    String tokenKey = c.arn() + "@" + c.modifiedAt();
    JsonObject auth = c.auth();
    Future<String[]> authorization = switch (c.authorizationType()) {
      case Connection.API_KEY -> {
        JsonObject k = auth.getJsonObject("ApiKeyAuthParameters", new JsonObject());
        yield Future.succeededFuture(new String[] {k.getString("ApiKeyName"), k.getString("ApiKeyValue")});
      }
      case Connection.BASIC -> {
        JsonObject b = auth.getJsonObject("BasicAuthParameters", new JsonObject());
        String pair = b.getString("Username") + ":" + b.getString("Password");
        yield Future.succeededFuture(new String[] {"Authorization",
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))});
      }
      default -> tokens.token(tokenKey, auth.getJsonObject("OAuthParameters", new JsonObject()))
          .map(t -> new String[] {"Authorization", "Bearer " + t});
    };
    return authorization.compose(header -> {
      Request r;
      try {
        r = request(d, c, target, input, header);
      } catch (IllegalArgumentException e) {
        return Future.succeededFuture(Outcome.clientError("SDK_CLIENT_ERROR", ERROR_PREFIX + e.getMessage()));
      }
      return http.send(d.httpMethod(), r.url, r.headers, r.body).map(response -> {
        int status = response.status();
        if (status / 100 == 2) return Outcome.delivered();
        String message = ERROR_PREFIX + "The endpoint answered HTTP status " + status + ".";
        return retryable(status) ? Outcome.serverError("SDK_CLIENT_ERROR", message) : Outcome.clientError("SDK_CLIENT_ERROR", message);
      }).compose(outcome -> {
        if (outcome.kind() == Outcome.Kind.SERVER_ERROR && !refreshed && c.authorizationType().equals(Connection.OAUTH)
            && outcome.errorMessage().endsWith(" 401.")) {
          tokens.forget(tokenKey);
          return attempt(target, input, true);
        }
        return Future.succeededFuture(outcome);
      }, e -> Future.succeededFuture(e instanceof HttpCalls.NoAnswer n && n.timedOut()
          ? Outcome.serverError("UNKNOWN", ERROR_PREFIX + n.getMessage())
          : Outcome.serverError("SDK_CLIENT_ERROR", ERROR_PREFIX + e.getMessage())));
    }, e -> Future.succeededFuture(Outcome.serverError("SDK_CLIENT_ERROR", ERROR_PREFIX + e.getMessage())));
  }

  /** EventBridge retries 401, 407, 409, 429 and 5xx; every other status is final. */
  static boolean retryable(int status) {
    return status == 401 || status == 407 || status == 409 || status == 429 || status >= 500;
  }

  private record Request(String url, MultiMap headers, Buffer body) {}

  /**
   * The request: the endpoint with each {@code *} replaced by the target's PathParameterValues in
   * order; the target's query string and header parameters, then the connection's invocation
   * parameters (which win where both name one, as the API reference says); the auth header;
   * EventBridge's User-Agent; the input as body (with the connection's body parameters added when
   * it is a JSON object), Content-Type {@code application/json; charset=utf-8} unless a header
   * parameter sets one; no body for GET and HEAD.
   */
  private static Request request(ApiDestination d, Connection c, Target target, String input, String[] authHeader) {
    JsonObject params = target.wire().getJsonObject("HttpParameters", new JsonObject());
    JsonObject invocation = c.auth().getJsonObject("InvocationHttpParameters", new JsonObject());
    String url = path(d.endpoint(), params.getJsonArray("PathParameterValues"));
    Map<String, String> query = new LinkedHashMap<>();
    strings(params.getJsonObject("QueryStringParameters"), query);
    pairs(invocation.getJsonArray("QueryStringParameters"), query);
    JsonArray queryPairs = new JsonArray();
    query.forEach((k, v) -> queryPairs.add(new JsonObject().put("Key", k).put("Value", v)));
    url = OAuthTokens.withQuery(url, queryPairs);
    Map<String, String> headerValues = new LinkedHashMap<>();
    strings(params.getJsonObject("HeaderParameters"), headerValues);
    pairs(invocation.getJsonArray("HeaderParameters"), headerValues);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    headerValues.forEach(headers::set);
    headers.set(authHeader[0], authHeader[1]);
    headers.set("User-Agent", HttpCalls.USER_AGENT);
    Buffer body = null;
    if (!d.httpMethod().equals("GET") && !d.httpMethod().equals("HEAD")) {
      if (!headers.contains("Content-Type")) headers.set("Content-Type", "application/json; charset=utf-8");
      body = Buffer.buffer(withBodyParameters(input, invocation.getJsonArray("BodyParameters")));
    }
    return new Request(url, headers, body);
  }

  private static String path(String endpoint, JsonArray values) {
    StringBuilder out = new StringBuilder();
    int next = 0;
    for (int i = 0; i < endpoint.length(); i++) {
      char ch = endpoint.charAt(i);
      if (ch != '*') {
        out.append(ch);
        continue;
      }
      if (values == null || next >= values.size()) {
        throw new IllegalArgumentException("The target gives fewer PathParameterValues than the endpoint has wildcards.");
      }
      out.append(OAuthTokens.encode(String.valueOf(values.getValue(next++))));
    }
    return out.toString();
  }

  private static String withBodyParameters(String input, JsonArray parameters) {
    if (parameters == null || parameters.isEmpty()) return input;
    JsonObject body;
    try {
      body = new JsonObject(input);
    } catch (RuntimeException e) {
      return input;
    }
    for (Object o : parameters) {
      JsonObject p = (JsonObject) o;
      if (p.getString("Key") != null) body.put(p.getString("Key"), p.getString("Value", ""));
    }
    return body.encode();
  }

  private static void strings(JsonObject map, Map<String, String> into) {
    if (map == null) return;
    for (String k : map.fieldNames()) into.put(k, String.valueOf(map.getValue(k)));
  }

  private static void pairs(JsonArray list, Map<String, String> into) {
    if (list == null) return;
    for (Object o : list) {
      JsonObject p = (JsonObject) o;
      if (p.getString("Key") != null) into.put(p.getString("Key"), p.getString("Value", ""));
    }
  }
}
