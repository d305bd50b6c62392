package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.delivery.Deliveries;
import io.eventplane.broker.topic.delivery.DeliveryMetrics;
import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.domain.TopicErrors;
import io.eventplane.broker.topic.domain.Topics;
import io.eventplane.broker.topic.mobile.MobileState;
import io.eventplane.broker.topic.mobile.PlatformArn;
import io.eventplane.broker.topic.mobile.PlatformEndpoint;
import io.eventplane.broker.topic.mobile.Recorded;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Publish and PublishBatch. A publish is acknowledged only when the notification and one pending
 * delivery per matching subscription are committed in one batch (the outbox); the deliveries
 * start after that.
 */
final class PublishOperations {
  /** SNS's limit for a message with its attributes. */
  static final int MAX_MESSAGE_BYTES = 262_144;
  private static final int MAX_BATCH = 10;
  private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
  /** E.164: a plus, then up to 15 digits. */
  private static final Pattern PHONE = Pattern.compile("\\+?[1-9][0-9]{1,14}");
  private static final Pattern GROUP_OR_DEDUP_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");

  private final Topics topics;
  private final MobileState mobile;
  private final PlatformOperations platforms;
  private final SmsOperations sms;
  private final Deliveries deliveries;
  private final Clock clock;

  PublishOperations(Topics topics, MobileState mobile, PlatformOperations platforms, SmsOperations sms,
      Deliveries deliveries, Clock clock) {
    this.topics = topics;
    this.mobile = mobile;
    this.platforms = platforms;
    this.sms = sms;
    this.deliveries = deliveries;
    this.clock = clock;
  }

  /** One message to publish, validated. */
  private record Entry(String id, String subject, String message, JsonObject perProtocol, JsonObject attributes,
      String groupId, String deduplicationId) {}

  /** What a publish of one entry produced; {@code notification} is null for a duplicate or no subscriber. */
  private record Accepted(String id, String messageId, String sequenceNumber, Notification notification,
      Map<String, Integer> subscriptions, long bytes, List<Subscription> filteredOut, boolean noAttributes) {}

  Future<JsonObject> publish(JsonObject in, RequestContext ctx) {
    String phone = Inputs.optional(in, "PhoneNumber");
    Topic topic;
    if (in.getValue("TopicArn") != null) {
      topic = topics.require(Inputs.topicArn(in, "TopicArn", ctx).toString());
    } else if (in.getValue("TargetArn") != null) {
      String target = Inputs.optional(in, "TargetArn");
      if (isEndpointArn(target)) return publishToEndpoint(target, in, ctx);
      topic = topics.require(Inputs.topicArn(target, "TargetArn", ctx).toString());
    } else if (phone != null) {
      return publishSms(phone, in, ctx);
    } else {
      throw TopicErrors.noValue("TopicArn or TargetArn");
    }
    Entry entry = entry(null, in, topic, "");
    int partition = Topics.partitionOf(topic.arn());
    Batch b = topics.store().batch();
    Accepted accepted = accept(b, partition, topic, entry, ctx);
    return topics.commit(partition, b).map(v -> {
      start(partition, topic, accepted);
      JsonObject out = new JsonObject().put("MessageId", accepted.messageId());
      if (accepted.sequenceNumber() != null) out.put("SequenceNumber", accepted.sequenceNumber());
      return out;
    });
  }

  /** A TargetArn of a mobile platform endpoint ({@code ...:endpoint/APNS/app/id}) rather than a topic. */
  private static boolean isEndpointArn(String arn) {
    String[] parts = arn.split(":", -1);
    return parts.length == 6 && "sns".equals(parts[2]) && parts[5].startsWith("endpoint/");
  }

  /**
   * Publish to a platform endpoint: it must exist and be enabled (EndpointDisabled otherwise);
   * the message for its platform (MessageStructure json: the platform's key, else default) is
   * recorded, not pushed, in the application's partition, where this request runs.
   */
  private Future<JsonObject> publishToEndpoint(String arn, JsonObject in, RequestContext ctx) {
    PlatformEndpoint endpoint = platforms.target(arn);
    Entry entry = entry(null, in, null, "");
    String platform = PlatformArn.endpoint(endpoint.arn()).platform();
    String messageId = Ids.uuid();
    JsonObject message = pushMessage(messageId, entry.message(), entry.perProtocol(), platform, entry.subject(),
        entry.attributes(), null).put("Timestamp", io.eventplane.broker.topic.domain.Envelope.timestamp(clock.millis()));
    PlatformArn parsed = PlatformArn.endpoint(arn);
    return mobile.record(parsed.partition(), Recorded.endpoint(parsed.accountId(), parsed.region(), arn, message))
        .map(v -> new JsonObject().put("MessageId", messageId));
  }

