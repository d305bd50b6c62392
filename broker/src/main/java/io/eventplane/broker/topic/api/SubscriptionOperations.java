package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.delivery.Deliveries;
import io.eventplane.broker.topic.delivery.DeliveryChannel;
import io.eventplane.broker.topic.domain.Notification;
import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.SubscriptionAttributes;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.domain.TopicArn;
import io.eventplane.broker.topic.domain.TopicErrors;
import io.eventplane.broker.topic.domain.Topics;
import io.eventplane.broker.topic.domain.FilterPolicy;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Subscribe, ConfirmSubscription, Unsubscribe, subscription attributes and the listings by topic. */
final class SubscriptionOperations {
  static final int PAGE = 100;
  static final String PENDING = "pending confirmation";
  /** Protocols SNS knows; those without a channel here are refused as unsupported. */
  private static final Set<String> SNS_PROTOCOLS = Set.of("http", "https", "email", "email-json", "sms", "sqs",
      "application", "lambda", "firehose");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

  private final Topics topics;
  private final Deliveries deliveries;
  private final Clock clock;

  SubscriptionOperations(Topics topics, Deliveries deliveries, Clock clock) {
    this.topics = topics;
    this.deliveries = deliveries;
    this.clock = clock;
  }

  Future<JsonObject> subscribe(JsonObject in, RequestContext ctx) {
    String topicArn = Inputs.topicArn(in, "TopicArn", ctx).toString();
    String protocol = Inputs.required(in, "Protocol");
    String endpoint = Inputs.optional(in, "Endpoint");
    Map<String, String> attributes = Inputs.stringMap(in, "Attributes");
    boolean returnArn = Boolean.TRUE.equals(in.getValue("ReturnSubscriptionArn"));
    Topic topic = topics.require(topicArn);
    if (!SNS_PROTOCOLS.contains(protocol)) {
      throw TopicErrors.invalidParameter("Amazon SNS does not support this protocol string: " + protocol);
    }
    DeliveryChannel channel = deliveries.channel(protocol);
    if (channel == null) {
      throw TopicErrors.invalidParameter("Protocol Reason: Eventplane does not deliver to " + protocol + " endpoints");
    }
    if (topic.fifo() && !protocol.equals("sqs")) {
      throw TopicErrors.invalidParameter("Invalid protocol type: " + protocol);
    }
    if (endpoint == null || !channel.acceptsEndpoint(protocol, endpoint)) {
      if (protocol.equals("sms")) {
        throw new ServiceException(ServiceError.sender("InvalidParameter", "Invalid SMS endpoint: " + endpoint));
      }
      throw TopicErrors.invalidParameter(protocol.equals("sqs") ? "SQS endpoint ARN" : "Endpoint");
    }
    if (protocol.equals("sqs") && endpoint.endsWith(".fifo") && !topic.fifo()) {
      // SNS says "Invalid parameter" twice here.
      throw TopicErrors.invalidParameter("Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
    }
    Map<String, String> given = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      SubscriptionAttributes.validate(e.getKey(), e.getValue(), protocol, topic, attributes, SubscriptionAttributes.Via.SUBSCRIBE);
      given.put(e.getKey(), SubscriptionAttributes.normalize(e.getKey(), e.getValue()));
    }
    for (Subscription s : topic.subscriptions().values()) {
      if (s.protocol().equals(protocol) && s.endpoint().equals(endpoint)) {
        for (Map.Entry<String, String> e : given.entrySet()) {
          if (!e.getValue().equals(effective(s, e.getKey()))) {
            throw TopicErrors.invalidParameter("Attributes Reason: Subscription already exists with different attributes");
          }
        }
        return Future.succeededFuture(new JsonObject().put("SubscriptionArn",
            s.confirmed() || returnArn ? s.arn() : PENDING));
      }
    }
    boolean confirm = channel.needsConfirmation(protocol);
    String arn = topicArn + ":" + Ids.uuid();
    String token = confirm ? token() : null;
    Subscription sub = new Subscription(arn, topicArn, protocol, endpoint, ctx.accountId(), given, token, !confirm, false);
    // A deleted subscription of the same endpoint can no longer be restored once it subscribes anew.
    topic.deactivated().values().removeIf(d -> d.protocol().equals(protocol) && d.endpoint().equals(endpoint));
    topic.subscriptions().put(arn, sub);
    int partition = Topics.partitionOf(topic.arn());
    Batch b = topics.store().batch();
    topics.store().putTopic(b, partition, topic);
    Notification confirmation = null;
    if (confirm) {
      long seq = topics.nextSequence(partition);
      confirmation = new Notification(seq, Notification.SUBSCRIPTION_CONFIRMATION, Ids.uuid(), topicArn, null,
          "You have chosen to subscribe to the topic " + topicArn + ".\nTo confirm the subscription, visit the "
              + "SubscribeURL included in this message.", null, null, clock.millis(), null, null, ctx.baseUrl(), token, arn);
      topics.store().putNotification(b, partition, confirmation);
      topics.store().putDelivery(b, partition, seq, arn, 0);
      topics.store().putSequence(b, partition, seq);
    }
    Notification sent = confirmation;
    return topics.commit(partition, b).map(v -> {
      if (sent != null) deliveries.add(partition, sent, Map.of(arn, 0), false);
      return new JsonObject().put("SubscriptionArn", confirm && !returnArn ? PENDING : arn);
    });
  }

