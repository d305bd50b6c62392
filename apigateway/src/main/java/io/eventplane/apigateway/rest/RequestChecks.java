package io.eventplane.apigateway.rest;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks API Gateway makes of a REST API call's shape before it looks at anything stored, and
 * answers all at once as a ValidationException ({@code 2 validation errors detected: a; b}): each
 * patch operation's {@code op} against the enum, then a response's {@code statusCode} against
 * {@code [1-5]\d\d}.
 */
final class RequestChecks {
  private static final String OPS = "[add, remove, move, test, replace, copy]";
  private static final Set<String> OP_VALUES = Set.of("add", "remove", "move", "test", "replace", "copy");
  private static final Pattern STATUS = Pattern.compile("[1-5]\\d\\d");

  private RequestChecks() {}

  static void check(ApiRequest request) {
    JsonObject in = request.input();
    if (in == null) return;
    List<String> errors = new ArrayList<>();
    if (in.getValue("patchOperations") instanceof JsonArray ops) {
      String input = Character.toLowerCase(request.operation().charAt(0)) + request.operation().substring(1) + "Input";
      for (int i = 0; i < ops.size(); i++) {
        if (ops.getValue(i) instanceof JsonObject op && op.getValue("op") instanceof String value && !OP_VALUES.contains(value)) {
          errors.add("Value '" + value + "' at '" + input + ".patchOperations." + (i + 1) + ".member.op' failed to satisfy "
              + "constraint: Member must satisfy enum value set: " + OPS);
        }
      }
    }
    if (in.getValue("statusCode") instanceof String status && !STATUS.matcher(status).matches()) {
      errors.add("Value '" + status + "' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression "
          + "pattern: [1-5]\\d\\d");
    }
    if (errors.isEmpty()) return;
    String count = errors.size() == 1 ? "1 validation error detected: " : errors.size() + " validation errors detected: ";
    throw new ServiceException(ServiceError.sender("ValidationException", count + String.join("; ", errors)));
  }
}
