package io.eventplane.broker.queue.domain;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settable queue attributes of the API reference: names, ranges, defaults, and which apply to
 * FIFO queues only. Validation here is per attribute; rules that involve other queues (redrive
 * targets) live in {@code Queues}.
 */
public final class QueueAttributes {
  public static final String DELAY_SECONDS = "DelaySeconds";
  public static final String MAXIMUM_MESSAGE_SIZE = "MaximumMessageSize";
  public static final String MESSAGE_RETENTION_PERIOD = "MessageRetentionPeriod";
  public static final String RECEIVE_WAIT_TIME = "ReceiveMessageWaitTimeSeconds";
  public static final String VISIBILITY_TIMEOUT = "VisibilityTimeout";
  public static final String REDRIVE_POLICY = "RedrivePolicy";
  public static final String REDRIVE_ALLOW_POLICY = "RedriveAllowPolicy";
  public static final String POLICY = "Policy";
  public static final String KMS_MASTER_KEY_ID = "KmsMasterKeyId";
  public static final String KMS_REUSE_PERIOD = "KmsDataKeyReusePeriodSeconds";
  public static final String SQS_MANAGED_SSE = "SqsManagedSseEnabled";
  public static final String FIFO_QUEUE = "FifoQueue";
  public static final String CONTENT_BASED_DEDUP = "ContentBasedDeduplication";
  public static final String DEDUPLICATION_SCOPE = "DeduplicationScope";
  public static final String FIFO_THROUGHPUT_LIMIT = "FifoThroughputLimit";

  public static final int MAX_MESSAGE_SIZE = 1_048_576;

  /** Attributes computed from the queue's state, readable only. */
  public static final List<String> READ_ONLY = List.of(
      "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed",
      "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn");

  private static final Set<String> FIFO_ONLY = Set.of(CONTENT_BASED_DEDUP, DEDUPLICATION_SCOPE, FIFO_THROUGHPUT_LIMIT);

  private record Range(int min, int max, int defaultValue) {}

  private static final Map<String, Range> NUMERIC = Map.of(
      DELAY_SECONDS, new Range(0, 900, 0),
      MAXIMUM_MESSAGE_SIZE, new Range(1024, MAX_MESSAGE_SIZE, MAX_MESSAGE_SIZE),
      MESSAGE_RETENTION_PERIOD, new Range(60, 1_209_600, 345_600),
      RECEIVE_WAIT_TIME, new Range(0, 20, 0),
      VISIBILITY_TIMEOUT, new Range(0, 43_200, 30),
      KMS_REUSE_PERIOD, new Range(60, 86_400, 300));

  private static final Set<String> SETTABLE = Set.of(
      DELAY_SECONDS, MAXIMUM_MESSAGE_SIZE, MESSAGE_RETENTION_PERIOD, RECEIVE_WAIT_TIME, VISIBILITY_TIMEOUT,
      REDRIVE_POLICY, REDRIVE_ALLOW_POLICY, POLICY, KMS_MASTER_KEY_ID, KMS_REUSE_PERIOD, SQS_MANAGED_SSE,
      FIFO_QUEUE, CONTENT_BASED_DEDUP, DEDUPLICATION_SCOPE, FIFO_THROUGHPUT_LIMIT);

  private QueueAttributes() {}

  public static boolean isKnown(String name) {
    return SETTABLE.contains(name) || READ_ONLY.contains(name) || "All".equals(name);
  }

