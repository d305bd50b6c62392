package io.eventplane.eventbridge.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.delivery.HttpCalls;
import io.eventplane.eventbridge.delivery.OAuthTokens;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.Connection;
import io.eventplane.eventbridge.domain.EventsErrors;
import io.eventplane.eventbridge.domain.HttpEndpoints;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Create/Describe/List/Update/Delete/DeauthorizeConnection, run on the lane that owns the
 * partition of the caller's account and region ({@link Connection#partition}). API key and basic
 * connections are AUTHORIZED at once; an OAuth connection is AUTHORIZING until its lane fetched a
 * token from the authorization endpoint (then AUTHORIZED), or DEAUTHORIZED with the reason when
 * that failed. Secrets are kept in the record and never answered.
 */
final class ConnectionOperations {
  private static final Logger LOG = Logger.getLogger(ConnectionOperations.class.getName());
  /** AWS's quota of connections per account and region. */
  static final int MAX_CONNECTIONS = 50;
  static final List<String> TYPES = List.of(Connection.BASIC, Connection.OAUTH, Connection.API_KEY);
  static final List<String> STATES = List.of("CREATING", "UPDATING", "DELETING", "AUTHORIZED", "DEAUTHORIZED", "AUTHORIZING",
      "DEAUTHORIZING", "ACTIVE", "FAILED_CONNECTIVITY");
  private static final String AUTH_HEADER = "^[ \\t]*[^\\x00-\\x1F:\\x7F]+([ \\t]+[^\\x00-\\x1F:\\x7F]+)*[ \\t]*$";
  private static final Pattern AUTH_HEADER_PATTERN = Pattern.compile(AUTH_HEADER);
  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Buses buses;
  private final HttpEndpoints endpoints;
  private final HttpCalls http;
  private final Clock clock;

  ConnectionOperations(Buses buses, HttpEndpoints endpoints, HttpCalls http, Clock clock) {
    this.buses = buses;
    this.endpoints = endpoints;
    this.http = http;
    this.clock = clock;
  }

  Future<JsonObject> create(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.string(in, "Name", "name");
    String description = v.string(in, "Description", "description");
    String type = v.string(in, "AuthorizationType", "authorizationType");
    JsonObject auth = v.object(in, "AuthParameters", "authParameters");
    v.required(name, "name");
    v.name(name, "name");
    v.length(description, "description", 0, 512);
    v.required(type, "authorizationType");
    v.oneOf(type, "authorizationType", TYPES);
    v.required(auth, "authParameters");
    if (auth != null) checkAuth(auth, v, true);
    v.check();
    requireTypeParameters(type, auth);
    String account = request.context().accountId();
    String region = request.context().region();
    if (endpoints.connection(account, region, name) != null) {
      throw new ServiceException("ResourceAlreadyExistsException", "Connection " + name + " already exists.");
    }
    if (endpoints.connections(account, region).size() >= MAX_CONNECTIONS) throw EventsErrors.limitExceeded();
    long now = clock.millis();
    boolean oauth = type.equals(Connection.OAUTH);
    Connection c = new Connection(account, region, name, Ids.uuid(), Ids.uuid() + "-" + suffix(), description, type,
        normalised(auth), oauth ? Connection.AUTHORIZING : Connection.AUTHORIZED, null, now, now, now);
    return commit(c).map(x -> {
      if (oauth) authorize(c);
      return new JsonObject().put("ConnectionArn", c.arn()).put("ConnectionState", c.state())
          .put("CreationTime", Wire.time(c.createdAt())).put("LastModifiedTime", Wire.time(c.modifiedAt()));
    });
  }

  Future<JsonObject> describe(ApiRequest request) {
    Connection c = require(request, "describe");
    JsonObject out = new JsonObject().put("ConnectionArn", c.arn()).put("Name", c.name());
    if (c.description() != null) out.put("Description", c.description());
    out.put("ConnectionState", c.state());
    if (c.stateReason() != null) out.put("StateReason", c.stateReason());
    out.put("AuthorizationType", c.authorizationType()).put("SecretArn", c.secretArn())
        .put("AuthParameters", c.describedAuth());
    return Future.succeededFuture(times(out, c));
  }

