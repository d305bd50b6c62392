package io.eventplane.broker.topic.mobile;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A platform application (CreatePlatformApplication) with its endpoints: one record in the
 * application's partition, as a topic holds its subscriptions, so the lane that owns the partition
 * decides everything about the application and its endpoints. {@code attributes} holds what the
 * caller set, PlatformCredential and PlatformPrincipal included (kept, never listed back).
 */
public final class PlatformApplication {
  /** Never returned by GetPlatformApplicationAttributes or ListPlatformApplications. */
  static final java.util.Set<String> SECRET = java.util.Set.of("PlatformCredential", "PlatformPrincipal");

  private final PlatformArn arn;
  private final Map<String, String> attributes;
  /** By endpoint ARN, in creation order. */
  private final Map<String, PlatformEndpoint> endpoints = new LinkedHashMap<>();

  public PlatformApplication(PlatformArn arn, Map<String, String> attributes) {
    this.arn = arn;
    this.attributes = new LinkedHashMap<>(attributes);
  }

  public PlatformArn arn() {
    return arn;
  }

  public String arnString() {
    return arn.toString();
  }

  public Map<String, String> attributes() {
    return attributes;
  }

  public Map<String, PlatformEndpoint> endpoints() {
    return endpoints;
  }

  /**
   * What GetPlatformApplicationAttributes (and ListPlatformApplications) answer: Enabled, what was
   * set but the credentials, and for APNS and GCM the AuthenticationMethod the API reference
   * describes (APNS: Token with a team id, else Certificate; GCM: Token for a service-account JSON
   * credential, else Key).
   */
  public Map<String, String> describe() {
    Map<String, String> out = new java.util.TreeMap<>();
    out.put("Enabled", "true");
    attributes.forEach((k, v) -> {
      if (!SECRET.contains(k)) out.put(k, v);
    });
    String method = authenticationMethod();
    if (method != null) out.put("AuthenticationMethod", method);
    return out;
  }

  private String authenticationMethod() {
    String credential = attributes.get("PlatformCredential");
    if (credential == null) return null;
    return switch (arn.platform()) {
      case "APNS", "APNS_SANDBOX" -> attributes.containsKey("ApplePlatformTeamID") ? "Token" : "Certificate";
      case "GCM" -> credential.trim().startsWith("{") ? "Token" : "Key";
      default -> null;
    };
  }

  /** The endpoint of a device token, or null. */
  public PlatformEndpoint endpointOfToken(String token) {
    for (PlatformEndpoint e : endpoints.values()) if (token.equals(e.token())) return e;
    return null;
  }

  public JsonObject toJson() {
    JsonObject attrs = new JsonObject();
    attributes.forEach(attrs::put);
    JsonArray list = new JsonArray();
    for (PlatformEndpoint e : endpoints.values()) list.add(e.toJson());
    return new JsonObject().put("arn", arn.toString()).put("attributes", attrs).put("endpoints", list);
  }

  public static PlatformApplication fromJson(JsonObject j) {
    Map<String, String> attrs = new LinkedHashMap<>();
    j.getJsonObject("attributes", new JsonObject()).forEach(e -> attrs.put(e.getKey(), String.valueOf(e.getValue())));
    PlatformApplication app = new PlatformApplication(PlatformArn.application(j.getString("arn")), attrs);
    for (Object o : j.getJsonArray("endpoints", new JsonArray())) {
      PlatformEndpoint e = PlatformEndpoint.fromJson((JsonObject) o);
      app.endpoints.put(e.arn(), e);
    }
    return app;
  }
}
