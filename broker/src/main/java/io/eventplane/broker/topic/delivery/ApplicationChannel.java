package io.eventplane.broker.topic.delivery;

import io.eventplane.broker.topic.domain.Envelope;
import io.eventplane.broker.topic.api.TopicApi;
import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.mobile.PlatformArn;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Mobile push subscriptions ({@code application}, an endpoint ARN): the notification, with the
 * message for the endpoint's platform (a MessageStructure json message's {@code GCM}, {@code APNS},
 * ... key, else its default), goes to the lane that owns the endpoint's application, which records
 * it (no push service is reached). An endpoint that is gone or disabled is a client-side error,
 * as a push service's refusal is; the lane unreachable a server-side one, retried.
 */
public final class ApplicationChannel implements DeliveryChannel {
  private static final long TIMEOUT_MILLIS = 15_000;
  private static final Set<String> CLIENT_ERRORS = Set.of("NotFound", "EndpointDisabled", "InvalidParameter");

  private final Vertx vertx;

  public ApplicationChannel(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Set<String> protocols() {
    return Set.of("application");
  }

  @Override
  public boolean acceptsEndpoint(String protocol, String endpoint) {
    return PlatformArn.endpoint(endpoint) != null;
  }

  @Override
  public Future<DeliveryOutcome> deliver(Topic topic, Subscription s, Notification n) {
    PlatformArn endpoint = PlatformArn.endpoint(s.endpoint());
    String platform = endpoint.platform();
    String text = n.perProtocol() != null && n.perProtocol().getValue(platform) instanceof String specific
        ? specific : n.messageFor(s.protocol());
    JsonObject message = new JsonObject().put("MessageId", n.messageId()).put("Message", text)
        .put("TopicArn", n.topicArn()).put("SubscriptionArn", s.arn()).put("Timestamp", Envelope.timestamp(n.timestamp()));
    if (n.perProtocol() != null) message.put("MessageStructure", "json");
    if (n.subject() != null) message.put("Subject", n.subject());
    if (n.attributes() != null && !n.attributes().isEmpty()) message.put("MessageAttributes", n.attributes());
    RequestContext context = new RequestContext(endpoint.accountId(), endpoint.region(), Ids.uuid(), n.baseUrl());
    JsonObject input = new JsonObject().put("EndpointArn", s.endpoint()).put("Notification", message);
    return vertx.eventBus().<ApiReply>request(Contracts.SNS, new ApiRequest(TopicApi.DELIVER_TO_ENDPOINT, input, context),
            new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS))
        .map(m -> {
          ApiReply reply = m.body();
          if (reply.succeeded()) return DeliveryOutcome.delivered();
          String code = reply.error().code();
          return CLIENT_ERRORS.contains(code) ? DeliveryOutcome.clientError(code, reply.error().message())
              : DeliveryOutcome.serverError(code, reply.error().message());
        })
        .otherwise(e -> DeliveryOutcome.serverError("ServiceUnavailable", String.valueOf(e.getMessage())));
  }
}