  /**
   * A notification an {@code application} subscription delivers ({@link TopicApi#DELIVER_TO_ENDPOINT}):
   * recorded for its endpoint, or refused as SNS would fail the delivery (endpoint gone or disabled).
   */
  Future<JsonObject> deliverToEndpoint(JsonObject in, RequestContext ctx) {
    String arn = in.getString("EndpointArn");
    PlatformArn parsed = PlatformArn.endpoint(arn);
    var app = parsed == null ? null : mobile.application(parsed.applicationArn().toString());
    PlatformEndpoint endpoint = app == null ? null : app.endpoints().get(arn);
    if (endpoint == null) throw TopicErrors.endpointNotFound();
    if (!endpoint.enabled()) throw TopicErrors.endpointDisabled();
    JsonObject message = in.getJsonObject("Notification");
    return mobile.record(parsed.partition(), Recorded.endpoint(parsed.accountId(), parsed.region(), arn, message))
        .map(v -> new JsonObject());
  }

  /** What a platform endpoint gets: the message for its platform and the notification's fields. */
  static JsonObject pushMessage(String messageId, String message, JsonObject perProtocol, String platform, String subject,
      JsonObject attributes, String topicArn) {
    String text = message;
    if (perProtocol != null) {
      text = perProtocol.getValue(platform) instanceof String specific ? specific : perProtocol.getString("default");
    }
    JsonObject out = new JsonObject().put("MessageId", messageId).put("Message", text);
    if (perProtocol != null) out.put("MessageStructure", "json");
    if (topicArn != null) out.put("TopicArn", topicArn);
    if (subject != null) out.put("Subject", subject);
    if (attributes != null && !attributes.isEmpty()) out.put("MessageAttributes", attributes);
    return out;
  }

  /**
   * A direct SMS: checked as SNS checks it (an E.164 number, a message) and recorded, not sent, in
   * the account's SMS partition, where this request runs.
   */
  private Future<JsonObject> publishSms(String phone, JsonObject in, RequestContext ctx) {
    if (!PHONE.matcher(phone).matches()) {
      throw TopicErrors.invalidParameter("PhoneNumber Reason: " + phone + " is not valid to publish to");
    }
    Entry entry = entry(null, in, null, "");
    String text = entry.perProtocol() == null ? entry.message()
        : entry.perProtocol().getValue("sms") instanceof String s ? s : entry.perProtocol().getString("default");
    return sms.publishSms(phone, text, entry.subject(), entry.attributes(), ctx);
  }

