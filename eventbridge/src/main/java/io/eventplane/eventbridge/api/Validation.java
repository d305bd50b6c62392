package io.eventplane.eventbridge.api;

import io.eventplane.eventbridge.domain.EventsErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The model constraints of EventBridge's API (lengths, patterns, ranges, enums), reported the way
 * AWS's front end reports them: all violations of a request in one ValidationException, "1
 * validation error detected: Value 'x' at 'name' failed to satisfy constraint: Member must ..."
 * (several joined with "; " under "N validation errors detected"). A member of the wrong JSON type
 * is refused the same way, as AWS's deserializer would fail it.
 */
final class Validation {
  static final String NAME_PATTERN = "[\\.\\-_A-Za-z0-9]+";
  static final String BUS_NAME_PATTERN = "[/\\.\\-_A-Za-z0-9]+";
  static final String BUS_NAME_OR_ARN_PATTERN =
      "(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+";
  private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
  private static final Pattern BUS_NAME = Pattern.compile(BUS_NAME_PATTERN);
  private static final Pattern BUS_NAME_OR_ARN = Pattern.compile(BUS_NAME_OR_ARN_PATTERN);

  private final List<String> errors = new ArrayList<>();

  /** A string member: null when absent; a member of another JSON type is a violation. */
  String string(JsonObject in, String member, String path) {
    Object v = in.getValue(member);
    if (v == null || v instanceof String) return (String) v;
    throw EventsErrors.validation("1 validation error detected: Value '" + v + "' at '" + path
        + "' failed to satisfy constraint: Member must be a string");
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

  void pattern(String value, String path, Pattern pattern, String shown) {
    if (value != null && !value.isEmpty() && !pattern.matcher(value).matches()) {
      errors.add(at(value, path) + "Member must satisfy regular expression pattern: " + shown);
    }
  }

  /** A RuleName / TargetId: 1-64 of {@value #NAME_PATTERN}. */
  void name(String value, String path) {
    length(value, path, 1, 64);
    pattern(value, path, NAME, NAME_PATTERN);
  }

  /** An EventBusName (CreateEventBus, DeleteEventBus). */
  void busName(String value, String path) {
    length(value, path, 1, 256);
    pattern(value, path, BUS_NAME, BUS_NAME_PATTERN);
  }

  /** An EventBusName that may be an ARN (every call that names an existing bus). */
  void busNameOrArn(String value, String path) {
    length(value, path, 1, 1600);
    pattern(value, path, BUS_NAME_OR_ARN, BUS_NAME_OR_ARN_PATTERN);
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

  /** An integer member (Limit, MaximumRetryAttempts...): null when absent. */
  Integer integer(JsonObject in, String member, String path) {
    Object v = in.getValue(member);
    if (v == null) return null;
    if (v instanceof Number n) return n.intValue();
    throw EventsErrors.validation("1 validation error detected: Value '" + v + "' at '" + path
        + "' failed to satisfy constraint: Member must be a number");
  }

  JsonObject object(JsonObject in, String member, String path) {
    Object v = in.getValue(member);
    if (v == null || v instanceof JsonObject) return (JsonObject) v;
    throw EventsErrors.validation("1 validation error detected: Value '" + v + "' at '" + path
        + "' failed to satisfy constraint: Member must be a structure");
  }

  JsonArray array(JsonObject in, String member, String path) {
    Object v = in.getValue(member);
    if (v == null || v instanceof JsonArray) return (JsonArray) v;
    throw EventsErrors.validation("1 validation error detected: Value '" + v + "' at '" + path
        + "' failed to satisfy constraint: Member must be a list");
  }

  void add(String error) {
    errors.add(error);
  }

  /** Throws the ValidationException for everything found so far, if anything. */
  void check() {
    if (errors.isEmpty()) return;
    String head = errors.size() == 1 ? "1 validation error detected: " : errors.size() + " validation errors detected: ";
    throw EventsErrors.validation(head + String.join("; ", errors));
  }

  private static String at(Object value, String path) {
    return "Value '" + value + "' at '" + path + "' failed to satisfy constraint: ";
  }
}
