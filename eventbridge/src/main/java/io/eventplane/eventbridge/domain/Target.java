package io.eventplane.eventbridge.domain;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A rule's target as the caller gave it: {@code wire} is the Target structure of the API (Id, Arn,
 * RoleArn, Input, InputPath, InputTransformer, RetryPolicy, DeadLetterConfig, SqsParameters, ...),
 * validated by PutTargets and handed back by ListTargetsByRule member for member, as AWS does.
 * The accessors read what delivery needs, with EventBridge's defaults.
 */
public record Target(String id, String arn, JsonObject wire) {
  /** EventBridge's default retry policy: 185 retries within 24 hours. */
  public static final int DEFAULT_RETRY_ATTEMPTS = 185;
  public static final int DEFAULT_MAX_AGE_SECONDS = 86_400;

  public Target {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(arn, "arn");
    wire = wire.copy();
  }

  public static Target of(JsonObject wire) {
    return new Target(wire.getString("Id"), wire.getString("Arn"), wire);
  }

  public int maximumRetryAttempts() {
    JsonObject p = wire.getJsonObject("RetryPolicy");
    return p == null || p.getInteger("MaximumRetryAttempts") == null ? DEFAULT_RETRY_ATTEMPTS : p.getInteger("MaximumRetryAttempts");
  }

  public int maximumEventAgeSeconds() {
    JsonObject p = wire.getJsonObject("RetryPolicy");
    return p == null || p.getInteger("MaximumEventAgeInSeconds") == null ? DEFAULT_MAX_AGE_SECONDS
        : p.getInteger("MaximumEventAgeInSeconds");
  }

  /** The SQS queue ARN of the DeadLetterConfig, or null. */
  public String deadLetterArn() {
    JsonObject d = wire.getJsonObject("DeadLetterConfig");
    return d == null ? null : d.getString("Arn");
  }

  /** SqsParameters.MessageGroupId, for FIFO queue targets; or null. */
  public String messageGroupId() {
    JsonObject s = wire.getJsonObject("SqsParameters");
    return s == null ? null : s.getString("MessageGroupId");
  }

  /** KinesisParameters.PartitionKeyPath, for Kinesis stream targets; or null (the event id is the key). */
  public String partitionKeyPath() {
    JsonObject k = wire.getJsonObject("KinesisParameters");
    return k == null ? null : k.getString("PartitionKeyPath");
  }

  public JsonObject toJson() {
    return wire.copy();
  }
}
