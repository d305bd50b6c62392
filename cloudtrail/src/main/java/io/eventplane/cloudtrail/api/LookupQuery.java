package io.eventplane.cloudtrail.api;

import io.eventplane.cloudtrail.domain.CloudTrailErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * A LookupEvents call, checked as CloudTrail checks it: at most one lookup attribute of the eight
 * keys, a value of 1 to 2000 characters, a start before the end, MaxResults 1-50 (default 50), a
 * NextToken made by an earlier call with the same parameters, EventCategory {@code insight} only.
 *
 * @param key the lookup attribute's key, or null
 * @param after the key of the last record of the previous page, or null
 */
public record LookupQuery(String key, String value, long from, long to, int maxResults, boolean insight, byte[] after,
    String fingerprint) {
  public static final Duration RETENTION = Duration.ofDays(90);
  static final Set<String> KEYS = Set.of("EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName",
      "EventSource", "AccessKeyId");

  /** @param now the service clock's time (millis): nothing older than 90 days is looked up */
  public static LookupQuery of(JsonObject input, long now) {
    JsonArray attributes = input.getJsonArray("LookupAttributes", new JsonArray());
    String key = null;
    String value = null;
    if (attributes.size() > 1) {
      throw CloudTrailErrors.lookupAttributes("You can only specify one lookup attribute.");
    }
    if (attributes.size() == 1) {
      JsonObject a = attributes.getJsonObject(0);
      key = a.getString("AttributeKey");
      value = a.getString("AttributeValue");
      if (key == null || !KEYS.contains(key)) {
        throw CloudTrailErrors.lookupAttributes("The lookup attribute key " + key + " is not valid.");
      }
      if (value == null || value.isEmpty() || value.length() > 2000) {
        throw CloudTrailErrors.lookupAttributes("The lookup attribute value must be 1 to 2000 characters long.");
      }
    }
    Long start = millis(input.getValue("StartTime"));
    Long end = millis(input.getValue("EndTime"));
    if (start != null && end != null && start > end) {
      throw CloudTrailErrors.timeRange("Start time must be before end time.");
    }
    long from = Math.max(now - RETENTION.toMillis(), start == null ? 0 : start);
    long to = end == null ? Long.MAX_VALUE / 2 : end;
    Integer max = input.getInteger("MaxResults");
    if (max != null && (max < 1 || max > 50)) {
      throw CloudTrailErrors.maxResults("Value " + max + " for MaxResults is invalid. It must be between 1 and 50.");
    }
    String category = input.getString("EventCategory");
    if (category != null && !category.equals("insight")) {
      throw CloudTrailErrors.eventCategory("Event category " + category + " is not valid.");
    }
    String fingerprint = fingerprint(key, value, start, end, category);
    byte[] after = null;
    String token = input.getString("NextToken");
    if (token != null) after = decodeToken(token, fingerprint);
    return new LookupQuery(key, value, from, to, max == null ? 50 : max, category != null, after, fingerprint);
  }

  /** Whether a stored record passes the lookup attribute. */
  public boolean matches(JsonObject stored) {
    if (key == null) return true;
    JsonObject record = stored.getJsonObject("record");
    return switch (key) {
      case "EventId" -> value.equals(record.getString("eventID"));
      case "EventName" -> value.equals(record.getString("eventName"));
      case "EventSource" -> value.equals(record.getString("eventSource"));
      case "ReadOnly" -> value.equals(String.valueOf(record.getBoolean("readOnly")));
      case "Username" -> value.equals(stored.getString("username"));
      case "AccessKeyId" -> value.equals(stored.getString("accessKeyId"));
      case "ResourceType", "ResourceName" -> stored.getJsonArray("resources", new JsonArray()).stream()
          .anyMatch(r -> r instanceof JsonObject o && value.equals(o.getString(key)));
      default -> false;
    };
  }

  public String token(byte[] lastKey) {
    String raw = fingerprint + ":" + HexFormat.of().formatHex(lastKey);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] decodeToken(String token, String fingerprint) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int at = raw.lastIndexOf(':');
      if (at < 0 || !raw.substring(0, at).equals(fingerprint)) throw new IllegalArgumentException("other parameters");
      return HexFormat.of().parseHex(raw.substring(at + 1));
    } catch (IllegalArgumentException e) {
      throw CloudTrailErrors.nextToken("Invalid NextToken.");
    }
  }

  private static String fingerprint(String key, String value, Long start, Long end, String category) {
    String all = key + "\0" + value + "\0" + start + "\0" + end + "\0" + category;
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(all.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
  }

  /** AWS JSON 1.1 timestamps: epoch seconds, possibly fractional. */
  private static Long millis(Object v) {
    if (v == null) return null;
    if (v instanceof Number n) return (long) (n.doubleValue() * 1000);
    try {
      return (long) (Double.parseDouble(v.toString()) * 1000);
    } catch (NumberFormatException e) {
      return java.time.Instant.parse(v.toString()).toEpochMilli();
    }
  }
}
