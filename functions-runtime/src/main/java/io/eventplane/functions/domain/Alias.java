package io.eventplane.functions.domain;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A function alias: a name for a version ({@code live -> 3}), optionally sending a share of the
 * invocations to one more version (RoutingConfig.AdditionalVersionWeights, as for canary releases).
 *
 * @param additionalWeights version -> share of invocations (0.0 to 1.0), at most one entry
 */
public record Alias(String accountId, String region, String functionName, String name, String functionVersion, String description,
    String revisionId, Map<String, Double> additionalWeights) {

  public Alias {
    additionalWeights = Map.copyOf(new LinkedHashMap<>(additionalWeights));
  }

  public String arn() {
    return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + functionName + ":" + name;
  }

  /** The version an invocation through the alias runs: the additional one with its weight's chance. */
  public String pickVersion() {
    double roll = ThreadLocalRandom.current().nextDouble();
    for (Map.Entry<String, Double> e : additionalWeights.entrySet()) {
      if (roll < e.getValue()) return e.getKey();
      roll -= e.getValue();
    }
    return functionVersion;
  }

  /** The AliasConfiguration shape of the API reference. */
  public JsonObject configuration() {
    JsonObject out = new JsonObject().put("AliasArn", arn()).put("Name", name)
        .put("FunctionVersion", functionVersion).put("Description", description).put("RevisionId", revisionId);
    if (!additionalWeights.isEmpty()) {
      JsonObject weights = new JsonObject();
      additionalWeights.forEach(weights::put);
      out.put("RoutingConfig", new JsonObject().put("AdditionalVersionWeights", weights));
    }
    return out;
  }

  public JsonObject toJson() {
    JsonObject weights = new JsonObject();
    additionalWeights.forEach(weights::put);
    return new JsonObject().put("accountId", accountId).put("region", region).put("functionName", functionName).put("name", name)
        .put("functionVersion", functionVersion).put("description", description).put("revisionId", revisionId)
        .put("weights", weights);
  }

  public static Alias fromJson(JsonObject j) {
    Map<String, Double> weights = new LinkedHashMap<>();
    j.getJsonObject("weights", new JsonObject()).forEach(e -> weights.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
    return new Alias(j.getString("accountId"), j.getString("region"), j.getString("functionName"), j.getString("name"),
        j.getString("functionVersion"), j.getString("description", ""), j.getString("revisionId"), weights);
  }
}