  /**
   * PublishBatch. Every entry is checked before anything is accepted, and an entry SNS refuses
   * fails the whole request with the error Publish would give for it (SNS answers so; it does not
   * list such an entry under Failed).
   */
  Future<JsonObject> publishBatch(JsonObject in, RequestContext ctx) {
    String topicArn = Inputs.topicArn(in, "TopicArn", ctx).toString();
    Object raw = in.getValue("PublishBatchRequestEntries");
    if (raw == null) throw TopicErrors.missing("PublishBatchRequestEntries");
    if (!(raw instanceof JsonArray list)) throw TopicErrors.invalidParameter("PublishBatchRequestEntries");
    if (list.isEmpty()) {
      throw new ServiceException(ServiceError.sender("EmptyBatchRequest", "The batch request doesn't contain any entries."));
    }
    if (list.size() > MAX_BATCH) {
      throw new ServiceException(ServiceError.sender("TooManyEntriesInBatchRequest",
          "The batch request contains more entries than permissible."));
    }
    Topic topic = topics.require(topicArn);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.getValue(i) instanceof JsonObject e)) throw TopicErrors.invalidParameter("PublishBatchRequestEntries");
      Object id = e.getValue("Id");
      if (id == null) throw TopicErrors.missing(entryPath(i) + "id");
      if (!(id instanceof String s) || !BATCH_ID.matcher(s).matches()) {
        throw new ServiceException(ServiceError.sender("InvalidBatchEntryId",
            "The Id of a batch entry in a batch request doesn't abide by the specification."));
      }
      if (!ids.add(s)) {
        throw new ServiceException(ServiceError.sender("BatchEntryIdsNotDistinct",
            "Two or more batch entries in the request have the same Id."));
      }
    }
    List<Entry> entries = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < list.size(); i++) {
      JsonObject e = list.getJsonObject(i);
      Entry entry = entry(e.getString("Id"), e, topic, entryPath(i));
      entries.add(entry);
      total += size(entry.message(), entry.attributes());
    }
    if (total > MAX_MESSAGE_BYTES) {
      throw new ServiceException(ServiceError.sender("BatchRequestTooLong",
          "The length of all the messages put together is more than the limit."));
    }
    int partition = Topics.partitionOf(topic.arn());
    Batch b = topics.store().batch();
    List<Accepted> accepted = new ArrayList<>();
    for (Entry entry : entries) accepted.add(accept(b, partition, topic, entry, ctx));
    return topics.commit(partition, b).map(v -> {
      JsonArray successful = new JsonArray();
      for (Accepted a : accepted) {
        start(partition, topic, a);
        JsonObject s = new JsonObject().put("Id", a.id()).put("MessageId", a.messageId());
        if (a.sequenceNumber() != null) s.put("SequenceNumber", a.sequenceNumber());
        successful.add(s);
      }
      return new JsonObject().put("Successful", successful).put("Failed", new JsonArray());
    });
  }

  /** How SNS's request validation names a member of the i-th batch entry (counting from 1). */
  private static String entryPath(int i) {
    return "publishBatchRequestEntries." + (i + 1) + ".member.";
  }

  private void start(int partition, Topic topic, Accepted a) {
    if (a.notification() != null) deliveries.add(partition, a.notification(), a.subscriptions(), topic.fifo());
    if (a.bytes() < 0) return; // a duplicate of a FIFO topic's earlier message: not published again
    DeliveryMetrics metrics = deliveries.metrics();
    metrics.published(topic, a.bytes());
    for (Subscription s : a.filteredOut()) {
      metrics.filteredOut(topic, s, s.filter().bodyScope(), a.noAttributes());
    }
  }

  /** Adds the entry's outbox records to the batch, or finds it a duplicate. */
  private Accepted accept(Batch b, int partition, Topic topic, Entry e, RequestContext ctx) {
    long now = clock.millis();
    if (topic.fifo()) {
      Topics.DedupEntry earlier = topics.duplicate(topic.arnString(), e.deduplicationId(), now);
      if (earlier != null) {
        return new Accepted(e.id(), earlier.messageId(), String.format("%020d", earlier.seq()), null, Map.of(), -1, List.of(), false);
      }
    }
    long seq = topics.nextSequence(partition);
    String messageId = Ids.uuid();
    Notification n = new Notification(seq, Notification.NOTIFICATION, messageId, topic.arnString(), e.subject(),
        e.message(), e.perProtocol(), e.attributes(), now, e.groupId(), e.deduplicationId(), ctx.baseUrl(), null, null);
    Map<String, Integer> matching = new LinkedHashMap<>();
    List<Subscription> filteredOut = List.of();
    for (Subscription s : topic.subscriptions().values()) {
      if (!s.confirmed()) continue;
      if (s.filter() != null && !s.filter().matches(n.messageFor(s.protocol()), e.attributes())) {
        if (filteredOut.isEmpty()) filteredOut = new ArrayList<>();
        filteredOut.add(s);
        continue;
      }
      matching.put(s.arn(), 0);
    }
    topics.store().putSequence(b, partition, seq);
    if (topic.fifo()) {
      Topics.DedupEntry entry = new Topics.DedupEntry(messageId, seq, now + Topics.DEDUP_WINDOW_MILLIS);
      topics.remember(topic.arnString(), e.deduplicationId(), entry);
      topics.store().putDedup(b, partition, topic.arn(), e.deduplicationId(), messageId, seq,
          entry.expiresAt());
    }
    if (!matching.isEmpty()) {
      topics.store().putNotification(b, partition, n);
      for (String arn : matching.keySet()) topics.store().putDelivery(b, partition, seq, arn, 0);
    }
    return new Accepted(e.id(), messageId, topic.fifo() ? n.sequenceNumber() : null, matching.isEmpty() ? null : n,
        matching, size(e.message(), e.attributes()), filteredOut, e.attributes() == null || e.attributes().isEmpty());
  }

  /**
   * Validates one message as Publish (or a PublishBatch entry) gets it.
   *
   * @param topic null for a publish to a platform endpoint or a phone number
   * @param path how SNS names the entry's members in a ValidationError: "" for Publish
   */
  private Entry entry(String id, JsonObject in, Topic topic, String path) {
    String message = Inputs.optional(in, "Message");
    if (message == null) throw TopicErrors.missing(path + "message");
    if (message.isEmpty()) throw TopicErrors.invalidParameter("Empty message");
    String subject = Inputs.optional(in, "Subject");
    if (subject != null) {
      if (subject.isEmpty() || subject.length() > 100 || !subject.chars().allMatch(c -> c >= 0x20 && c < 0x7F)
          || !Character.isLetterOrDigit(subject.charAt(0)) && !isPunctuation(subject.charAt(0))) {
        throw TopicErrors.invalidParameter("Subject");
      }
    }
    JsonObject attributes = attributes(in.getValue("MessageAttributes"), path);
    if (size(message, attributes) > MAX_MESSAGE_BYTES) throw TopicErrors.invalidParameter("Message too long");
    JsonObject perProtocol = null;
    String structure = Inputs.optional(in, "MessageStructure");
    if (structure != null) {
      if (!structure.equals("json")) throw TopicErrors.invalidParameter("MessageStructure");
      try {
        perProtocol = new JsonObject(message);
      } catch (DecodeException | ClassCastException ex) {
        throw TopicErrors.invalidParameter("Message Structure - JSON message body failed to parse");
      }
      if (!(perProtocol.getValue("default") instanceof String)) {
        throw TopicErrors.invalidParameter("Message Structure - No default entry in JSON message body");
      }
    }
    String groupId = Inputs.optional(in, "MessageGroupId");
    String dedupId = Inputs.optional(in, "MessageDeduplicationId");
    if (groupId != null && !GROUP_OR_DEDUP_ID.matcher(groupId).matches()) throw TopicErrors.invalidParameter("MessageGroupId");
    if (dedupId != null && !GROUP_OR_DEDUP_ID.matcher(dedupId).matches()) {
      throw TopicErrors.invalidParameter("MessageDeduplicationId");
    }
    if (topic != null && topic.fifo()) {
      if (groupId == null) throw TopicErrors.invalidParameter("The MessageGroupId parameter is required for FIFO topics");
      if (dedupId == null) {
        if (!topic.contentBasedDeduplication()) {
          throw TopicErrors.invalidParameter("The topic should either have ContentBasedDeduplication enabled or "
              + "MessageDeduplicationId provided explicitly");
        }
        dedupId = sha256(message);
      }
    } else if (dedupId != null) {
      throw TopicErrors.invalidParameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId "
          + "parameter that is not valid for this topic type");
    }
    return new Entry(id, subject, message, perProtocol, attributes, groupId, dedupId);
  }

  /**
   * Message attributes as SNS accepts them: a name of at most 256 bytes of letters, digits,
   * {@code -_.} (no leading, trailing or doubled dot), a DataType of the Binary, Number or String
   * families, and a non-empty value in the field of that type. Refusals are ParameterValueInvalid
   * in SNS's words; a missing DataType is a ValidationError of the request's shape.
   */
  private static JsonObject attributes(Object raw, String path) {
    if (raw == null) return null;
    if (!(raw instanceof JsonObject map)) throw TopicErrors.invalidParameter("MessageAttributes");
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : map) {
      String name = e.getKey();
      checkAttributeName(name);
      if (!(e.getValue() instanceof JsonObject v)) throw TopicErrors.invalidParameter("MessageAttributes");
      Object rawType = v.getValue("DataType");
      if (rawType == null) throw TopicErrors.missing(path + "messageAttributes." + name + ".member.dataType");
      String type = rawType instanceof String s ? s : "";
      if (type.isEmpty()) {
        throw TopicErrors.invalidParameterValue("The message attribute '" + name + "' must contain non-empty message attribute type.");
      }
      String base = type.contains(".") && !type.startsWith("String.Array") ? type.substring(0, type.indexOf('.')) : type;
      String stringValue = v.getValue("StringValue") instanceof String s && !s.isEmpty() ? s : null;
      String binaryValue = v.getValue("BinaryValue") instanceof String s && !s.isEmpty() ? s : null;
      boolean binary = base.equals("Binary");
      if (!binary && !base.equals("String") && !base.equals("String.Array") && !base.equals("Number")) {
        throw TopicErrors.invalidParameterValue("The message attribute '" + name
            + "' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
      }
      if (binary ? binaryValue == null : stringValue == null) {
        if (binary ? v.getValue("StringValue") != null : v.getValue("BinaryValue") != null) {
          throw TopicErrors.invalidParameterValue("The message attribute '" + name + "' with type '" + base
              + "' must use field '" + (binary ? "Binary" : "String") + "'.");
        }
        throw TopicErrors.invalidParameterValue("The message attribute '" + name
            + "' must contain non-empty message attribute value for message attribute type '" + type + "'.");
      }
      if (base.equals("String.Array")) {
        try {
          new JsonArray(stringValue);
        } catch (DecodeException | ClassCastException ex) {
          throw TopicErrors.invalidParameter("MessageAttributes Reason: Invalid value for message attribute " + name
              + " of type String.Array");
        }
      } else if (base.equals("Number")) {
        try {
          new java.math.BigDecimal(stringValue.trim());
        } catch (NumberFormatException ex) {
          throw TopicErrors.invalidParameterValue("Could not cast message attribute '" + name + "' value to number.");
        }
      }
      JsonObject value = new JsonObject().put("DataType", type);
      if (binary) value.put("BinaryValue", binaryValue);
      else value.put("StringValue", stringValue);
      out.put(name, value);
    }
    return out;
  }

  /** A message attribute name, checked in SNS's order and words. */
  private static void checkAttributeName(String name) {
    if (name.getBytes(StandardCharsets.UTF_8).length > 256) {
      throw TopicErrors.invalidParameterValue("Length of message attribute name must be less than 256 bytes.");
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      boolean ok = c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.');
      if (!ok) {
        throw TopicErrors.invalidParameterValue("Invalid non-alphanumeric character '#x" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
            + "' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.");
      }
      i += Character.charCount(c);
    }
    if (name.startsWith(".")) throw TopicErrors.invalidParameterValue("Invalid message attribute name starting with character '.' was found.");
    if (name.endsWith(".")) throw TopicErrors.invalidParameterValue("Invalid message attribute name ending with character '.' was found.");
    if (name.contains("..")) throw TopicErrors.invalidParameterValue("Message attribute name can not have successive '.' character.");
    // AWS. and Amazon. are reserved, except for the attributes SNS defines for SMS and mobile push (AWS.SNS.*).
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if ((lower.startsWith("aws.") || lower.startsWith("amazon.")) && !name.startsWith("AWS.SNS.")) {
      throw TopicErrors.invalidParameter("MessageAttributes Reason: Invalid attribute name: " + name);
    }
  }

  private static long size(String message, JsonObject attributes) {
    long n = message.getBytes(StandardCharsets.UTF_8).length;
    if (attributes != null) {
      for (Map.Entry<String, Object> e : attributes) {
        n += e.getKey().getBytes(StandardCharsets.UTF_8).length;
        if (e.getValue() instanceof JsonObject v) {
          for (String field : new String[] {"DataType", "StringValue", "BinaryValue"}) {
            String s = v.getValue(field) instanceof String str ? str : null;
            if (s != null) n += field.equals("BinaryValue") ? (s.length() * 3L) / 4 : s.getBytes(StandardCharsets.UTF_8).length;
          }
        }
      }
    }
    return n;
  }

  private static boolean isPunctuation(char c) {
    return c >= 0x21 && c <= 0x7E && !Character.isLetterOrDigit(c);
  }

  private static String sha256(String s) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