  /** An attribute's value as Subscribe's idempotency compares it: unset ones at their defaults. */
  private static String effective(Subscription s, String name) {
    String v = s.attributes().get(name);
    if (v != null) return v;
    return switch (name) {
      case "RawMessageDelivery" -> "false";
      case "FilterPolicyScope" -> FilterPolicy.MESSAGE_ATTRIBUTES;
      default -> "";
    };
  }

  /**
   * ConfirmSubscription. SNS words its refusals here otherwise than elsewhere: a TopicArn that is
   * no topic ARN is "Invalid parameter: Topic", a token that is not SNS's hex form is
   * "Invalid token", and a well-formed token that confirms nothing (whatever the topic) is
   * "Invalid parameter: Token".
   */
  Future<JsonObject> confirmSubscription(JsonObject in, RequestContext ctx) {
    Object rawTopic = in.getValue("TopicArn");
    if (rawTopic == null) throw TopicErrors.noValue("TopicArn");
    TopicArn parsed = rawTopic instanceof String t ? TopicArn.parse(t) : null;
    if (parsed == null) throw TopicErrors.invalidParameter("Topic");
    // A topic of another region, as SNS refuses it everywhere; an unsigned SubscribeURL's call takes
    // the region of its TopicArn in the gateway (SNS's regional host), so it passes.
    if (!parsed.region().equals(ctx.region())) throw TopicErrors.invalidParameter("TopicArn");
    String token = Inputs.required(in, "Token");
    String authenticate = Inputs.optional(in, "AuthenticateOnUnsubscribe");
    if (!HEX.matcher(token).matches()) {
      throw new ServiceException(ServiceError.sender("InvalidParameter", "Invalid token"));
    }
    Topic topic = topics.get(parsed.toString());
    if (topic == null) throw TopicErrors.invalidParameter("Token");
    for (Subscription s : topic.subscriptions().values()) {
      if (token.equals(s.token())) {
        if (s.confirmed()) return Future.succeededFuture(new JsonObject().put("SubscriptionArn", s.arn()));
        s.confirm("true".equalsIgnoreCase(authenticate));
        return topics.save(Topics.partitionOf(topic.arn()), topic)
            .map(v -> new JsonObject().put("SubscriptionArn", s.arn()));
      }
    }
    for (Subscription s : topic.deactivated().values()) {
      if (token.equals(s.token())) {
        // The UnsubscribeConfirmation's SubscribeURL: the subscription comes back as it was.
        topic.deactivated().remove(s.arn());
        s.confirm("true".equalsIgnoreCase(authenticate) || s.authenticated());
        topic.subscriptions().put(s.arn(), s);
        return topics.save(Topics.partitionOf(topic.arn()), topic)
            .map(v -> new JsonObject().put("SubscriptionArn", s.arn()));
      }
    }
    throw TopicErrors.invalidParameter("Token");
  }

  /**
   * Unsubscribe succeeds for a subscription that is already gone, as in SNS (it is idempotent).
   * A confirmed HTTP/S endpoint is told, as SNS tells it: an UnsubscribeConfirmation, signed like
   * a SubscriptionConfirmation, whose SubscribeURL (a new token) restores the subscription. It is
   * written to the outbox in the batch that deletes the subscription.
   */
  Future<JsonObject> unsubscribe(JsonObject in, RequestContext ctx) {
    // Another region's subscription is refused as GetSubscriptionAttributes refuses it; an unsigned
    // UnsubscribeURL's call takes the region of its SubscriptionArn in the gateway, so it passes.
    TopicArn topicArn = Inputs.subscriptionTopic(in, ctx);
    String arn = in.getString("SubscriptionArn");
    Topic topic = topics.get(topicArn.toString());
    Subscription sub = topic == null ? null : topic.subscriptions().remove(arn);
    if (sub == null) return Future.succeededFuture(new JsonObject());
    topic.countDeletedSubscription();
    int partition = Topics.partitionOf(topic.arn());
    Batch b = topics.store().batch();
    Notification notice = null;
    if (sub.confirmed() && sub.protocol().startsWith("http")) {
      String token = token();
      sub.reissue(token);
      topic.deactivate(sub);
      long seq = topics.nextSequence(partition);
      notice = new Notification(seq, Notification.UNSUBSCRIBE_CONFIRMATION, Ids.uuid(), sub.topicArn(), null,
          "You have chosen to deactivate subscription " + arn + ".\nTo cancel this operation and restore the "
              + "subscription, visit the SubscribeURL included in this message.", null, null, clock.millis(), null, null,
          ctx.baseUrl(), token, arn);
      topics.store().putNotification(b, partition, notice);
      topics.store().putDelivery(b, partition, seq, arn, 0);
      topics.store().putSequence(b, partition, seq);
    }
    topics.store().putTopic(b, partition, topic);
    Notification sent = notice;
    return topics.commit(partition, b).map(v -> {
      if (sent != null) deliveries.add(partition, sent, Map.of(arn, 0), false);
      return new JsonObject();
    });
  }

