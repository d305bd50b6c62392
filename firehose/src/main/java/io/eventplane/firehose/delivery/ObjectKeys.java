package io.eventplane.firehose.delivery;

import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys of the objects a delivery stream writes, as the Firehose developer guide describes them
 * ("Configure Amazon S3 object name format", "Custom prefixes"): {@code <evaluated prefix><suffix>}
 * with the suffix {@code <stream>-<version>-<yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<uuid><extension>}. A
 * prefix without expressions gets the default time prefix {@code yyyy/MM/dd/HH/} after it; one with
 * {@code !{timestamp:<DateTimeFormatter pattern>}} or {@code !{firehose:random-string}} is
 * evaluated instead. Times are those of the oldest record in the object, in the destination's
 * CustomTimeZone (UTC by default). The error prefix takes {@code !{firehose:error-output-type}}.
 */
public final class ObjectKeys {
  private static final Pattern EXPRESSION = Pattern.compile("!\\{([a-zA-Z]+):([^}]*)\\}");
  private static final DateTimeFormatter DEFAULT_PREFIX = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/");
  private static final DateTimeFormatter SUFFIX_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");
  private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ObjectKeys() {}

  /** The object name after the prefix: {@code <stream>-<version>-<time>-<uuid><extension>}. */
  static String suffix(String stream, int version, JsonObject destination, long oldest) {
    return stream + "-" + version + "-" + SUFFIX_TIME.withZone(zone(destination)).format(Instant.ofEpochMilli(oldest)) + "-"
        + UUID.randomUUID() + extension(destination);
  }

  /** The evaluated Prefix of {@code destination} (or of its backup description). */
  static String prefix(JsonObject destination, long oldest) {
    return evaluate(destination.getString("Prefix", ""), zone(destination), oldest, null);
  }

  /**
   * The evaluated ErrorOutputPrefix; without one, the Prefix followed by the error type, as Firehose
   * does when no error prefix is configured.
   */
  static String errorPrefix(JsonObject destination, long oldest, String errorType) {
    String configured = destination.getString("ErrorOutputPrefix");
    if (configured == null || configured.isEmpty()) {
      return evaluate(destination.getString("Prefix", "") + errorType + "/", zone(destination), oldest, errorType);
    }
    return evaluate(configured, zone(destination), oldest, errorType);
  }

  /**
   * Checks a Prefix / ErrorOutputPrefix pair as CreateDeliveryStream and UpdateDestination do;
   * answers the problem, or null.
   */
  public static String problem(String prefix, String errorPrefix, String timeZone) {
    if (timeZone != null && !timeZone.isEmpty()) {
      try {
        ZoneId.of(timeZone);
      } catch (DateTimeException e) {
        return "CustomTimeZone " + timeZone + " is not a supported time zone.";
      }
    }
    boolean expressions = prefix != null && prefix.contains("!{");
    if (expressions && (errorPrefix == null || errorPrefix.isEmpty())) {
      return "ErrorOutputPrefix cannot be null or empty when Prefix contains expressions.";
    }
    String invalid = invalid(prefix, null);
    if (invalid == null) invalid = invalid(errorPrefix, "processing-failed");
    if (invalid != null) return invalid;
    if (errorPrefix != null && !errorPrefix.isEmpty() && expressions != errorPrefix.contains("!{")) {
      return "Prefix and ErrorOutputPrefix must both use expressions or neither.";
    }
    return null;
  }

  /** Why a prefix cannot be evaluated (with {@code errorType} for an error prefix, null for a Prefix), or null. */
  private static String invalid(String prefix, String errorType) {
    if (prefix == null) return null;
    try {
      evaluate(prefix, ZoneOffset.UTC, 0, errorType);
      return null;
    } catch (IllegalArgumentException | DateTimeException e) {
      return "The prefix " + prefix + " is invalid: " + e.getMessage();
    }
  }

  private static String evaluate(String prefix, ZoneId zone, long oldest, String errorType) {
    Instant at = Instant.ofEpochMilli(oldest);
    if (!prefix.contains("!{")) return prefix + DEFAULT_PREFIX.withZone(zone).format(at);
    Matcher m = EXPRESSION.matcher(prefix);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = switch (m.group(1)) {
        case "timestamp" -> DateTimeFormatter.ofPattern(m.group(2)).withZone(zone).format(at);
        case "firehose" -> switch (m.group(2)) {
          case "random-string" -> random(11);
          case "error-output-type" -> {
            if (errorType == null) throw new IllegalArgumentException("!{firehose:error-output-type} is only allowed in ErrorOutputPrefix");
            yield errorType;
          }
          default -> throw new IllegalArgumentException("unknown expression !{firehose:" + m.group(2) + "}");
        };
        default -> throw new IllegalArgumentException("unknown namespace " + m.group(1));
      };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The FileExtension if set, else the compression's: .gz, .zip, .snappy. */
  static String extension(JsonObject destination) {
    String configured = destination.getString("FileExtension");
    if (configured != null && !configured.isEmpty()) return configured;
    return switch (destination.getString("CompressionFormat", "UNCOMPRESSED")) {
      case "GZIP" -> ".gz";
      case "ZIP" -> ".zip";
      case "Snappy", "HADOOP_SNAPPY" -> ".snappy";
      default -> "";
    };
  }

  private static ZoneId zone(JsonObject destination) {
    String zone = destination.getString("CustomTimeZone");
    return zone == null || zone.isEmpty() ? ZoneOffset.UTC : ZoneId.of(zone);
  }

  private static String random(int n) {
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) s.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
    return s.toString();
  }
}