  Future<JsonObject> list(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String prefix = v.string(in, "NamePrefix", "namePrefix");
    String state = v.string(in, "ConnectionState", "connectionState");
    String token = v.string(in, "NextToken", "nextToken");
    Integer limit = v.integer(in, "Limit", "limit");
    v.name(prefix, "namePrefix");
    v.oneOf(state, "connectionState", STATES);
    v.length(token, "nextToken", 1, 2048);
    v.range(limit, "limit", 1, 100);
    v.check();
    List<Connection> all = endpoints.connections(request.context().accountId(), request.context().region()).stream()
        .filter(c -> prefix == null || c.name().startsWith(prefix))
        .filter(c -> state == null || c.state().equals(state)).toList();
    return Future.succeededFuture(Wire.page(all, Connection::name, c -> {
      JsonObject out = new JsonObject().put("ConnectionArn", c.arn()).put("Name", c.name()).put("ConnectionState", c.state());
      if (c.stateReason() != null) out.put("StateReason", c.stateReason());
      return times(out.put("AuthorizationType", c.authorizationType()), c);
    }, "Connections", Wire.after(token), limit == null ? 100 : limit));
  }

  /**
   * Members given replace those stored (AuthParameters member by member, so a new password keeps
   * the username); credentials given to a deauthorized connection authorize it again.
   */
  Future<JsonObject> update(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.string(in, "Name", "name");
    String description = v.string(in, "Description", "description");
    String type = v.string(in, "AuthorizationType", "authorizationType");
    JsonObject auth = v.object(in, "AuthParameters", "authParameters");
    v.required(name, "name");
    v.name(name, "name");
    v.length(description, "description", 0, 512);
    v.oneOf(type, "authorizationType", TYPES);
    if (auth != null) checkAuth(auth, v, false);
    v.check();
    Connection c = require(request, "update");
    String newType = type == null ? c.authorizationType() : type;
    JsonObject merged = c.auth().copy();
    if (auth != null) {
      JsonObject given = normalised(auth);
      if (!newType.equals(c.authorizationType())) {
        merged.remove("BasicAuthParameters");
        merged.remove("ApiKeyAuthParameters");
        merged.remove("OAuthParameters");
      }
      for (String member : given.fieldNames()) {
        Object value = given.getValue(member);
        if (value instanceof JsonObject g && merged.getValue(member) instanceof JsonObject old && !member.equals("InvocationHttpParameters")) {
          merged.put(member, old.copy().mergeIn(g, true));
        } else {
          merged.put(member, value);
        }
      }
    }
    long now = clock.millis();
    boolean oauth = newType.equals(Connection.OAUTH);
    boolean credentialsGiven = auth != null || type != null;
    if (credentialsGiven) requireTypeParameters(newType, merged);
    String state = !credentialsGiven ? c.state() : oauth ? Connection.AUTHORIZING : Connection.AUTHORIZED;
    long authorized = credentialsGiven && state.equals(Connection.AUTHORIZED) ? now : c.authorizedAt();
    Connection changed = c.with(state, state.equals(c.state()) ? c.stateReason() : null, merged, newType,
        in.containsKey("Description") ? description : c.description(), now, authorized);
    return commit(changed).map(x -> {
      if (oauth && changed.state().equals(Connection.AUTHORIZING)) authorize(changed);
      return answer(changed, changed.state());
    });
  }

  Future<JsonObject> delete(ApiRequest request) {
    Connection c = require(request, "delete");
    Batch b = buses.store().batch();
    buses.store().deleteConnection(b, c);
    endpoints.remove(c);
    return buses.commit(c.partition(), b).map(x -> answer(c, "DELETING"));
  }

  /** Takes the secrets out of the connection: DEAUTHORIZED, and deliveries through it fail until it is updated with new ones. */
  Future<JsonObject> deauthorize(ApiRequest request) {
    Connection c = require(request, "deauthorize");
    long now = clock.millis();
    Connection changed = c.with(Connection.DEAUTHORIZED, null, c.describedAuth(), c.authorizationType(), c.description(),
        now, c.authorizedAt());
    return commit(changed).map(x -> answer(changed, "DEAUTHORIZING"));
  }

  /** Authorizes the OAuth connections of a partition this lane just took that were still AUTHORIZING. */
  void resume(List<Connection> loaded) {
    for (Connection c : loaded) if (c.state().equals(Connection.AUTHORIZING)) authorize(c);
  }

