package io.eventplane.eventbridge.delivery;

import io.eventplane.common.bus.Contracts;
import io.eventplane.eventbridge.domain.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Pattern;

/** SNS topic targets: Publish of the input through this node's SNS service (a FIFO topic with the event id as deduplication id). */
final class SnsTargets implements TargetChannel {
  private static final Pattern TOPIC_ARN = Pattern.compile("arn:aws[\\w-]*:sns:[a-z0-9-]+:[0-9]{12}:[\\w-]{1,256}(\\.fifo)?");
  private static final Set<String> CLIENT_ERRORS = Set.of("NotFound", "InvalidParameter", "InvalidParameterValue",
      "AuthorizationError", "KMSAccessDenied", "KMSDisabled", "KMSNotFound", "KMSInvalidState", "EndpointDisabled");

  private final Vertx vertx;

  SnsTargets(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public boolean serves(String arn) {
    return TOPIC_ARN.matcher(arn).matches();
  }

  @Override
  public Future<Outcome> deliver(Target target, String input, String eventId) {
    String[] ar = ServiceCalls.accountRegion(target.arn());
    JsonObject in = new JsonObject().put("TopicArn", target.arn()).put("Message", input);
    if (target.arn().endsWith(".fifo")) {
      in.put("MessageGroupId", target.messageGroupId() == null ? eventId : target.messageGroupId());
      in.put("MessageDeduplicationId", eventId);
    }
    return ServiceCalls.call(vertx, Contracts.SNS, "Publish", in, ar[0], ar[1], CLIENT_ERRORS);
  }
}
