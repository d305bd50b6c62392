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
import io.eventplane.common.bus.RequestContext;
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

/** Subscribe, ConfirmSubscription, Unsubscribe, subscription attributes and the listings by topic. */
final class SubscriptionOperations {
  static final int PAGE = 100;
  static final String PENDING = "pending confirmation";
  /** Protocols SNS knows; those without a channel here are refused as unsupported. */
  private static final Set<String> SNS_PROTOCOLS = Set.of("http", "https", "email", "email-json", "sms", "sqs",
      "application", "lambda", "firehose");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Topics topics;
  private final Deliveries deliveries;
  private final Clock clock;

  SubscriptionOperations(Topics topics, Deliveries deliveries, Clock clock) {
    this.topics = topics;
    this.deliveries = deliveries;
    this.clock = clock;
  }

  Future<JsonObject> subscribe(JsonObject in, RequestContext ctx) {
    String topicArn = Inputs.required(in, "TopicArn");
    String protocol = Inputs.required(in, "Protocol");
    String endpoint = Inputs.optional(in, "Endpoint");
    Map<String, String> attributes = Inputs.stringMap(in, "Attributes");
    boolean returnArn = Boolean.TRUE.equals(in.getValue("ReturnSubscriptionArn"));
    TopicOperations.parseArn(topicArn, "TopicArn");
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
      throw TopicErrors.invalidParameter(protocol.equals("sqs") ? "SQS endpoint ARN" : "Endpoint");
    }
    if (protocol.equals("sqs") && endpoint.endsWith(".fifo") && !topic.fifo()) {
      throw TopicErrors.invalidParameter("Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
    }
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      SubscriptionAttributes.validate(e.getKey(), e.getValue(), protocol, topic, attributes);
    }
    for (Subscription s : topic.subscriptions().values()) {
      if (s.protocol().equals(protocol) && s.endpoint().equals(endpoint)) {
        for (Map.Entry<String, String> e : attributes.entrySet()) {
          if (!e.getValue().equals(s.attributes().get(e.getKey()))) {
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
    Subscription sub = new Subscription(arn, topicArn, protocol, endpoint, ctx.accountId(), attributes, token, !confirm, false);
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

  Future<JsonObject> confirmSubscription(JsonObject in) {
    String topicArn = Inputs.required(in, "TopicArn");
    String token = Inputs.required(in, "Token");
    String authenticate = Inputs.optional(in, "AuthenticateOnUnsubscribe");
    TopicOperations.parseArn(topicArn, "TopicArn");
    Topic topic = topics.require(topicArn);
    for (Subscription s : topic.subscriptions().values()) {
      if (token.equals(s.token())) {
        if (s.confirmed()) return Future.succeededFuture(new JsonObject().put("SubscriptionArn", s.arn()));
        s.confirm("true".equalsIgnoreCase(authenticate));
        return topics.save(Topics.partitionOf(topic.arn()), topic)
            .map(v -> new JsonObject().put("SubscriptionArn", s.arn()));
      }
    }
    throw TopicErrors.invalidParameter("Token");
  }

  Future<JsonObject> unsubscribe(JsonObject in) {
    String arn = Inputs.required(in, "SubscriptionArn");
    Topic topic = topicOf(arn);
    Subscription sub = topic.subscriptions().remove(arn);
    if (sub == null) throw TopicErrors.subscriptionNotFound();
    topic.countDeletedSubscription();
    return topics.save(Topics.partitionOf(topic.arn()), topic).map(v -> new JsonObject());
  }

  Future<JsonObject> getSubscriptionAttributes(JsonObject in) {
    String arn = Inputs.required(in, "SubscriptionArn");
    Topic topic = topicOf(arn);
    Subscription sub = topic.subscriptions().get(arn);
    if (sub == null) throw TopicErrors.subscriptionNotFound();
    JsonObject attrs = new JsonObject();
    SubscriptionAttributes.describe(sub, topic).forEach(attrs::put);
    return Future.succeededFuture(new JsonObject().put("Attributes", attrs));
  }

  Future<JsonObject> setSubscriptionAttributes(JsonObject in) {
    String arn = Inputs.required(in, "SubscriptionArn");
    String name = Inputs.required(in, "AttributeName");
    String value = Inputs.optional(in, "AttributeValue");
    Topic topic = topicOf(arn);
    Subscription sub = topic.subscriptions().get(arn);
    if (sub == null) throw TopicErrors.subscriptionNotFound();
    Map<String, String> after = new LinkedHashMap<>(sub.attributes());
    after.put(name, value == null ? "" : value);
    SubscriptionAttributes.validate(name, value == null ? "" : value, sub.protocol(), topic, after);
    if (name.equals("FilterPolicyScope") && sub.attributes().containsKey("FilterPolicy")) {
      // The policy must make sense in its new scope too.
      SubscriptionAttributes.validate("FilterPolicy", sub.attributes().get("FilterPolicy"), sub.protocol(), topic, after);
    }
    sub.setAttribute(name, value == null || value.isEmpty() ? null : value);
    return topics.save(Topics.partitionOf(topic.arn()), topic).map(v -> new JsonObject());
  }

  Future<JsonObject> listSubscriptionsByTopic(JsonObject in) {
    String topicArn = Inputs.required(in, "TopicArn");
    String token = Inputs.optional(in, "NextToken");
    TopicOperations.parseArn(topicArn, "TopicArn");
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

  private Topic topicOf(String subscriptionArn) {
    TopicArn topicArn = TopicArn.ofSubscription(subscriptionArn);
    if (topicArn == null || subscriptionArn.equals(PENDING)) throw TopicErrors.invalidParameter("SubscriptionArn");
    Topic topic = topics.get(topicArn.toString());
    if (topic == null) throw TopicErrors.subscriptionNotFound();
    return topic;
  }

  private static String token() {
    byte[] bytes = new byte[64];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