  /**
   * The stored attributes of a new queue: the given ones validated, defaults for the rest.
   *
   * <p>The queue type comes from FifoQueue, parsed as SQS parses booleans (any case of true or
   * false). A standard queue knows no FifoQueue attribute at all, so {@code FifoQueue=false} is an
   * unknown attribute, as are the other FIFO-only ones; {@code FifoQueue=true} needs a .fifo name
   * and a .fifo name needs it.
   */
  public static Map<String, String> forCreate(Map<String, String> given, boolean fifoName) {
    String fifoValue = given.get(FIFO_QUEUE);
    boolean fifo = fifoValue != null && parseBoolean(FIFO_QUEUE, fifoValue);
    if (fifoValue != null && !fifo) throw QueueErrors.invalidAttributeName(FIFO_QUEUE);
    // A .fifo name without FifoQueue=true is a standard queue's name with a '.' in it; FifoQueue=true
    // without the suffix breaks the FIFO name rule. (The wordings of the emulators and client test
    // suites that match on them; no AWS recording gives them.)
    if (fifoName && !fifo) {
      throw QueueErrors.invalidParameter("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    }
    if (fifo && !fifoName) {
      throw QueueErrors.invalidParameter("The name of a FIFO queue can only include alphanumeric characters, hyphens, "
          + "or underscores, must end with .fifo suffix and be 1 to 80 in length.");
    }
    Map<String, String> changes = validate(given, fifo);
    Map<String, String> out = defaults(fifo);
    out.putAll(changes);
    applySse(out, changes);
    checkCombination(out);
    return out;
  }

  /**
   * Validated changes for SetQueueAttributes. FifoQueue is unknown to a standard queue; a FIFO
   * queue accepts it only as true (any case), which changes nothing.
   */
  public static Map<String, String> forSet(Map<String, String> given, boolean fifo) {
    String fifoValue = given.get(FIFO_QUEUE);
    if (fifoValue != null) {
      if (!fifo) throw QueueErrors.invalidAttributeName(FIFO_QUEUE);
      if (!"true".equalsIgnoreCase(fifoValue)) {
        throw QueueErrors.invalidAttributeValue(FIFO_QUEUE, "Modifying queue type is not supported.");
      }
    }
    return validate(given, fifo);
  }

  /**
   * Applies a change set's server-side encryption to the queue's attributes: KMS SSE and SQS SSE
   * exclude each other, so naming a KMS key without SqsManagedSseEnabled turns SQS SSE off, and
   * asking for both in one request is refused as SQS refuses it.
   */
  public static void applySse(Map<String, String> all, Map<String, String> changes) {
    String key = changes.get(KMS_MASTER_KEY_ID);
    if (key == null || key.isEmpty()) return;
    String sqsSse = changes.get(SQS_MANAGED_SSE);
    if ("true".equals(sqsSse)) {
      throw new io.eventplane.common.error.ServiceException("InvalidAttributeName",
          "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.");
    }
    if (sqsSse == null) all.put(SQS_MANAGED_SSE, "false");
  }

  /**
   * The attributes as GetQueueAttributes reports them: KmsDataKeyReusePeriodSeconds belongs to KMS
   * SSE and is reported (300 unless set) only while the queue has a KMS key, as SQS reports it; a
   * RedrivePolicy stored as given by an earlier version is written back as SQS writes it.
   */
  public static Map<String, String> reported(Map<String, String> stored) {
    Map<String, String> out = new java.util.TreeMap<>(stored);
    String redrive = out.get(REDRIVE_POLICY);
    if (redrive != null && !redrive.isEmpty()) out.put(REDRIVE_POLICY, RedrivePolicy.parse(redrive).toJson());
    String key = out.get(KMS_MASTER_KEY_ID);
    if (key == null || key.isEmpty()) out.remove(KMS_REUSE_PERIOD);
    else out.putIfAbsent(KMS_REUSE_PERIOD, Integer.toString(NUMERIC.get(KMS_REUSE_PERIOD).defaultValue));
    return out;
  }

  private static Map<String, String> defaults(boolean fifo) {
    Map<String, String> out = new HashMap<>();
    NUMERIC.forEach((k, r) -> {
      if (!k.equals(KMS_REUSE_PERIOD)) out.put(k, Integer.toString(r.defaultValue));
    });
    out.put(SQS_MANAGED_SSE, "true");
    if (fifo) {
      out.put(FIFO_QUEUE, "true");
      out.put(CONTENT_BASED_DEDUP, "false");
      out.put(DEDUPLICATION_SCOPE, "queue");
      out.put(FIFO_THROUGHPUT_LIMIT, "perQueue");
    }
    return out;
  }

  /**
   * Each given attribute checked on its own and in the form SQS keeps it (booleans lower case,
   * numbers without padding, RedrivePolicy as SQS writes it back).
   */
  public static Map<String, String> validate(Map<String, String> given, boolean fifo) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : given.entrySet()) {
      String name = e.getKey();
      String value = e.getValue();
      if (!SETTABLE.contains(name) || (!fifo && FIFO_ONLY.contains(name))) throw QueueErrors.invalidAttributeName(name);
      if (value == null) throw QueueErrors.invalidAttributeValue(name, null);
      Range range = NUMERIC.get(name);
      if (range != null) {
        int n = parseInt(name, value);
        if (n < range.min || n > range.max) throw QueueErrors.invalidAttributeValue(name, null);
        out.put(name, Integer.toString(n));
        continue;
      }
      switch (name) {
        case SQS_MANAGED_SSE, CONTENT_BASED_DEDUP, FIFO_QUEUE -> value = Boolean.toString(parseBoolean(name, value));
        case DEDUPLICATION_SCOPE -> {
          if (!value.equals("messageGroup") && !value.equals("queue")) throw QueueErrors.invalidAttributeValue(name, null);
        }
        case FIFO_THROUGHPUT_LIMIT -> {
          if (!value.equals("perQueue") && !value.equals("perMessageGroupId")) throw QueueErrors.invalidAttributeValue(name, null);
        }
        case REDRIVE_POLICY -> {
          if (!value.isEmpty()) value = RedrivePolicy.parse(value).toJson();
        }
        case REDRIVE_ALLOW_POLICY -> {
          if (!value.isEmpty()) RedriveAllowPolicy.parse(value);
        }
        case POLICY -> {
          if (!value.isEmpty()) {
            try {
              new JsonObject(value);
            } catch (DecodeException | ClassCastException ex) {
              throw QueueErrors.invalidAttributeValue(name, "Policy is not valid JSON.");
            }
          }
        }
        default -> { }
      }
      out.put(name, value);
    }
    return out;
  }

