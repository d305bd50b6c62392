package io.eventplane.broker.topic.delivery;

import io.eventplane.broker.topic.domain.Envelope;
import io.eventplane.broker.topic.domain.MessageSigner;
import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.RetryPolicy;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.SubscriptionAttributes;
import io.eventplane.broker.topic.domain.Topic;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.Set;

/**
 * POSTs to HTTP/S endpoints as SNS does: the JSON envelope (or the raw message) with the
 * headers SNS sends ({@code Content-Type} from the delivery policy's headerContentType, by default
 * {@code text/plain; charset=UTF-8}, which confirmation requests always have;
 * {@code Accept-Encoding: gzip,deflate}; the {@code x-amz-sns-*} set). A 2xx answer is a
 * delivery; a 5xx, a timeout or no connection is a server-side error and is retried by the
 * delivery policy; any other status is the endpoint refusing the message (not retried).
 */
public final class HttpChannel implements DeliveryChannel {
  private static final long TIMEOUT_MILLIS = 15_000;

  private final HttpClient client;
  private final MessageSigner signer;

  public HttpChannel(Vertx vertx, MessageSigner signer) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000).setKeepAlive(true));
    this.signer = signer;
  }

  @Override
  public Set<String> protocols() {
    return Set.of("http", "https");
  }

  @Override
  public boolean acceptsEndpoint(String protocol, String endpoint) {
    try {
      URI uri = new URI(endpoint);
      return protocol.equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public boolean needsConfirmation(String protocol) {
    return true;
  }

  @Override
  public RetryPolicy retryPolicy(Subscription subscription, Topic topic) {
    return SubscriptionAttributes.httpRetryPolicy(subscription, topic);
  }

  @Override
  public Future<DeliveryOutcome> deliver(Topic topic, Subscription s, Notification n) {
    String body;
    boolean raw = false;
    if (n.isConfirmation()) {
      body = Envelope.confirmation(n, topic.signatureVersion(), signer);
    } else if (s.rawDelivery()) {
      body = n.messageFor(s.protocol());
      raw = true;
    } else {
      body = Envelope.notification(n, s, topic.fifo(), topic.signatureVersion(), signer);
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(s.endpoint())
        .setTimeout(TIMEOUT_MILLIS)
        .putHeader("Content-Type", n.isConfirmation() ? "text/plain; charset=UTF-8" : SubscriptionAttributes.contentType(s, topic))
        .putHeader("Accept-Encoding", "gzip,deflate")
        .putHeader("User-Agent", "Amazon Simple Notification Service Agent")
        .putHeader("x-amz-sns-message-type", n.type())
        .putHeader("x-amz-sns-message-id", n.messageId())
        .putHeader("x-amz-sns-topic-arn", n.topicArn());
    // SNS names the subscription in every request but the SubscriptionConfirmation (it has no ARN yet for the endpoint).
    if (!Notification.SUBSCRIPTION_CONFIRMATION.equals(n.type())) options.putHeader("x-amz-sns-subscription-arn", s.arn());
    if (raw) options.putHeader("x-amz-sns-rawdelivery", "true");
    return client.request(options)
        .compose(request -> request.send(Buffer.buffer(body)))
        .compose(response -> response.body().map(ignored -> response.statusCode()))
        .map(status -> {
          if (status >= 200 && status < 300) return DeliveryOutcome.delivered();
          if (status >= 500) return DeliveryOutcome.serverError(Integer.toString(status), "The endpoint answered " + status);
          return DeliveryOutcome.clientError(Integer.toString(status), "The endpoint answered " + status);
        })
        .otherwise(failure -> DeliveryOutcome.serverError("ConnectionFailure", String.valueOf(failure.getMessage())));
  }
}
