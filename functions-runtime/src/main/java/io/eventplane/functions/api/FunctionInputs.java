package io.eventplane.functions.api;

import io.eventplane.common.error.ServiceException;
import io.eventplane.functions.code.CodePackage;
import io.eventplane.functions.domain.FunctionErrors;
import io.eventplane.functions.runtime.Runtimes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks the members of CreateFunction and the Update calls, with Lambda's limits and messages. */
final class FunctionInputs {
  private static final Pattern ROLE = Pattern.compile("arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
  private static final Pattern HANDLER = Pattern.compile("[^\\s]+");
  private static final Pattern ENV_KEY = Pattern.compile("[a-zA-Z]([a-zA-Z0-9_])+");
  private static final Pattern DLQ_TARGET = Pattern.compile("arn:aws[a-zA-Z-]*:(sqs|sns):[a-z0-9-]+:\\d{12}:[a-zA-Z0-9_.-]+");
  private static final int MAX_ENVIRONMENT = 4096;
  /** The variables Lambda sets itself and refuses to take from a function's configuration. */
  static final Set<String> RESERVED_VARIABLES = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION",
      "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
      "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
      "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT",
      "LAMBDA_RUNTIME_DIR");

  private FunctionInputs() {}

  static String role(JsonObject in) {
    String role = in.getString("Role");
    if (role == null) throw FunctionErrors.validation("null", "role", "Member must not be null");
    if (!ROLE.matcher(role).matches()) {
      throw FunctionErrors.validation(role, "role", "Member must satisfy regular expression pattern: " + ROLE.pattern());
    }
    return role;
  }

  static String runtime(String runtime) {
    if (!Runtimes.ALL.contains(runtime)) {
      throw FunctionErrors.validation(runtime, "runtime", "Member must satisfy enum value set: " + Runtimes.ALL);
    }
    if (!Runtimes.RUNNABLE.contains(runtime)) {
      throw FunctionErrors.invalid("The runtime parameter of " + runtime + " is not supported by Eventplane. Supported: "
          + new java.util.TreeSet<>(Runtimes.RUNNABLE) + ".");
    }
    return runtime;
  }

  static String handler(String handler) {
    if (handler.length() > 128) throw FunctionErrors.validation(handler, "handler", "Member must have length less than or equal to 128");
    if (!HANDLER.matcher(handler).matches()) {
      throw FunctionErrors.validation(handler, "handler", "Member must satisfy regular expression pattern: [^\\s]+");
    }
    return handler;
  }

  static String description(String description) {
    if (description.length() > 256) {
      throw FunctionErrors.validation(description, "description", "Member must have length less than or equal to 256");
    }
    return description;
  }

  static int timeout(Object value) {
    return range(value, "timeout", 1, 900);
  }

  static int memorySize(Object value) {
    return range(value, "memorySize", 128, 10240);
  }

  static int ephemeralStorage(JsonObject in) {
    JsonObject storage = object(in, "EphemeralStorage");
    return storage == null ? 512 : range(storage.getValue("Size"), "ephemeralStorage.size", 512, 10240);
  }

  static String architecture(JsonObject in) {
    Object value = in.getValue("Architectures");
    if (value == null) return "x86_64";
    if (!(value instanceof JsonArray list)) throw serialization("Architectures");
    if (list.size() != 1) {
      throw FunctionErrors.validation(list.encode(), "architectures", "Member must have length less than or equal to 1");
    }
    String arch = String.valueOf(list.getValue(0));
    if (!arch.equals("x86_64") && !arch.equals("arm64")) {
      throw FunctionErrors.validation(list.encode(), "architectures",
          "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]");
    }
    return arch;
  }

  static String architectureOr(JsonObject in, String current) {
    return in.getValue("Architectures") == null ? current : architecture(in);
  }

