package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.delivery.Deliveries;
import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.domain.TopicErrors;
import io.eventplane.broker.topic.domain.Topics;
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
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
  private static final Pattern GROUP_OR_DEDUP_ID = Pattern.compile("[\\x21-\\x7E]{1,128}");

  private final Topics topics;
  private final Deliveries deliveries;
  private final Clock clock;

  PublishOperations(Topics topics, Deliveries deliveries, Clock clock) {
    this.topics = topics;
    this.deliveries = deliveries;
    this.clock = clock;
  }

  /** One message to publish, validated. */
  private record Entry(String id, String subject, String message, JsonObject perProtocol, JsonObject attributes,
      String groupId, String deduplicationId) {}

  /** What a publish of one entry produced; {@code notification} is null for a duplicate or no subscriber. */
  private record Accepted(String id, String messageId, String sequenceNumber, Notification notification,
      Map<String, Integer> subscriptions) {}

  Future<JsonObject> publish(JsonObject in, RequestContext ctx) {
    String topicArn = Inputs.optional(in, "TopicArn");
    String targetArn = Inputs.optional(in, "TargetArn");
    if (Inputs.optional(in, "PhoneNumber") != null) {
      throw TopicErrors.invalidParameter("PhoneNumber Reason: SMS is not supported by Eventplane");
    }
    if (topicArn == null) topicArn = targetArn;
    if (topicArn == null) throw TopicErrors.invalidParameter("TopicArn or TargetArn Reason: no value for required parameter");
    TopicOperations.parseArn(topicArn, "TopicArn");
    Topic topic = topics.require(topicArn);
    Entry entry = entry(null, in, topic);
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

  Future<JsonObject> publishBatch(JsonObject in, RequestContext ctx) {
    String topicArn = Inputs.required(in, "TopicArn");
    TopicOperations.parseArn(topicArn, "TopicArn");
    Object raw = in.getValue("PublishBatchRequestEntries");
    if (raw == null) throw TopicErrors.missing("PublishBatchRequestEntries");
    if (!(raw instanceof JsonArray list)) throw TopicErrors.invalidParameter("PublishBatchRequestEntries");
    if (list.isEmpty()) throw new ServiceException(ServiceError.sender("EmptyBatchRequest", "The batch request doesn't contain any entries"));
    if (list.size() > MAX_BATCH) {
      throw new ServiceException(ServiceError.sender("TooManyEntriesInBatchRequest",
          "The batch request contains more entries than permissible"));
    }
    Topic topic = topics.require(topicArn);
    Set<String> ids = new HashSet<>();
    long total = 0;
    for (Object o : list) {
      if (!(o instanceof JsonObject e)) throw TopicErrors.invalidParameter("PublishBatchRequestEntries");
      String id = Inputs.required(e, "Id");
      if (!BATCH_ID.matcher(id).matches()) {
        throw new ServiceException(ServiceError.sender("InvalidBatchEntryId",
            "The Id of a batch entry in a batch request doesn't abide by the specification"));
      }
      if (!ids.add(id)) {
        throw new ServiceException(ServiceError.sender("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id"));
      }
      total += size(e.getValue("Message") instanceof String m ? m : "", e.getJsonObject("MessageAttributes"));
    }
    if (total > MAX_MESSAGE_BYTES) {
      throw new ServiceException(ServiceError.sender("BatchRequestTooLong",
          "The length of all the messages put together is more than the limit"));
    }
    int partition = Topics.partitionOf(topic.arn());
    Batch b = topics.store().batch();
    List<Accepted> accepted = new ArrayList<>();
    JsonArray failed = new JsonArray();
    for (Object o : list) {
      JsonObject e = (JsonObject) o;
      String id = e.getString("Id");
      try {
        accepted.add(accept(b, partition, topic, entry(id, e, topic), ctx));
      } catch (ServiceException ex) {
        failed.add(new JsonObject().put("Id", id).put("Code", ex.error().code()).put("Message", ex.error().message())
            .put("SenderFault", true));
      }
    }
    return topics.commit(partition, b).map(v -> {
      JsonArray successful = new JsonArray();
      for (Accepted a : accepted) {
        start(partition, topic, a);
        JsonObject s = new JsonObject().put("Id", a.id()).put("MessageId", a.messageId());
        if (a.sequenceNumber() != null) s.put("SequenceNumber", a.sequenceNumber());
        successful.add(s);
      }
      return new JsonObject().put("Successful", successful).put("Failed", failed);
    });
  }

  private void start(int partition, Topic topic, Accepted a) {
    if (a.notification() != null) deliveries.add(partition, a.notification(), a.subscriptions(), topic.fifo());
  }

  /** Adds the entry's outbox records to the batch, or finds it a duplicate. */
  private Accepted accept(Batch b, int partition, Topic topic, Entry e, RequestContext ctx) {
    long now = clock.millis();
    if (topic.fifo()) {
      Topics.DedupEntry earlier = topics.duplicate(topic.arnString(), e.deduplicationId(), now);
      if (earlier != null) {
        return new Accepted(e.id(), earlier.messageId(), String.format("%020d", earlier.seq()), null, Map.of());
      }
    }
    long seq = topics.nextSequence(partition);
    String messageId = Ids.uuid();
    Notification n = new Notification(seq, Notification.NOTIFICATION, messageId, topic.arnString(), e.subject(),
        e.message(), e.perProtocol(), e.attributes(), now, e.groupId(), e.deduplicationId(), ctx.baseUrl(), null, null);
    Map<String, Integer> matching = new LinkedHashMap<>();
    for (Subscription s : topic.subscriptions().values()) {
      if (!s.confirmed()) continue;
      if (s.filter() != null && !s.filter().matches(n.messageFor(s.protocol()), e.attributes())) continue;
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
        matching);
  }

  /** Validates one message as Publish (or a PublishBatch entry) gets it. */
  private Entry entry(String id, JsonObject in, Topic topic) {
    String message = Inputs.optional(in, "Message");
    if (message == null) throw TopicErrors.missing("Message");
    if (message.isEmpty()) throw TopicErrors.invalidParameter("Empty message");
    String subject = Inputs.optional(in, "Subject");
    if (subject != null) {
      if (subject.isEmpty() || subject.length() > 100 || !subject.chars().allMatch(c -> c >= 0x20 && c < 0x7F)
          || !Character.isLetterOrDigit(subject.charAt(0)) && !isPunctuation(subject.charAt(0))) {
        throw TopicErrors.invalidParameter("Subject");
      }
    }
    JsonObject attributes = attributes(in.getValue("MessageAttributes"));
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
    if (topic.fifo()) {
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

  /** Message attributes as SNS accepts them: a name, a DataType and a value of that type. */
  private static JsonObject attributes(Object raw) {
    if (raw == null) return null;
    if (!(raw instanceof JsonObject map)) throw TopicErrors.invalidParameter("MessageAttributes");
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : map) {
      String name = e.getKey();
      if (!ATTRIBUTE_NAME.matcher(name).matches() || name.startsWith("AWS.") || name.startsWith("Amazon.")
          || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
        throw TopicErrors.invalidParameter("MessageAttributes Reason: Invalid attribute name: " + name);
      }
      if (!(e.getValue() instanceof JsonObject v)) throw TopicErrors.invalidParameter("MessageAttributes");
      String type = v.getValue("DataType") instanceof String s ? s : null;
      if (type == null || type.isEmpty()) {
        throw TopicErrors.invalidParameterValue("The message attribute '" + name + "' must contain non-empty message attribute type.");
      }
      String base = type.contains(".") && !type.startsWith("String.Array") ? type.substring(0, type.indexOf('.')) : type;
      String stringValue = v.getValue("StringValue") instanceof String s ? s : null;
      String binaryValue = v.getValue("BinaryValue") instanceof String s ? s : null;
      switch (base) {
        case "String", "String.Array" -> {
          if (stringValue == null) {
            throw TopicErrors.invalidParameterValue("The message attribute '" + name + "' must contain non-empty message attribute value for message attribute type '" + type + "'.");
          }
          if (base.equals("String.Array")) {
            try {
              new JsonArray(stringValue);
            } catch (DecodeException | ClassCastException ex) {
              throw TopicErrors.invalidParameter("MessageAttributes Reason: Invalid value for message attribute " + name
                  + " of type String.Array");
            }
          }
        }
        case "Number" -> {
          if (stringValue == null) {
            throw TopicErrors.invalidParameterValue("The message attribute '" + name + "' must contain non-empty message attribute value for message attribute type '" + type + "'.");
          }
          try {
            new java.math.BigDecimal(stringValue.trim());
          } catch (NumberFormatException ex) {
            throw TopicErrors.invalidParameterValue("Could not cast message attribute '" + name + "' value to number.");
          }
        }
        case "Binary" -> {
          if (binaryValue == null) {
            throw TopicErrors.invalidParameterValue("The message attribute '" + name + "' must contain non-empty message attribute value for message attribute type '" + type + "'.");
          }
        }
        default -> throw TopicErrors.invalidParameterValue("The message attribute '" + name
            + "' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
      }
      JsonObject value = new JsonObject().put("DataType", type);
      if (binaryValue != null && base.equals("Binary")) value.put("BinaryValue", binaryValue);
      else value.put("StringValue", stringValue);
      out.put(name, value);
    }
    return out;
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