  /**
   * Fetches a token for an AUTHORIZING OAuth connection and records the outcome, unless the
   * connection changed (or moved to another node) meanwhile: then its own authorization decides.
   */
  private void authorize(Connection c) {
    JsonObject oauth = c.auth().getJsonObject("OAuthParameters", new JsonObject());
    OAuthTokens.fetch(http, oauth, clock.millis()).onComplete(ar -> {
      Connection now = endpoints.connection(c.account(), c.region(), c.name());
      if (now == null || !now.id().equals(c.id()) || now.modifiedAt() != c.modifiedAt()
          || !now.state().equals(Connection.AUTHORIZING)) {
        return;
      }
      long at = clock.millis();
      Connection done = ar.succeeded()
          ? now.with(Connection.AUTHORIZED, null, now.auth(), now.authorizationType(), now.description(), now.modifiedAt(), at)
          : now.with(Connection.DEAUTHORIZED, truncate(ar.cause().getMessage()), now.auth(), now.authorizationType(),
              now.description(), now.modifiedAt(), now.authorizedAt());
      commit(done).onFailure(e -> LOG.log(Level.FINE, "could not record the authorization of " + c.arn(), e));
    });
  }

  private Future<Void> commit(Connection c) {
    Batch b = buses.store().batch();
    buses.store().putConnection(b, c);
    endpoints.put(c);
    return buses.commit(c.partition(), b);
  }

  private Connection require(ApiRequest request, String verb) {
    Validation v = new Validation();
    String name = v.string(request.input(), "Name", "name");
    v.required(name, "name");
    v.name(name, "name");
    v.check();
    Connection c = endpoints.connection(request.context().accountId(), request.context().region(), name);
    if (c == null) {
      throw EventsErrors.resourceNotFound("Failed to " + verb + " the connection(s). Connection '" + name + "' does not exist.");
    }
    return c;
  }

  private static JsonObject answer(Connection c, String state) {
    return times(new JsonObject().put("ConnectionArn", c.arn()).put("ConnectionState", state), c);
  }

  private static JsonObject times(JsonObject out, Connection c) {
    return out.put("CreationTime", Wire.time(c.createdAt())).put("LastModifiedTime", Wire.time(c.modifiedAt()))
        .put("LastAuthorizedTime", Wire.time(c.authorizedAt()));
  }

  /** The AuthParameters members the API defines (others are dropped), as given. */
  private static JsonObject normalised(JsonObject auth) {
    JsonObject out = new JsonObject();
    for (String m : List.of("BasicAuthParameters", "OAuthParameters", "ApiKeyAuthParameters", "InvocationHttpParameters")) {
      if (auth.getValue(m) instanceof JsonObject o) out.put(m, o.copy());
    }
    return out;
  }

  /** The type's own parameters must be there, complete (Update may give them in parts). */
  private static void requireTypeParameters(String type, JsonObject auth) {
    String member = switch (type) {
      case Connection.BASIC -> "BasicAuthParameters";
      case Connection.API_KEY -> "ApiKeyAuthParameters";
      default -> "OAuthParameters";
    };
    JsonObject p = auth == null ? null : auth.getJsonObject(member);
    List<String> needed = switch (type) {
      case Connection.BASIC -> List.of("Username", "Password");
      case Connection.API_KEY -> List.of("ApiKeyName", "ApiKeyValue");
      default -> List.of("AuthorizationEndpoint", "HttpMethod", "ClientParameters");
    };
    boolean complete = p != null && needed.stream().allMatch(p::containsKey);
    if (complete && type.equals(Connection.OAUTH)) {
      JsonObject client = p.getJsonObject("ClientParameters");
      complete = client.containsKey("ClientID") && client.containsKey("ClientSecret");
    }
    if (!complete) {
      throw EventsErrors.validation("Parameter(s) " + member + " must be specified for AuthorizationType " + type + ".");
    }
    if (type.equals(Connection.OAUTH)) ApiDestinationOperations.checkEndpoint(p.getString("AuthorizationEndpoint"), "AuthorizationEndpoint");
  }

