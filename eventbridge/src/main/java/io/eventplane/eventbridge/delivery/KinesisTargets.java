package io.eventplane.eventbridge.delivery;

import io.eventplane.common.bus.Contracts;
import io.eventplane.eventbridge.domain.Target;
import io.eventplane.eventbridge.transform.PartitionKeyPath;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Kinesis data stream targets: PutRecord of the input as Data through this node's Kinesis service.
 * The partition key is what {@code KinesisParameters.PartitionKeyPath} selects in the event, or
 * the event's id without it, as the EventBridge API reference says. A path that selects nothing
 * gives no partition key, a record Kinesis cannot take: refused for good (INVALID_PARAMETER).
 */
final class KinesisTargets implements TargetChannel {
  private static final Pattern STREAM_ARN = Pattern.compile("arn:aws[\\w-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[a-zA-Z0-9_.-]{1,128}");
  private static final Set<String> CLIENT_ERRORS = Set.of("ResourceNotFoundException", "InvalidArgumentException",
      "ValidationException", "AccessDeniedException", "KMSDisabledException", "KMSInvalidStateException",
      "KMSAccessDeniedException", "KMSNotFoundException", "KMSOptInRequired", "SerializationException");

  private final Vertx vertx;

  KinesisTargets(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public boolean serves(String arn) {
    return STREAM_ARN.matcher(arn).matches();
  }

  @Override
  public Future<Outcome> deliver(Target target, String input, String eventId) {
    return deliver(target, input, eventId, null);
  }

  @Override
  public Future<Outcome> deliver(Target target, String input, String eventId, String event) {
    String key = eventId;
    String path = target.partitionKeyPath();
    if (path != null) {
      try {
        key = event == null ? null : PartitionKeyPath.parse(path).select(new JsonObject(event));
      } catch (IllegalArgumentException e) {
        // PutTargets refuses such a path; a target stored before it checked paths can still hold one.
        return Future.succeededFuture(Outcome.clientError("INVALID_PARAMETER", "The partition key path " + path + " is invalid."));
      }
      if (key == null) {
        return Future.succeededFuture(Outcome.clientError("INVALID_PARAMETER",
            "The partition key path " + path + " selects nothing in the event."));
      }
    }
    String[] ar = ServiceCalls.accountRegion(target.arn());
    JsonObject in = new JsonObject().put("StreamARN", target.arn())
        .put("Data", Base64.getEncoder().encodeToString(input.getBytes(StandardCharsets.UTF_8)))
        .put("PartitionKey", key);
    return ServiceCalls.call(vertx, Contracts.KINESIS, "PutRecord", in, ar[0], ar[1], CLIENT_ERRORS);
  }
}