  /** Environment.Variables, checked as Lambda checks them; null when the member is absent. */
  static Map<String, String> environment(JsonObject in) {
    JsonObject env = object(in, "Environment");
    if (env == null) return null;
    JsonObject vars = object(env, "Variables");
    Map<String, String> out = new LinkedHashMap<>();
    if (vars == null) return out;
    java.util.List<String> reserved = new java.util.ArrayList<>();
    for (Map.Entry<String, Object> e : vars) {
      if (!ENV_KEY.matcher(e.getKey()).matches()) {
        throw FunctionErrors.validation(e.getKey(), "environment.variables",
            "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]");
      }
      if (RESERVED_VARIABLES.contains(e.getKey())) reserved.add(e.getKey());
      if (!(e.getValue() instanceof String s)) throw serialization("Environment.Variables." + e.getKey());
      out.put(e.getKey(), s);
    }
    if (!reserved.isEmpty()) {
      throw FunctionErrors.invalid("Lambda was unable to configure your environment variables because the environment "
          + "variables you have provided contains reserved keys that are currently not supported for modification. "
          + "Reserved keys used in this request: " + String.join(", ", reserved));
    }
    String measured = vars.encode();
    if (measured.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_ENVIRONMENT) {
      throw FunctionErrors.invalid("Lambda was unable to configure your environment variables because the environment "
          + "variables you have provided exceeded the 4KB limit. String measured: " + measured);
    }
    return out;
  }

  /** DeadLetterConfig.TargetArn: "" clears it; null when the member is absent. */
  static String deadLetterTarget(JsonObject in) {
    JsonObject dlq = object(in, "DeadLetterConfig");
    if (dlq == null) return null;
    String arn = dlq.getValue("TargetArn") == null ? "" : String.valueOf(dlq.getValue("TargetArn"));
    if (!arn.isEmpty() && !DLQ_TARGET.matcher(arn).matches()) {
      throw FunctionErrors.invalid("The provided DeadLetterConfig target ARN is not an SQS queue or SNS topic ARN: " + arn);
    }
    return arn;
  }

  /** Code.ZipFile, or UpdateFunctionCode's ZipFile: the checked package. */
  static CodePackage zipFile(Object base64, String member) {
    if (base64 == null) throw FunctionErrors.invalid("Please provide a source for function code.");
    if (!(base64 instanceof String s)) throw serialization(member);
    byte[] zip;
    try {
      zip = Base64.getMimeDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new ServiceException("InvalidParameterValueException", "Could not decode " + member + ": it is not base64.");
    }
    return CodePackage.of(zip);
  }

  static Map<String, String> tags(JsonObject in) {
    JsonObject tags = object(in, "Tags");
    Map<String, String> out = new LinkedHashMap<>();
    if (tags == null) return out;
    for (Map.Entry<String, Object> e : tags) {
      if (e.getKey().isEmpty() || e.getKey().length() > 128) {
        throw FunctionErrors.invalid("Tag keys must be 1 to 128 characters long.");
      }
      String v = String.valueOf(e.getValue());
      if (v.length() > 256) throw FunctionErrors.invalid("Tag values must be at most 256 characters long.");
      out.put(e.getKey(), v);
    }
    if (out.size() > 50) throw FunctionErrors.invalid("A function can have at most 50 tags.");
    return out;
  }

  static JsonObject object(JsonObject in, String member) {
    Object value = in.getValue(member);
    if (value == null) return null;
    if (value instanceof JsonObject o) return o;
    throw serialization(member);
  }

  static int range(Object value, String member, int min, int max) {
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw serialization(member);
    }
    long v = n.longValue();
    if (v < min) throw FunctionErrors.validation(Long.toString(v), member, "Member must have value greater than or equal to " + min);
    if (v > max) throw FunctionErrors.validation(Long.toString(v), member, "Member must have value less than or equal to " + max);
    return (int) v;
  }

  static String string(JsonObject in, String member) {
    Object value = in.getValue(member);
    if (value == null) return null;
    if (value instanceof String s) return s;
    throw serialization(member);
  }

  /** A member of the wrong JSON type: the REST-JSON deserializer's error. */
  static ServiceException serialization(String member) {
    return new ServiceException("InvalidRequestContentException",
        "Could not parse request body into json: Could not parse payload into json: unexpected type for " + member);
  }
}
