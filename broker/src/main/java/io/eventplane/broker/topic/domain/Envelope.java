package io.eventplane.broker.topic.domain;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The JSON document SNS delivers (unless RawMessageDelivery): the fields in SNS's order and
 * layout ({@code "Name" : "value"}, two-space indent), signed as "Verifying the signatures of
 * Amazon SNS messages" describes (the string to sign is each signed field's name and value on
 * lines of their own, in byte order of the names). FIFO topics' notifications carry a
 * SequenceNumber and no signature, as SNS sends them.
 */
public final class Envelope {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Envelope() {}

  public static String timestamp(long millis) {
    return TIMESTAMP.format(Instant.ofEpochMilli(millis));
  }

  public static String unsubscribeUrl(String baseUrl, String subscriptionArn) {
    return baseUrl + "/?Action=Unsubscribe&SubscriptionArn=" + subscriptionArn;
  }

  /** As SNS builds it: the TopicArn as it is, not percent-encoded (ARN characters need none in a query). */
  public static String subscribeUrl(String baseUrl, String topicArn, String token) {
    return baseUrl + "/?Action=ConfirmSubscription&TopicArn=" + topicArn + "&Token=" + token;
  }

  /** A notification as a subscription of the given protocol gets it. */
  public static String notification(Notification n, Subscription s, boolean fifo, String signatureVersion,
      MessageSigner signer) {
    String message = n.messageFor(s.protocol());
    String timestamp = timestamp(n.timestamp());
    Writer w = new Writer();
    w.field("Type", Notification.NOTIFICATION).field("MessageId", n.messageId());
    if (fifo) w.field("SequenceNumber", n.sequenceNumber());
    w.field("TopicArn", n.topicArn());
    if (n.subject() != null) w.field("Subject", n.subject());
    w.field("Message", message).field("Timestamp", timestamp);
    if (!fifo) {
      StringBuilder toSign = new StringBuilder();
      line(toSign, "Message", message);
      line(toSign, "MessageId", n.messageId());
      if (n.subject() != null) line(toSign, "Subject", n.subject());
      line(toSign, "Timestamp", timestamp);
      line(toSign, "TopicArn", n.topicArn());
      line(toSign, "Type", Notification.NOTIFICATION);
      w.field("SignatureVersion", signatureVersion)
          .field("Signature", signer.sign(toSign.toString(), signatureVersion))
          .field("SigningCertURL", signer.certificateUrl(n.baseUrl()));
    }
    w.field("UnsubscribeURL", unsubscribeUrl(n.baseUrl(), s.arn()));
    if (n.attributes() != null && !n.attributes().isEmpty()) w.attributes(n.attributes());
    return w.end();
  }

  /** The SubscriptionConfirmation request sent to a new HTTP/S endpoint. */
  public static String confirmation(Notification n, String signatureVersion, MessageSigner signer) {
    String timestamp = timestamp(n.timestamp());
    String subscribeUrl = subscribeUrl(n.baseUrl(), n.topicArn(), n.token());
    StringBuilder toSign = new StringBuilder();
    line(toSign, "Message", n.message());
    line(toSign, "MessageId", n.messageId());
    line(toSign, "SubscribeURL", subscribeUrl);
    line(toSign, "Timestamp", timestamp);
    line(toSign, "Token", n.token());
    line(toSign, "TopicArn", n.topicArn());
    line(toSign, "Type", n.type());
    return new Writer().field("Type", n.type()).field("MessageId", n.messageId()).field("Token", n.token())
        .field("TopicArn", n.topicArn()).field("Message", n.message()).field("SubscribeURL", subscribeUrl)
        .field("Timestamp", timestamp).field("SignatureVersion", signatureVersion)
        .field("Signature", signer.sign(toSign.toString(), signatureVersion))
        .field("SigningCertURL", signer.certificateUrl(n.baseUrl())).end();
  }

  private static void line(StringBuilder b, String name, String value) {
    b.append(name).append('\n').append(value).append('\n');
  }

  /** Writes {@code {\n  "Name" : "value",\n ...\n}} with JSON string escaping. */
  private static final class Writer {
    private final StringBuilder b = new StringBuilder("{\n");
    private boolean first = true;

    Writer field(String name, String value) {
      next();
      b.append("  ").append(quote(name)).append(" : ").append(quote(value));
      return this;
    }

    Writer attributes(JsonObject attributes) {
      next();
      b.append("  \"MessageAttributes\" : {");
      boolean firstAttribute = true;
      for (Map.Entry<String, Object> e : attributes) {
        if (!(e.getValue() instanceof JsonObject a)) continue;
        b.append(firstAttribute ? "\n" : ",\n");
        firstAttribute = false;
        String type = a.getString("DataType", "String");
        String value = a.getString("BinaryValue") != null && type.startsWith("Binary")
            ? a.getString("BinaryValue") : a.getString("StringValue");
        b.append("    ").append(quote(e.getKey())).append(" : ")
            .append(new JsonObject().put("Type", type).put("Value", value).encode());
      }
      b.append("\n  }");
      return this;
    }

    private void next() {
      if (!first) b.append(",\n");
      first = false;
    }

    String end() {
      return b.append("\n}").toString();
    }

    private static String quote(String s) {
      return io.vertx.core.json.Json.encode(s);
    }
  }
}
