package io.eventplane.logs.api;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.logs.domain.LogNames;
import io.eventplane.logs.domain.LogsErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Reads the members of CloudWatch Logs requests with their types and constraints from the API reference. */
final class LogsInputs {
  /** A batch's size: its messages in UTF-8 plus 26 bytes per event, at most 1 MiB (the API reference). */
  private static final int MAX_BATCH_BYTES = 1_048_576;
  private static final int EVENT_OVERHEAD = 26;

  private LogsInputs() {}

  /** The group named by {@code logGroupName} or {@code logGroupIdentifier} (exactly one of them). */
  static String group(JsonObject in) {
    String name = string(in, "logGroupName");
    String identifier = string(in, "logGroupIdentifier");
    if (name != null && identifier != null) {
      throw LogsErrors.invalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
    }
    if (name == null && identifier == null) {
      throw LogsErrors.invalidParameter("Should provide either name or ARN of the log group.");
    }
    return name != null ? LogNames.group("logGroupName", name) : LogNames.groupOfIdentifier(identifier);
  }

  static String requiredGroupName(JsonObject in) {
    String name = string(in, "logGroupName");
    if (name == null) throw LogsErrors.constraint("logGroupName", "null", "Member must not be null");
    return LogNames.group("logGroupName", name);
  }

  /**
   * PutLogEvents' logEvents: 1 to 10,000 events, each a timestamp and a non-empty message, in
   * chronological order, at most 1,048,576 bytes counting 26 per event (AWS refuses them
   * otherwise, worded as here).
   */
  static JsonArray logEvents(JsonObject in) {
    Object v = in.getValue("logEvents");
    if (v == null) throw LogsErrors.constraint("logEvents", "null", "Member must not be null");
    if (!(v instanceof JsonArray list)) throw wrongType("logEvents", "a list");
    if (list.isEmpty()) throw LogsErrors.constraint("logEvents", "[]", "Member must have length greater than or equal to 1");
    if (list.size() > 10_000) {
      throw LogsErrors.constraint("logEvents", "[...]", "Member must have length less than or equal to 10000");
    }
    JsonArray out = new JsonArray();
    long previous = Long.MIN_VALUE;
    long bytes = 0;
    for (Object o : list) {
      if (!(o instanceof JsonObject e)) throw wrongType("logEvents", "a list of InputLogEvent");
      Object ts = e.getValue("timestamp");
      Object message = e.getValue("message");
      if (!(ts instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) throw wrongType("timestamp", "a long");
      if (!(message instanceof String m)) throw wrongType("message", "a string");
      if (m.isEmpty()) throw LogsErrors.constraint("logEvents.member.message", "", "Member must have length greater than or equal to 1");
      long t = n.longValue();
      if (t < previous) {
        throw LogsErrors.invalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
      }
      previous = t;
      out.add(new JsonObject().put("timestamp", t).put("message", m));
      bytes += m.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + EVENT_OVERHEAD;
    }
    if (bytes > MAX_BATCH_BYTES) {
      throw LogsErrors.invalidParameter("Upload too large: " + bytes + " bytes exceeds limit of " + MAX_BATCH_BYTES);
    }
    return out;
  }

  static String requiredStream(JsonObject in) {
    String name = string(in, "logStreamName");
    if (name == null) throw LogsErrors.constraint("logStreamName", "null", "Member must not be null");
    return LogNames.stream("logStreamName", name);
  }

  static String string(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (!(v instanceof String s)) throw wrongType(member, "a string");
    return s;
  }

  static Boolean bool(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (!(v instanceof Boolean b)) throw wrongType(member, "a boolean");
    return b;
  }

  static Long timestamp(JsonObject in, String member) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) throw wrongType(member, "an integer");
    long t = n.longValue();
    if (t < 0) throw LogsErrors.constraint(member, t, "Member must have value greater than or equal to 0");
    return t;
  }

  static int limit(JsonObject in, int max, int absent) {
    Object v = in.getValue("limit");
    if (v == null) return absent;
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) throw wrongType("limit", "an integer");
    long l = n.longValue();
    if (l < 1) throw LogsErrors.constraint("limit", l, "Member must have value greater than or equal to 1");
    if (l > max) throw LogsErrors.constraint("limit", l, "Member must have value less than or equal to " + max);
    return (int) l;
  }

  static String token(JsonObject in) {
    String token = string(in, "nextToken");
    if (token != null && token.isEmpty()) throw LogsErrors.constraint("nextToken", "", "Member must have length greater than or equal to 1");
    return token;
  }

  static List<String> streamNames(JsonObject in) {
    Object v = in.getValue("logStreamNames");
    if (v == null) return null;
    if (!(v instanceof JsonArray a)) throw wrongType("logStreamNames", "a list");
    if (a.isEmpty() || a.size() > 100) {
      throw LogsErrors.constraint("logStreamNames", a.encode(), "Member must have length between 1 and 100");
    }
    List<String> out = new ArrayList<>();
    for (Object o : a) {
      if (!(o instanceof String s)) throw wrongType("logStreamNames", "a list of strings");
      out.add(LogNames.stream("logStreamNames", s));
    }
    return out;
  }

  private static ServiceException wrongType(String member, String expected) {
    return new ServiceException(ServiceError.sender("SerializationException",
        "The value of " + member + " must be " + expected + "."));
  }
}