  Future<JsonObject> getSubscriptionAttributes(JsonObject in, RequestContext ctx) {
    Subscription sub = existing(in, ctx);
    Topic topic = topics.get(sub.topicArn());
    JsonObject attrs = new JsonObject();
    SubscriptionAttributes.describe(sub, topic).forEach(attrs::put);
    return Future.succeededFuture(new JsonObject().put("Attributes", attrs));
  }

  Future<JsonObject> setSubscriptionAttributes(JsonObject in, RequestContext ctx) {
    Subscription sub = existing(in, ctx);
    Topic topic = topics.get(sub.topicArn());
    String name = Inputs.required(in, "AttributeName");
    String value = Inputs.optional(in, "AttributeValue");
    Map<String, String> after = new LinkedHashMap<>(sub.attributes());
    after.put(name, value == null ? "" : value);
    SubscriptionAttributes.validate(name, value == null ? "" : value, sub.protocol(), topic, after,
        SubscriptionAttributes.Via.SET);
    if (name.equals("FilterPolicyScope") && sub.attributes().containsKey("FilterPolicy")) {
      // The policy must make sense in its new scope too.
      SubscriptionAttributes.validate("FilterPolicy", sub.attributes().get("FilterPolicy"), sub.protocol(), topic, after,
          SubscriptionAttributes.Via.SET);
    }
    sub.setAttribute(name, value == null || value.isEmpty() ? null : SubscriptionAttributes.normalize(name, value));
    return topics.save(Topics.partitionOf(topic.arn()), topic).map(v -> new JsonObject());
  }

  /** The subscription a SubscriptionArn member names, or NotFound. */
  private Subscription existing(JsonObject in, RequestContext ctx) {
    TopicArn topicArn = Inputs.subscriptionTopic(in, ctx);
    Topic topic = topics.get(topicArn.toString());
    Subscription sub = topic == null ? null : topic.subscriptions().get(in.getString("SubscriptionArn"));
    if (sub == null) throw TopicErrors.subscriptionNotFound();
    return sub;
  }

  Future<JsonObject> listSubscriptionsByTopic(JsonObject in, RequestContext ctx) {
    String topicArn = Inputs.topicArn(in, "TopicArn", ctx).toString();
    String token = Inputs.optional(in, "NextToken");
    Topic topic = topics.require(topicArn);
    List<Subscription> subs = List.copyOf(topic.subscriptions().values());
    int from = 0;
    if (token != null) {
      from = -1;
      for (int i = 0; i < subs.size(); i++) if (subs.get(i).arn().equals(PageTokens.decode(token))) from = i + 1;
      if (from < 0) throw TopicErrors.invalidParameter("NextToken");
    }
    JsonArray page = new JsonArray();
    for (int i = from; i < subs.size() && page.size() < PAGE; i++) page.add(summary(subs.get(i)));
    JsonObject out = new JsonObject().put("Subscriptions", page);
    if (from + page.size() < subs.size()) out.put("NextToken", PageTokens.encode(subs.get(from + page.size() - 1).arn()));
    return Future.succeededFuture(out);
  }

  /** ListSubscriptions' share of this node: every subscription of the account's topics held here. */
  JsonArray subscriptionsOf(String account, String region) {
    JsonArray out = new JsonArray();
    for (Topic t : topics.all()) {
      if (!t.accountId().equals(account) || !t.arn().region().equals(region)) continue;
      for (Subscription s : t.subscriptions().values()) out.add(summary(s));
    }
    return out;
  }

  static JsonObject summary(Subscription s) {
    return new JsonObject().put("SubscriptionArn", s.confirmed() ? s.arn() : "PendingConfirmation")
        .put("Owner", s.owner()).put("Protocol", s.protocol()).put("Endpoint", s.endpoint()).put("TopicArn", s.topicArn());
  }

  private static String token() {
    byte[] bytes = new byte[64];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
