package io.eventplane.eventbridge.domain;

import io.eventplane.common.partition.Partitions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * An EventBridge connection: how API destinations authorize their HTTP calls. {@code auth} is the
 * AuthParameters structure as given, secrets included (there is no Secrets Manager here: the
 * secret lives in the connection's record, which only the service reads); {@link #describedAuth}
 * is what DescribeConnection may show of it. {@code secretId} is the {@code <uuid>-<6 chars>} of
 * the SecretArn AWS would have made.
 */
public record Connection(String account, String region, String name, String id, String secretId, String description,
    String authorizationType, JsonObject auth, String state, String stateReason, long createdAt, long modifiedAt,
    long authorizedAt) {
  public static final String API_KEY = "API_KEY";
  public static final String BASIC = "BASIC";
  public static final String OAUTH = "OAUTH_CLIENT_CREDENTIALS";
  public static final String AUTHORIZED = "AUTHORIZED";
  public static final String AUTHORIZING = "AUTHORIZING";
  public static final String DEAUTHORIZED = "DEAUTHORIZED";

  public Connection {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(authorizationType, "authorizationType");
    Objects.requireNonNull(state, "state");
    auth = auth == null ? new JsonObject() : auth.copy();
  }

  /**
   * The partition of every connection and API destination of an account and region: they are few
   * (AWS's quotas: 50 connections, 3,000 API destinations), listed together, and an API destination
   * names its connection, so keeping them in one partition makes listings one lane's read and a
   * delivery's lookup of destination and connection one call.
   */
  public static int partition(String account, String region) {
    return Partitions.of(BusRef.SERVICE, account, "\0http-endpoints/" + region);
  }

  public int partition() {
    return partition(account, region);
  }

  public String arn() {
    return "arn:aws:events:" + region + ":" + account + ":connection/" + name + "/" + id;
  }

  public String secretArn() {
    return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:events!connection/" + name + "/" + secretId;
  }

  public Connection with(String newState, String reason, JsonObject newAuth, String newType, String newDescription,
      long modified, long authorized) {
    return new Connection(account, region, name, id, secretId, newDescription, newType, newAuth, newState, reason,
        createdAt, modified, authorized);
  }

  /** The AuthParameters DescribeConnection shows: everything but the secrets (passwords, key values, client secrets, secret parameter values). */
  public JsonObject describedAuth() {
    JsonObject out = new JsonObject();
    JsonObject basic = auth.getJsonObject("BasicAuthParameters");
    if (basic != null) out.put("BasicAuthParameters", only(basic, List.of("Username")));
    JsonObject key = auth.getJsonObject("ApiKeyAuthParameters");
    if (key != null) out.put("ApiKeyAuthParameters", only(key, List.of("ApiKeyName")));
    JsonObject oauth = auth.getJsonObject("OAuthParameters");
    if (oauth != null) {
      JsonObject o = only(oauth, List.of("AuthorizationEndpoint", "HttpMethod"));
      JsonObject client = oauth.getJsonObject("ClientParameters");
      if (client != null) o.put("ClientParameters", only(client, List.of("ClientID")));
      JsonObject http = oauth.getJsonObject("OAuthHttpParameters");
      if (http != null) o.put("OAuthHttpParameters", describedParameters(http));
      out.put("OAuthParameters", o);
    }
    JsonObject invocation = auth.getJsonObject("InvocationHttpParameters");
    if (invocation != null) out.put("InvocationHttpParameters", describedParameters(invocation));
    return out;
  }

  private static JsonObject describedParameters(JsonObject http) {
    JsonObject out = new JsonObject();
    for (String list : List.of("HeaderParameters", "QueryStringParameters", "BodyParameters")) {
      JsonArray given = http.getJsonArray(list);
      if (given == null) continue;
      JsonArray shown = new JsonArray();
      for (Object o : given) {
        JsonObject p = (JsonObject) o;
        JsonObject s = new JsonObject();
        if (p.getValue("Key") != null) s.put("Key", p.getValue("Key"));
        boolean secret = Boolean.TRUE.equals(p.getValue("IsValueSecret"));
        if (!secret && p.getValue("Value") != null) s.put("Value", p.getValue("Value"));
        if (p.getValue("IsValueSecret") != null) s.put("IsValueSecret", p.getValue("IsValueSecret"));
        shown.add(s);
      }
      out.put(list, shown);
    }
    return out;
  }

  private static JsonObject only(JsonObject in, List<String> members) {
    JsonObject out = new JsonObject();
    for (String m : members) if (in.getValue(m) != null) out.put(m, in.getValue(m));
    return out;
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("account", account).put("region", region).put("name", name).put("id", id)
        .put("secretId", secretId).put("authorizationType", authorizationType).put("auth", auth).put("state", state)
        .put("createdAt", createdAt).put("modifiedAt", modifiedAt).put("authorizedAt", authorizedAt);
    if (description != null) j.put("description", description);
    if (stateReason != null) j.put("stateReason", stateReason);
    return j;
  }

  public static Connection fromJson(JsonObject j) {
    return new Connection(j.getString("account"), j.getString("region"), j.getString("name"), j.getString("id"),
        j.getString("secretId"), j.getString("description"), j.getString("authorizationType"), j.getJsonObject("auth"),
        j.getString("state"), j.getString("stateReason"), j.getLong("createdAt"), j.getLong("modifiedAt"),
        j.getLong("authorizedAt"));
  }
}
