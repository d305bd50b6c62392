package io.eventplane.broker.topic.delivery;

import io.eventplane.broker.topic.domain.Envelope;
import io.eventplane.broker.topic.domain.MessageSigner;
import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Delivers to Lambda functions as SNS does: an asynchronous (Event) invocation of the function
 * with the SNS event ({@code Records[0].Sns}, the notification with Lambda's spelling of
 * {@code SigningCertUrl} and {@code UnsubscribeUrl}). Once the function's queue has taken the
 * event the delivery is done; the function's own retries, dead-letter queue and destinations take
 * it from there. A function that does not exist is a client-side error; a throttle or an
 * unavailable service a server-side one, retried by the AWS-managed policy.
 */
public final class LambdaChannel implements DeliveryChannel {
  private static final Pattern FUNCTION_ARN =
      Pattern.compile("arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[a-zA-Z0-9-_]{1,64}(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
  private static final Set<String> CLIENT_ERRORS = Set.of("ResourceNotFoundException", "InvalidParameterValueException",
      "ValidationException", "InvalidRequestContentException", "RequestTooLargeException", "AccessDeniedException");
  private static final long TIMEOUT_MILLIS = 15_000;

  private final Vertx vertx;
  private final MessageSigner signer;

  public LambdaChannel(Vertx vertx, MessageSigner signer) {
    this.vertx = vertx;
    this.signer = signer;
  }

  @Override
  public Set<String> protocols() {
    return Set.of("lambda");
  }

  @Override
  public boolean acceptsEndpoint(String protocol, String endpoint) {
    return FUNCTION_ARN.matcher(endpoint).matches();
  }

  @Override
  public Future<DeliveryOutcome> deliver(Topic topic, Subscription s, Notification n) {
    JsonObject event = event(topic, s, n);
    String[] arn = s.endpoint().split(":");
    RequestContext context = new RequestContext(arn[4], arn[3], Ids.uuid(), "http://eventplane.internal");
    JsonObject input = new JsonObject().put("FunctionName", s.endpoint()).put("InvocationType", "Event")
        .put("Payload", event.encode().getBytes(StandardCharsets.UTF_8));
    return vertx.eventBus().<ApiReply>request(Contracts.LAMBDA, new ApiRequest("Invoke", input, context),
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

  /** The SNS event a function gets for one notification. */
  JsonObject event(Topic topic, Subscription s, Notification n) {
    JsonObject envelope = new JsonObject(Envelope.notification(n, s, topic.fifo(), topic.signatureVersion(), signer));
    JsonObject sns = new JsonObject();
    for (String field : envelope.fieldNames()) {
      String name = switch (field) {
        case "SigningCertURL" -> "SigningCertUrl";
        case "UnsubscribeURL" -> "UnsubscribeUrl";
        default -> field;
      };
      sns.put(name, envelope.getValue(field));
    }
    if (!sns.containsKey("MessageAttributes")) sns.put("MessageAttributes", new JsonObject());
    if (!sns.containsKey("Subject")) sns.putNull("Subject");
    JsonObject record = new JsonObject().put("EventSource", "aws:sns").put("EventVersion", "1.0")
        .put("EventSubscriptionArn", s.arn()).put("Sns", sns);
    return new JsonObject().put("Records", new JsonArray().add(record));
  }
}