  /** The model's constraints on AuthParameters; on Update nothing inside is required. */
  private static void checkAuth(JsonObject auth, Validation v, boolean create) {
    String at = "authParameters";
    JsonObject basic = v.object(auth, "BasicAuthParameters", at + ".basicAuthParameters");
    if (basic != null) {
      authHeader(v, basic, "Username", at + ".basicAuthParameters.username", create);
      authHeader(v, basic, "Password", at + ".basicAuthParameters.password", create);
    }
    JsonObject key = v.object(auth, "ApiKeyAuthParameters", at + ".apiKeyAuthParameters");
    if (key != null) {
      authHeader(v, key, "ApiKeyName", at + ".apiKeyAuthParameters.apiKeyName", create);
      authHeader(v, key, "ApiKeyValue", at + ".apiKeyAuthParameters.apiKeyValue", create);
    }
    JsonObject oauth = v.object(auth, "OAuthParameters", at + ".oAuthParameters");
    if (oauth != null) {
      String p = at + ".oAuthParameters";
      JsonObject client = v.object(oauth, "ClientParameters", p + ".clientParameters");
      if (create) v.required(client, p + ".clientParameters");
      if (client != null) {
        authHeader(v, client, "ClientID", p + ".clientParameters.clientID", create);
        authHeader(v, client, "ClientSecret", p + ".clientParameters.clientSecret", create);
      }
      String endpoint = v.string(oauth, "AuthorizationEndpoint", p + ".authorizationEndpoint");
      if (create) v.required(endpoint, p + ".authorizationEndpoint");
      v.length(endpoint, p + ".authorizationEndpoint", 1, 2048);
      String method = v.string(oauth, "HttpMethod", p + ".httpMethod");
      if (create) v.required(method, p + ".httpMethod");
      v.oneOf(method, p + ".httpMethod", List.of("GET", "POST", "PUT"));
      JsonObject http = v.object(oauth, "OAuthHttpParameters", p + ".oAuthHttpParameters");
      if (http != null) checkParameters(http, v, p + ".oAuthHttpParameters");
    }
    JsonObject invocation = v.object(auth, "InvocationHttpParameters", at + ".invocationHttpParameters");
    if (invocation != null) checkParameters(invocation, v, at + ".invocationHttpParameters");
  }

  private static void authHeader(Validation v, JsonObject in, String member, String path, boolean required) {
    String value = v.string(in, member, path);
    if (required) v.required(value, path);
    v.length(value, path, 1, 512);
    if (value != null && !value.isEmpty() && !AUTH_HEADER_PATTERN.matcher(value).matches()) {
      // A secret is not echoed in the message, as AWS's front end masks sensitive members.
      v.add("Value at '" + path + "' failed to satisfy constraint: Member must satisfy regular expression pattern: " + AUTH_HEADER);
    }
  }

  private static void checkParameters(JsonObject http, Validation v, String path) {
    for (String list : List.of("HeaderParameters", "QueryStringParameters", "BodyParameters")) {
      String p = path + "." + Character.toLowerCase(list.charAt(0)) + list.substring(1);
      JsonArray items = v.array(http, list, p);
      if (items == null) continue;
      if (items.size() > 100) v.add("Value at '" + p + "' failed to satisfy constraint: Member must have length less than or equal to 100");
      for (int i = 0; i < items.size(); i++) {
        if (!(items.getValue(i) instanceof JsonObject item)) {
          throw EventsErrors.validation("1 validation error detected: Value at '" + p + "." + (i + 1)
              + ".member' failed to satisfy constraint: Member must be a structure");
        }
        String m = p + "." + (i + 1) + ".member";
        v.length(v.string(item, "Key", m + ".key"), m + ".key", 0, list.equals("BodyParameters") ? Integer.MAX_VALUE : 512);
        String value = v.string(item, "Value", m + ".value");
        if (!list.equals("BodyParameters") && value != null && value.length() > 512) {
          v.add("Value at '" + m + ".value' failed to satisfy constraint: Member must have length less than or equal to 512");
        }
        if (item.getValue("IsValueSecret") != null && !(item.getValue("IsValueSecret") instanceof Boolean)) {
          throw EventsErrors.validation("1 validation error detected: Value '" + item.getValue("IsValueSecret") + "' at '" + m
              + ".isValueSecret' failed to satisfy constraint: Member must be a boolean");
        }
      }
    }
  }

  private static String suffix() {
    StringBuilder b = new StringBuilder(6);
    for (int i = 0; i < 6; i++) b.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
    return b.toString();
  }

  private static String truncate(String s) {
    String m = s == null ? "Authorization failed." : s;
    return m.length() > 512 ? m.substring(0, 512) : m;
  }
}
