package io.eventplane.eventbridge.delivery;

import io.eventplane.common.bus.Contracts;
import io.eventplane.eventbridge.domain.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Firehose delivery stream targets: PutRecord of the input as the record's Data through this
 * node's Firehose service (which buffers it durably and writes it to the bucket in its own time).
 */
final class FirehoseTargets implements TargetChannel {
  private static final Pattern DELIVERY_STREAM_ARN =
      Pattern.compile("arn:aws[\\w-]*:firehose:[a-z0-9-]+:[0-9]{12}:deliverystream/[a-zA-Z0-9_.-]{1,64}");
  private static final Set<String> CLIENT_ERRORS = Set.of("ResourceNotFoundException", "InvalidArgumentException",
      "ValidationException", "AccessDeniedException", "InvalidKMSResourceException", "InvalidSourceException",
      "SerializationException");

  private final Vertx vertx;

  FirehoseTargets(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public boolean serves(String arn) {
    return DELIVERY_STREAM_ARN.matcher(arn).matches();
  }

  @Override
  public Future<Outcome> deliver(Target target, String input, String eventId) {
    String[] ar = ServiceCalls.accountRegion(target.arn());
    String name = target.arn().substring(target.arn().indexOf(":deliverystream/") + ":deliverystream/".length());
    JsonObject in = new JsonObject().put("DeliveryStreamName", name)
        .put("Record", new JsonObject().put("Data", Base64.getEncoder().encodeToString(input.getBytes(StandardCharsets.UTF_8))));
    return ServiceCalls.call(vertx, Contracts.FIREHOSE, "PutRecord", in, ar[0], ar[1], CLIENT_ERRORS);
  }
}
