package io.eventplane.firehose.api;

import io.eventplane.firehose.domain.FirehoseErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The model constraints of Firehose's API (required members, lengths, patterns, ranges, enums),
 * reported as AWS's front end reports them: every violation of a request in one
 * ValidationException, "1 validation error detected: Value 'x' at 'deliveryStreamName' failed to
 * satisfy constraint: Member must ..." (several joined with "; "). Member paths are the model's
 * member names with a lower-case first letter, as AWS writes them.
 */
final class Validation {
  static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
  private final List<String> errors = new ArrayList<>();

  String string(JsonObject in, String member, String path) {
    return typed(in, member, path, String.class, "a string");
  }

  Integer integer(JsonObject in, String member, String path) {
    Number n = typed(in, member, path, Number.class, "a number");
    return n == null ? null : n.intValue();
  }

  JsonObject object(JsonObject in, String member, String path) {
    return typed(in, member, path, JsonObject.class, "a structure");
  }

  JsonArray array(JsonObject in, String member, String path) {
    return typed(in, member, path, JsonArray.class, "a list");
  }

  /** A member of {@code type}: null when absent; a member of another JSON type fails the request at once, as AWS's deserializer does. */
  private static <T> T typed(JsonObject in, String member, String path, Class<T> type, String shown) {
    Object v = in == null ? null : in.getValue(member);
    if (v == null || type.isInstance(v)) return type.cast(v);
    throw FirehoseErrors.validation("1 validation error detected: Value '" + v + "' at '" + path
        + "' failed to satisfy constraint: Member must be " + shown);
  }

  /** A required string member of {@code min}-{@code max} characters matching {@code pattern}. */
  String requiredString(JsonObject in, String member, String path, int min, int max, Pattern pattern) {
    String value = string(in, member, path);
    required(value, path);
    length(value, path, min, max);
    pattern(value, path, pattern);
    return value;
  }

  /** A required list member of {@code min}-{@code max} elements. */
  JsonArray requiredList(JsonObject in, String member, String path, int min, int max) {
    JsonArray value = array(in, member, path);
    required(value, path);
    size(value, path, min, max);
    return value;
  }

  /**
   * The {@code i}th element of a list of name/value structures (a processor's parameters, an
   * endpoint's common attributes): both members required; answers {name, value}.
   */
  String[] nameAndValue(JsonArray list, int i, String nameMember, String valueMember, String at) {
    JsonObject element = list.getValue(i) instanceof JsonObject o ? o : new JsonObject();
    String name = string(element, nameMember, at + "." + lower(nameMember));
    String value = string(element, valueMember, at + "." + lower(valueMember));
    required(name, at + "." + lower(nameMember));
    required(value, at + "." + lower(valueMember));
    return new String[] {name, value};
  }

  private static String lower(String member) {
    return Character.toLowerCase(member.charAt(0)) + member.substring(1);
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

  void size(JsonArray value, String path, int min, int max) {
    if (value == null) return;
    if (value.size() < min) errors.add(at(value, path) + "Member must have length greater than or equal to " + min);
    if (value.size() > max) errors.add(at(value, path) + "Member must have length less than or equal to " + max);
  }

  void pattern(String value, String path, Pattern pattern) {
    if (value != null && !value.isEmpty() && !pattern.matcher(value).matches()) {
      errors.add(at(value, path) + "Member must satisfy regular expression pattern: " + pattern.pattern());
    }
  }

  /**
   * A sensitive member (the model's {@code sensitive} trait: an endpoint's Url, AccessKey, attributes)
   * of {@code min}-{@code max} characters matching {@code pattern} (or {@code alsoAllowed}, this
   * server's own widening, when given): AWS leaves the value out of the message ("Value at 'x' ...").
   */
  void sensitive(String value, String path, int min, int max, Pattern pattern, Pattern alsoAllowed) {
    if (value == null) return;
    String at = "Value at '" + path + "' failed to satisfy constraint: ";
    int n = value.codePointCount(0, value.length());
    if (n < min) errors.add(at + "Member must have length greater than or equal to " + min);
    if (n > max) errors.add(at + "Member must have length less than or equal to " + max);
    if (pattern != null && !value.isEmpty() && !pattern.matcher(value).matches()
        && (alsoAllowed == null || !alsoAllowed.matcher(value).matches())) {
      errors.add(at + "Member must satisfy regular expression pattern: " + pattern.pattern());
    }
  }

  /** A DeliveryStreamName: required, 1-64 of {@code [a-zA-Z0-9_.-]+}. */
  String streamName(JsonObject in) {
    return requiredString(in, "DeliveryStreamName", "deliveryStreamName", 1, 64, STREAM_NAME);
  }

  void range(Integer value, String path, int min, int max) {
    if (value == null) return;
    if (value < min) errors.add(at(value, path) + "Member must have value greater than or equal to " + min);
    if (value > max) errors.add(at(value, path) + "Member must have value less than or equal to " + max);
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
    throw FirehoseErrors.validation(head + String.join("; ", errors));
  }

  private static String at(Object value, String path) {
    return "Value '" + value + "' at '" + path + "' failed to satisfy constraint: ";
  }
}