  /** Rules between attributes, checked on the queue's complete attributes after a change. */
  public static void checkCombination(Map<String, String> all) {
    if ("perMessageGroupId".equals(all.get(FIFO_THROUGHPUT_LIMIT)) && "queue".equals(all.get(DEDUPLICATION_SCOPE))) {
      throw QueueErrors.invalidAttributeValue(FIFO_THROUGHPUT_LIMIT,
          "The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.");
    }
  }

  /** SQS reads booleans in any case: "True", "FALSE". */
  private static boolean parseBoolean(String name, String value) {
    if (value.equalsIgnoreCase("true")) return true;
    if (value.equalsIgnoreCase("false")) return false;
    throw QueueErrors.invalidAttributeValue(name, null);
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw QueueErrors.invalidAttributeValue(name, null);
    }
  }

  /** RedrivePolicy: where messages go after maxReceiveCount receives. */
  public record RedrivePolicy(String deadLetterTargetArn, int maxReceiveCount) {
    public static RedrivePolicy parse(String json) {
      JsonObject j;
      try {
        j = new JsonObject(json);
      } catch (DecodeException | ClassCastException e) {
        throw QueueErrors.invalidParameter(REDRIVE_POLICY, json, "Redrive policy is not a valid JSON map.");
      }
      Object arn = j.getValue("deadLetterTargetArn");
      Object count = j.getValue("maxReceiveCount");
      if (!(arn instanceof String) || ((String) arn).isEmpty()) {
        throw QueueErrors.invalidParameter(REDRIVE_POLICY, json, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
      }
      if (count == null) {
        throw QueueErrors.invalidParameter(REDRIVE_POLICY, json, "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
      }
      if (QueueArn.parse((String) arn) == null) {
        throw QueueErrors.invalidParameter(REDRIVE_POLICY, json, "Invalid value for deadLetterTargetArn.");
      }
      int n;
      try {
        n = count instanceof Number num ? num.intValue() : Integer.parseInt(count.toString().trim());
      } catch (NumberFormatException e) {
        throw QueueErrors.invalidParameter(REDRIVE_POLICY, json, "Invalid value for maxReceiveCount: " + count + ", valid values are from 1 to 1000 both inclusive.");
      }
      if (n < 1 || n > 1000) {
        throw QueueErrors.invalidParameter(REDRIVE_POLICY, json, "Invalid value for maxReceiveCount: " + n + ", valid values are from 1 to 1000 both inclusive.");
      }
      return new RedrivePolicy((String) arn, n);
    }

    /** The policy as SQS writes it back: compact, the ARN first, the count a JSON number. */
    public String toJson() {
      return new JsonObject().put("deadLetterTargetArn", deadLetterTargetArn).put("maxReceiveCount", maxReceiveCount).encode();
    }
  }

  /** RedriveAllowPolicy: which source queues may use this queue as their dead-letter queue. */
  public record RedriveAllowPolicy(String permission, List<String> sourceQueueArns) {
    public static RedriveAllowPolicy parse(String json) {
      JsonObject j;
      try {
        j = new JsonObject(json);
      } catch (DecodeException | ClassCastException e) {
        throw QueueErrors.invalidParameter(REDRIVE_ALLOW_POLICY, json, "Redrive allow policy is not a valid JSON map.");
      }
      String permission = j.getValue("redrivePermission") instanceof String s ? s : null;
      if (permission == null || !Set.of("allowAll", "denyAll", "byQueue").contains(permission)) {
        throw QueueErrors.invalidParameter(REDRIVE_ALLOW_POLICY, json, "Invalid value for redrivePermission.");
      }
      Object arns = j.getValue("sourceQueueArns");
      List<String> list = List.of();
      if (arns != null) {
        if (!(arns instanceof JsonArray a)) {
          throw QueueErrors.invalidParameter(REDRIVE_ALLOW_POLICY, json, "sourceQueueArns must be a list.");
        }
        list = a.stream().map(String::valueOf).toList();
      }
      if (permission.equals("byQueue") && (list.isEmpty() || list.size() > 10)) {
        throw QueueErrors.invalidParameter(REDRIVE_ALLOW_POLICY, json, "byQueue requires 1 to 10 sourceQueueArns.");
      }
      if (!permission.equals("byQueue") && !list.isEmpty()) {
        throw QueueErrors.invalidParameter(REDRIVE_ALLOW_POLICY, json, "sourceQueueArns is allowed only with byQueue.");
      }
      return new RedriveAllowPolicy(permission, list);
    }

    public boolean allows(String sourceArn) {
      return switch (permission) {
        case "allowAll" -> true;
        case "denyAll" -> false;
        default -> sourceQueueArns.contains(sourceArn);
      };
    }
  }
}
