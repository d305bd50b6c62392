package io.eventplane.cloudwatch.domain;

import io.eventplane.common.partition.Partitions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A metric's identity in CloudWatch: account, region, namespace, metric name and its dimensions
 * (a set: order does not matter, so they are kept sorted by name). Its partition is the hash of
 * that identity, so every data point of a metric lives in one partition and one lane answers
 * "statistic S over [t0, t1)" for it; {@link #key()} names it in the store in 8 bytes.
 */
public record MetricId(String account, String region, String namespace, String metricName, Map<String, String> dimensions) {
  public MetricId {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(metricName, "metricName");
    dimensions = Collections.unmodifiableMap(new TreeMap<>(dimensions));
  }

  /** The identity as one string: every part separated by a 0 byte (no part may hold one: the API's patterns forbid control characters). */
  public String canonical() {
    StringBuilder b = new StringBuilder(64).append(account).append('\0').append(region).append('\0').append(namespace)
        .append('\0').append(metricName);
    for (Map.Entry<String, String> d : dimensions.entrySet()) b.append('\0').append(d.getKey()).append('\0').append(d.getValue());
    return b.toString();
  }

  public int partition() {
    return Partitions.of("cloudwatch", account, canonical());
  }

  /** The first 8 bytes of the SHA-256 of the identity: how the store names the metric (a collision needs ~2^32 metrics in one partition). */
  public long key() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** As ListMetrics answers it: {@code {Namespace, MetricName, Dimensions: [{Name, Value}]}}. */
  public JsonObject toJson() {
    JsonArray dims = new JsonArray();
    for (Map.Entry<String, String> d : dimensions.entrySet()) dims.add(new JsonObject().put("Name", d.getKey()).put("Value", d.getValue()));
    return new JsonObject().put("Namespace", namespace).put("MetricName", metricName).put("Dimensions", dims);
  }

  /** Stored form: the JSON of {@link #toJson()} with account and region. */
  public JsonObject toStored() {
    return toJson().put("Account", account).put("Region", region);
  }

  public static MetricId fromStored(JsonObject json) {
    Map<String, String> dims = new TreeMap<>();
    for (Object o : json.getJsonArray("Dimensions", new JsonArray())) {
      JsonObject d = (JsonObject) o;
      dims.put(d.getString("Name"), d.getString("Value"));
    }
    return new MetricId(json.getString("Account"), json.getString("Region"), json.getString("Namespace"),
        json.getString("MetricName"), dims);
  }
}
