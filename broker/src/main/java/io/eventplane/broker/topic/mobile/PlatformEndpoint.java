package io.eventplane.broker.topic.mobile;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device endpoint of a platform application: its attributes as GetEndpointAttributes lists
 * them ({@code Token}, {@code Enabled}, and {@code CustomUserData} once set).
 */
public final class PlatformEndpoint {
  private final String arn;
  private final Map<String, String> attributes;

  public PlatformEndpoint(String arn, Map<String, String> attributes) {
    this.arn = arn;
    this.attributes = new LinkedHashMap<>(attributes);
  }

  public String arn() {
    return arn;
  }

  public String token() {
    return attributes.get("Token");
  }

  public boolean enabled() {
    return !"false".equalsIgnoreCase(attributes.get("Enabled"));
  }

  public Map<String, String> attributes() {
    return attributes;
  }

  public Map<String, String> describe() {
    return new TreeMap<>(attributes);
  }

  public JsonObject toJson() {
    JsonObject attrs = new JsonObject();
    attributes.forEach(attrs::put);
    return new JsonObject().put("arn", arn).put("attributes", attrs);
  }

  public static PlatformEndpoint fromJson(JsonObject j) {
    Map<String, String> attrs = new LinkedHashMap<>();
    j.getJsonObject("attributes", new JsonObject()).forEach(e -> attrs.put(e.getKey(), String.valueOf(e.getValue())));
    return new PlatformEndpoint(j.getString("arn"), attrs);
  }
}
