package io.eventplane.cloudwatch.api;

import static io.eventplane.cloudwatch.domain.CloudWatchErrors.invalid;
import static io.eventplane.cloudwatch.domain.CloudWatchErrors.missing;

import io.eventplane.cloudwatch.domain.MetricId;
import io.eventplane.cloudwatch.domain.Units;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The input rules CloudWatch's calls share, worded as CloudWatch words them (parameters named as
 * the Query protocol names them, {@code MetricData.member.1.Dimensions}, whatever protocol the call came in).
 */
final class Inputs {
  static final int MAX_DIMENSIONS = 30;
  static final int MAX_NAME = 255;
  static final int MAX_DIMENSION_VALUE = 1024;

  private Inputs() {}

  /**
   * The metric a structure names by {@code Namespace}, {@code MetricName} and {@code Dimensions}
   * (under {@code parameter}, "" at the top), checked; null when it names no Namespace or MetricName
   * and {@code required} is false.
   */
  static MetricId metric(String account, String region, JsonObject in, String parameter) {
    String namespace = optionalString(in, "Namespace", parameter + "Namespace");
    String name = optionalString(in, "MetricName", parameter + "MetricName");
    if (namespace == null || name == null) return null;
    return new MetricId(account, region, namespace, name, dimensions(in.getValue("Dimensions"), parameter + "Dimensions", false));
  }

  static MetricId requiredMetric(String account, String region, JsonObject in, String parameter) {
    String namespace = requiredName(in, "Namespace", parameter + "Namespace");
    String name = requiredName(in, "MetricName", parameter + "MetricName");
    return new MetricId(account, region, namespace, name, dimensions(in.getValue("Dimensions"), parameter + "Dimensions", false));
  }

  /** A name of 1-255 characters. */
  static String requiredName(JsonObject in, String member, String parameter) {
    String value = optionalString(in, member, parameter);
    if (value == null || value.isEmpty()) throw missing(parameter);
    length(value, parameter, MAX_NAME);
    return value;
  }

  static String optionalString(JsonObject in, String member, String parameter) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (!(v instanceof String s)) throw invalid("The value for parameter " + parameter + " is not a string.");
    return s;
  }

  static void length(String value, String parameter, int max) {
    if (value.length() > max) {
      throw invalid("The parameter " + parameter + " must be shorter than " + (max + 1) + " characters.");
    }
  }

  /**
   * Dimensions {@code [{Name, Value}]} (filters, where {@code filters}, may leave Value out): at
   * most 30 (10 for filters), names 1-255, values 1-1024 characters, no name twice.
   */
  static Map<String, String> dimensions(Object value, String parameter, boolean filters) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null) return out;
    JsonArray list = array(value, parameter);
    int max = filters ? 10 : MAX_DIMENSIONS;
    if (list.size() > max) throw invalid("The collection " + parameter + " must not have a size greater than " + max + ".");
    for (int i = 0; i < list.size(); i++) {
      String at = parameter + ".member." + (i + 1);
      JsonObject d = object(list.getValue(i), at);
      String name = requiredName(d, "Name", at + ".Name");
      String v = optionalString(d, "Value", at + ".Value");
      if (v == null && !filters) throw missing(at + ".Value");
      if (v != null) {
        if (v.isEmpty() && !filters) throw missing(at + ".Value");
        length(v, at + ".Value", MAX_DIMENSION_VALUE);
      }
      if (out.containsKey(name)) throw invalid("No Metric may specify the same dimension twice.");
      out.put(name, v);
    }
    return out;
  }

  static JsonArray array(Object value, String parameter) {
    if (value instanceof JsonArray a) return a;
    throw invalid("The value for parameter " + parameter + " is not a list.");
  }

  static JsonObject object(Object value, String parameter) {
    if (value instanceof JsonObject o) return o;
    throw invalid("The value for parameter " + parameter + " is not a structure.");
  }

  /** A unit name, or -1 when absent. */
  static int unit(JsonObject in, String member, String parameter) {
    String unit = optionalString(in, member, parameter);
    if (unit == null) return -1;
    int index = Units.indexOf(unit);
    if (index < 0) throw invalid(Units.notAUnit(parameter));
    return index;
  }

  /**
   * A timestamp as the protocols carry it into the canonical JSON: epoch seconds (a number, maybe
   * with a fraction), or ISO 8601 text. Epoch millis; null when absent.
   */
  static Long millis(JsonObject in, String member, String parameter) {
    Object v = in.getValue(member);
    if (v == null) return null;
    try {
      if (v instanceof Number n) return new BigDecimal(n.toString()).movePointRight(3).longValue();
      if (v instanceof String s) {
        try {
          return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
          return new BigDecimal(s).movePointRight(3).longValue();
        }
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // falls through to the error
    }
    throw invalid("The value " + v + " for parameter " + parameter + " is invalid.");
  }

  /** A number (a double), or null when absent. */
  static Double number(JsonObject in, String member, String parameter) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof String s) {
      try {
        return Double.valueOf(s);
      } catch (NumberFormatException e) {
        // falls through
      }
    }
    throw invalid("The value " + v + " for parameter " + parameter + " is invalid.");
  }

  static Integer integer(JsonObject in, String member, String parameter) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (v instanceof Integer i) return i;
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < Integer.MAX_VALUE) {
      return n.intValue();
    }
    if (v instanceof String s) {
      try {
        return Integer.valueOf(s);
      } catch (NumberFormatException e) {
        // falls through
      }
    }
    throw invalid("The value " + v + " for parameter " + parameter + " is invalid.");
  }
}
