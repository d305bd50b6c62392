package io.eventplane.broker.topic.delivery;

import io.eventplane.broker.queue.domain.QueueArn;
import io.eventplane.broker.topic.domain.Envelope;
import io.eventplane.broker.topic.domain.MessageSigner;
import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Delivers to SQS queues: the JSON envelope as the message body, or with RawMessageDelivery the
 * message itself with the notification's attributes as SQS message attributes. A FIFO queue gets
 * the notification's message group and deduplication id, so order and deduplication carry over. A
 * standard queue gets the message group a standard topic's publisher gave (SNS passes it on for
 * SQS fair queues) but none from a FIFO topic, as SNS does.
 */
public final class SqsChannel implements DeliveryChannel {
  private final QueueSender sender;
  private final MessageSigner signer;

  public SqsChannel(QueueSender sender, MessageSigner signer) {
    this.sender = sender;
    this.signer = signer;
  }

  @Override
  public Set<String> protocols() {
    return Set.of("sqs");
  }

  @Override
  public boolean acceptsEndpoint(String protocol, String endpoint) {
    return QueueArn.parse(endpoint) != null;
  }

  @Override
  public Future<DeliveryOutcome> deliver(Topic topic, Subscription s, Notification n) {
    boolean fifoQueue = s.endpoint().endsWith(".fifo");
    String groupId = fifoQueue || !topic.fifo() ? n.groupId() : null;
    String dedupId = fifoQueue ? n.deduplicationId() : null;
    if (s.rawDelivery()) {
      JsonObject attributes = n.attributes() == null || n.attributes().isEmpty() ? null : n.attributes();
      return sender.sendBatched(s.endpoint(), n.messageFor(s.protocol()), attributes, groupId, dedupId);
    }
    String body = Envelope.notification(n, s, topic.fifo(), topic.signatureVersion(), signer);
    return sender.sendBatched(s.endpoint(), body, null, groupId, dedupId);
  }
}
