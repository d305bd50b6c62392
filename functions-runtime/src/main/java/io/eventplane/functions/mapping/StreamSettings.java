package io.eventplane.functions.mapping;

import io.eventplane.common.error.ServiceException;
import io.eventplane.functions.domain.FunctionErrors;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a mapping from a Kinesis stream has beyond an SQS mapping's members: where it starts, how
 * many batches of a shard run at once, and what happens to a batch that fails.
 *
 * @param startingPosition TRIM_HORIZON, LATEST or AT_TIMESTAMP
 * @param startingPositionTimestamp epoch millis, only with AT_TIMESTAMP
 * @param parallelizationFactor concurrent batches per shard (records of one partition key stay in order)
 * @param maximumRetryAttempts -1 for until the records expire
 * @param maximumRecordAgeSeconds -1 for the stream's retention
 * @param onFailure the OnFailure destination's ARN (an SQS queue or SNS topic), or null
 * @param tumblingWindowSeconds the length of the tumbling windows records are aggregated in, 0 for none
 */
public record StreamSettings(String startingPosition, Long startingPositionTimestamp, int parallelizationFactor,
    boolean bisectBatchOnFunctionError, int maximumRetryAttempts, int maximumRecordAgeSeconds, String onFailure,
    int tumblingWindowSeconds) {
  static final Pattern KINESIS_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:kinesis:[a-z0-9-]+:\\d{12}:stream/[a-zA-Z0-9_.-]{1,128}");
  private static final Pattern DESTINATION = Pattern.compile("arn:aws[a-zA-Z-]*:(sqs|sns):[a-z0-9-]+:\\d{12}:[a-zA-Z0-9_.-]{1,256}");
  static final List<String> POSITIONS = List.of("LATEST", "AT_TIMESTAMP", "TRIM_HORIZON");
  static final int DEFAULT_BATCH = 100;

  static boolean isKinesis(String arn) {
    return arn != null && arn.startsWith("arn:") && arn.split(":").length > 2 && arn.split(":")[2].equals("kinesis");
  }

  /** A new mapping's settings from CreateEventSourceMapping's input, checked as Lambda checks them. */
  static StreamSettings create(JsonObject in) {
    Object position = in.getValue("StartingPosition");
    if (position == null) {
      throw FunctionErrors.invalid("1 validation error detected: Value null at 'startingPosition' failed to satisfy "
          + "constraint: Member must not be null.");
    }
    if (!POSITIONS.contains(position)) {
      throw FunctionErrors.validation(String.valueOf(position), "startingPosition",
          "Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]");
    }
    Long timestamp = timestamp(in.getValue("StartingPositionTimestamp"));
    if (timestamp != null && !"AT_TIMESTAMP".equals(position)) {
      throw FunctionErrors.invalid("Timestamp only valid with StartingPosition AT_TIMESTAMP");
    }
    if (timestamp == null && "AT_TIMESTAMP".equals(position)) {
      throw FunctionErrors.invalid("StartingPositionTimestamp must be set when StartingPosition is AT_TIMESTAMP");
    }
    StreamSettings defaults = new StreamSettings((String) position, timestamp, 1, false, -1, -1, null, 0);
    return defaults.updated(in);
  }

  /** These settings with UpdateEventSourceMapping's members applied (StartingPosition cannot change). */
  StreamSettings updated(JsonObject in) {
    int parallel = in.getValue("ParallelizationFactor") == null ? parallelizationFactor
        : EventSourceMappings.intIn(in, "ParallelizationFactor", 1, 10);
    int retries = in.getValue("MaximumRetryAttempts") == null ? maximumRetryAttempts
        : EventSourceMappings.intIn(in, "MaximumRetryAttempts", -1, 10_000);
    int age = in.getValue("MaximumRecordAgeInSeconds") == null ? maximumRecordAgeSeconds
        : EventSourceMappings.intIn(in, "MaximumRecordAgeInSeconds", -1, 604_800);
    if (age >= 0 && age < 60) {
      throw FunctionErrors.invalid("MaximumRecordAgeInSeconds must be -1 or between 60 and 604800 seconds: " + age);
    }
    boolean bisect = bisectBatchOnFunctionError;
    if (in.getValue("BisectBatchOnFunctionError") != null) {
      if (!(in.getValue("BisectBatchOnFunctionError") instanceof Boolean b)) {
        throw FunctionErrors.invalid("BisectBatchOnFunctionError must be a boolean");
      }
      bisect = b;
    }
    if (in.getValue("FilterCriteria") instanceof JsonObject filter && !filter.getJsonArray("Filters", new io.vertx.core.json.JsonArray()).isEmpty()) {
      throw FunctionErrors.invalid("FilterCriteria is not supported by Eventplane's Kinesis event source mappings.");
    }
    int window = in.getValue("TumblingWindowInSeconds") == null ? tumblingWindowSeconds
        : EventSourceMappings.intIn(in, "TumblingWindowInSeconds", 0, 900);
    String failure = onFailure;
    if (in.getValue("DestinationConfig") != null) failure = destination(in.getValue("DestinationConfig"));
    return new StreamSettings(startingPosition, startingPositionTimestamp, parallel, bisect, retries, age, failure, window);
  }

  private static String destination(Object config) {
    if (!(config instanceof JsonObject c)) throw FunctionErrors.invalid("DestinationConfig must be an object");
    if (c.getValue("OnSuccess") instanceof JsonObject s && s.getValue("Destination") != null) {
      throw FunctionErrors.invalid("Unsupported DestinationConfig parameter for given event source mapping type.");
    }
    if (!(c.getValue("OnFailure") instanceof JsonObject f) || f.getValue("Destination") == null) return null;
    if (!(f.getValue("Destination") instanceof String arn)) throw FunctionErrors.invalid("Destination must be a string");
    if (arn.isEmpty()) return null;
    if (!DESTINATION.matcher(arn).matches()) {
      throw FunctionErrors.invalid("The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure("
          + "destination=" + arn + ")) is invalid.");
    }
    return arn;
  }

  /** StartingPositionTimestamp as the JSON protocols carry it: epoch seconds, maybe fractional. */
  private static Long timestamp(Object value) {
    if (value == null) return null;
    if (value instanceof Number n) {
      if (n.doubleValue() < 0) {
        throw FunctionErrors.invalid("Received Exception while reading from provided stream. class java.lang.Long can not be "
            + "converted to a Timestamp");
      }
      return Math.round(n.doubleValue() * 1000);
    }
    try {
      return java.time.Instant.parse(String.valueOf(value)).toEpochMilli();
    } catch (java.time.format.DateTimeParseException e) {
      throw new ServiceException("InvalidParameterValueException", "StartingPositionTimestamp is not a timestamp: " + value);
    }
  }

  /** The stream members of the EventSourceMappingConfiguration shape, as Lambda shows them for a stream. */
  void describe(JsonObject out) {
    out.put("StartingPosition", startingPosition);
    if (startingPositionTimestamp != null) out.put("StartingPositionTimestamp", startingPositionTimestamp / 1000.0);
    out.put("ParallelizationFactor", parallelizationFactor)
        .put("BisectBatchOnFunctionError", bisectBatchOnFunctionError)
        .put("MaximumRetryAttempts", maximumRetryAttempts)
        .put("MaximumRecordAgeInSeconds", maximumRecordAgeSeconds)
        .put("TumblingWindowInSeconds", tumblingWindowSeconds)
        .put("DestinationConfig", new JsonObject().put("OnFailure",
            onFailure == null ? new JsonObject() : new JsonObject().put("Destination", onFailure)));
  }

  JsonObject toJson() {
    return new JsonObject().put("position", startingPosition).put("timestamp", startingPositionTimestamp)
        .put("parallel", parallelizationFactor).put("bisect", bisectBatchOnFunctionError).put("retries", maximumRetryAttempts)
        .put("age", maximumRecordAgeSeconds).put("onFailure", onFailure).put("tumbling", tumblingWindowSeconds);
  }

  static StreamSettings fromJson(JsonObject j) {
    return j == null ? null : new StreamSettings(j.getString("position"), j.getLong("timestamp"), j.getInteger("parallel"),
        j.getBoolean("bisect"), j.getInteger("retries"), j.getInteger("age"), j.getString("onFailure"),
        j.getInteger("tumbling", 0));
  }
}
