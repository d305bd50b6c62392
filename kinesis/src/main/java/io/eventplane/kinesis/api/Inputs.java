package io.eventplane.kinesis.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.kinesis.domain.KinesisErrors;
import io.eventplane.kinesis.domain.StreamRef;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The model constraints of Kinesis's API, reported as AWS's front end reports them: every
 * violation of a request in one ValidationException ("1 validation error detected: Value 'x' at
 * 'streamName' failed to satisfy constraint: Member must ...", several joined with "; "). A member
 * of the wrong JSON type is a SerializationException, as AWS's deserializer fails it.
 */
final class Inputs {
  static final String NAME_PATTERN = "[a-zA-Z0-9_.-]+";
  static final String ARN_PATTERN = "arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+";
  static final String SEQUENCE_PATTERN = "0|([1-9]\\d{0,128})";
  static final String HASH_KEY_PATTERN = "0|([1-9]\\d{0,38})";
  static final String CONSUMER_ARN_PATTERN =
      "^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+";
  private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
  private static final Pattern ARN = Pattern.compile(ARN_PATTERN);

  private final JsonObject in;
  private final List<String> errors = new ArrayList<>();

  Inputs(JsonObject in) {
    this.in = in;
  }

  private <T> T member(String member, Class<T> type, String what) {
    Object v = in.getValue(member);
    if (v == null || type.isInstance(v)) return type.cast(v);
    throw wrongType(member, what);
  }

  String string(String member) {
    return member(member, String.class, "a string");
  }

  Integer integer(String member) {
    Number n = member(member, Number.class, "an integer");
    if (n == null) return null;
    if (n.doubleValue() != Math.rint(n.doubleValue())) throw wrongType(member, "an integer");
    return n.intValue();
  }

  Boolean bool(String member) {
    return member(member, Boolean.class, "a boolean");
  }

  /** A timestamp: epoch seconds (fractions allowed) as AWS JSON 1.1 sends it; millis, or null when absent. */
  Long timestamp(String member) {
    Number n = member(member, Number.class, "a timestamp");
    return n == null ? null : Math.round(n.doubleValue() * 1000);
  }

  JsonObject object(String member) {
    return member(member, JsonObject.class, "a structure");
  }

  JsonArray array(String member) {
    return member(member, JsonArray.class, "a list");
  }

  static RuntimeException wrongType(String member, String what) {
    return KinesisErrors.serialization("Unexpected value type for " + member + ": expected " + what);
  }

  void required(Object value, String path) {
    if (value == null) errors.add("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
  }

  void length(String value, String path, int min, int max) {
    if (value == null) return;
    int n = value.codePointCount(0, value.length());
    if (n < min) errors.add(at(value, path) + "Member must have length greater than or equal to " + min);
    if (n > max) errors.add(at(value, path) + "Member must have length less than or equal to " + max);
  }

  void pattern(String value, String path, String pattern) {
    if (value != null && !value.isEmpty() && !value.matches(pattern)) {
      errors.add(at(value, path) + "Member must satisfy regular expression pattern: " + pattern);
    }
  }

  void range(Integer value, String path, int min, int max) {
    if (value == null) return;
    if (value < min) errors.add(at(value, path) + "Member must have value greater than or equal to " + min);
    if (value > max) errors.add(at(value, path) + "Member must have value less than or equal to " + max);
  }

  void size(JsonArray value, String path, int min, int max) {
    if (value == null) return;
    if (value.size() < min) errors.add("Value '" + value.encode() + "' at '" + path
        + "' failed to satisfy constraint: Member must have length greater than or equal to " + min);
    if (value.size() > max) errors.add("Value '" + value.encode() + "' at '" + path
        + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
  }

  void oneOf(String value, String path, List<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      errors.add(at(value, path) + "Member must satisfy enum value set: " + allowed);
    }
  }

  void add(String error) {
    errors.add(error);
  }

  /** Throws the ValidationException for everything found so far, if anything. */
  void check() {
    if (errors.isEmpty()) return;
    String head = errors.size() == 1 ? "1 validation error detected: " : errors.size() + " validation errors detected: ";
    throw KinesisErrors.validation(head + String.join("; ", errors));
  }

  static String at(Object value, String path) {
    return "Value '" + value + "' at '" + path + "' failed to satisfy constraint: ";
  }

  /**
   * The stream a request names by {@code StreamName} or {@code StreamARN} (whose account and
   * region then apply), checked; both absent is a ValidationException, both naming different
   * streams an InvalidArgumentException. Further violations are collected before checking.
   */
  StreamRef stream(ApiRequest request) {
    String name = string("StreamName");
    String arn = string("StreamARN");
    length(name, "streamName", 1, 128);
    pattern(name, "streamName", NAME_PATTERN);
    length(arn, "streamARN", 1, 2048);
    if (arn != null && !ARN.matcher(arn).matches()) {
      errors.add(at(arn, "streamARN") + "Member must satisfy regular expression pattern: " + ARN_PATTERN);
    }
    if (name == null && arn == null) {
      throw KinesisErrors.validation("Either StreamName or StreamARN should be provided.");
    }
    check();
    if (arn == null) return new StreamRef(request.context().accountId(), request.context().region(), name);
    StreamRef ref = StreamRef.fromArn(arn);
    if (ref == null || !NAME.matcher(ref.name()).matches()) throw KinesisErrors.invalidArgument("Invalid StreamARN " + arn + ".");
    if (name != null && !name.equals(ref.name())) {
      throw KinesisErrors.invalidArgument("StreamARN " + arn + " and StreamName " + name + " do not name the same stream.");
    }
    return ref;
  }
}
