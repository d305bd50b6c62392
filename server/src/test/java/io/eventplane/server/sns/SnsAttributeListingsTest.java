package io.eventplane.server.sns;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * GetSubscriptionAttributes and GetTopicAttributes list exactly the keys, and the values, AWS
 * lists (LocalStack's snapshots recorded against AWS: test_sns.snapshot.json,
 * test_sns_filter_policy.snapshot.json). Each row is a subscription or topic set up one way and
 * the whole attribute map it must answer with.
 */
class SnsAttributeListingsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String ACCOUNT = "000000000000";
  private static final String PRINCIPAL = "arn:aws:iam::" + ACCOUNT + ":root";
  private static final String DEFAULT_TOPIC_EFFECTIVE = "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":20,"
      + "\"maxDelayTarget\":20,\"numRetries\":3,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,"
      + "\"backoffFunction\":\"linear\"},\"disableSubscriptionOverrides\":false,"
      + "\"defaultRequestPolicy\":{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}";

  private SnsClient sns() {
    return server.sns();
  }

  private static String queue(String name) {
    return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + name;
  }

  private Map<String, String> subscriptionAttributes(String arn) {
    return new TreeMap<>(sns().getSubscriptionAttributes(b -> b.subscriptionArn(arn)).attributes());
  }

  /** The attributes every subscription lists, for an SQS endpoint that needed no confirmation. */
  private static Map<String, String> confirmedSqs(String topic, String sub, String endpoint, String raw) {
    Map<String, String> m = new TreeMap<>();
    m.put("ConfirmationWasAuthenticated", "true");
    m.put("Endpoint", endpoint);
    m.put("Owner", ACCOUNT);
    m.put("PendingConfirmation", "false");
    m.put("Protocol", "sqs");
    m.put("RawMessageDelivery", raw);
    m.put("SubscriptionArn", sub);
    m.put("SubscriptionPrincipal", PRINCIPAL);
    m.put("TopicArn", topic);
    return m;
  }

  private static Map<String, String> with(Map<String, String> base, String... pairs) {
    Map<String, String> m = new TreeMap<>(base);
    for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
    return m;
  }

  @Test
  void subscriptionsListWhatAwsLists() {
    String topic = sns().createTopic(b -> b.name("listed")).topicArn();
    String policy = "{\"attr1\":[{\"numeric\":[\">\",0,\"<=\",100]}]}";
    Map<String, Map<String, String>> subscribed = new LinkedHashMap<>();

    // Plain SQS subscription: no FilterPolicy keys, RawMessageDelivery listed as false.
    String plain = sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue("plain"))).subscriptionArn();
    subscribed.put(plain, confirmedSqs(topic, plain, queue("plain"), "false"));

    // Raw delivery in odd case, a scope and an empty policy: lower-cased, and no FilterPolicy keys at all.
    String raw = sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue("raw")).returnSubscriptionArn(true)
        .attributes(Map.of("RawMessageDelivery", "TrUe", "FilterPolicyScope", "MessageBody", "FilterPolicy", ""))).subscriptionArn();
    subscribed.put(raw, confirmedSqs(topic, raw, queue("raw"), "true"));

    // A filter policy brings its scope, the default one when none was set.
    String filtered = sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue("filtered"))
        .attributes(Map.of("FilterPolicy", policy))).subscriptionArn();
    subscribed.put(filtered, with(confirmedSqs(topic, filtered, queue("filtered"), "false"),
        "FilterPolicy", policy, "FilterPolicyScope", "MessageAttributes"));

    // A redrive policy is listed once set.
    String redrive = "{\"deadLetterTargetArn\":\"" + queue("dlq") + "\"}";
    String redriven = sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue("redriven"))
        .attributes(Map.of("RedrivePolicy", redrive))).subscriptionArn();
    subscribed.put(redriven, with(confirmedSqs(topic, redriven, queue("redriven"), "false"), "RedrivePolicy", redrive));

    for (Map.Entry<String, Map<String, String>> e : subscribed.entrySet()) {
      assertThat(subscriptionAttributes(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }

    // Setting the scope alone lists nothing new; removing the policy removes both keys.
    sns().setSubscriptionAttributes(b -> b.subscriptionArn(plain).attributeName("FilterPolicyScope").attributeValue("MessageBody"));
    assertThat(subscriptionAttributes(plain)).isEqualTo(subscribed.get(plain));
    sns().setSubscriptionAttributes(b -> b.subscriptionArn(plain).attributeName("FilterPolicy").attributeValue("{\"attr\":[\"match-this\"]}"));
    assertThat(subscriptionAttributes(plain)).isEqualTo(with(subscribed.get(plain),
        "FilterPolicy", "{\"attr\":[\"match-this\"]}", "FilterPolicyScope", "MessageBody"));
    sns().setSubscriptionAttributes(b -> b.subscriptionArn(filtered).attributeName("FilterPolicy").attributeValue(""));
    assertThat(subscriptionAttributes(filtered)).isEqualTo(confirmedSqs(topic, filtered, queue("filtered"), "false"));
    sns().setSubscriptionAttributes(b -> b.subscriptionArn(raw).attributeName("RawMessageDelivery").attributeValue("FALSE"));
    assertThat(subscriptionAttributes(raw)).containsEntry("RawMessageDelivery", "false");
  }

  @Test
  void anHttpSubscriptionWaitingForConfirmationListsItsEffectivePolicy() {
    String topic = sns().createTopic(b -> b.name("web")).topicArn();
    String sub = sns().subscribe(b -> b.topicArn(topic).protocol("http").endpoint("http://127.0.0.1:9/sns-endpoint")
        .returnSubscriptionArn(true)).subscriptionArn();
    String delivery = "{\"healthyRetryPolicy\":{\"minDelayTarget\":1,\"maxDelayTarget\":1,\"numRetries\":0,"
        + "\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,\"numMaxDelayRetries\":0,\"backoffFunction\":\"linear\"},"
        + "\"sicklyRetryPolicy\":null,\"throttlePolicy\":{\"maxReceivesPerSecond\":1000},\"guaranteed\":false}";
    sns().setSubscriptionAttributes(b -> b.subscriptionArn(sub).attributeName("DeliveryPolicy").attributeValue(delivery));
    sns().setTopicAttributes(b -> b.topicArn(topic).attributeName("DeliveryPolicy")
        .attributeValue("{\"http\":{\"defaultRequestPolicy\":{\"headerContentType\":\"application/json\"}}}"));
    Map<String, String> attrs = subscriptionAttributes(sub);
    assertThat(attrs.keySet()).containsExactly("ConfirmationWasAuthenticated", "DeliveryPolicy", "EffectiveDeliveryPolicy",
        "Endpoint", "Owner", "PendingConfirmation", "Protocol", "RawMessageDelivery", "SubscriptionArn",
        "SubscriptionPrincipal", "TopicArn");
    assertThat(attrs).containsEntry("ConfirmationWasAuthenticated", "false").containsEntry("PendingConfirmation", "true")
        .containsEntry("RawMessageDelivery", "false").containsEntry("SubscriptionPrincipal", PRINCIPAL);
    assertThat(new JsonObject(attrs.get("DeliveryPolicy"))).isEqualTo(new JsonObject("{\"healthyRetryPolicy\":{\"minDelayTarget\":1,"
        + "\"maxDelayTarget\":1,\"numRetries\":0,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,"
        + "\"backoffFunction\":\"linear\"},\"sicklyRetryPolicy\":null,\"throttlePolicy\":{\"maxReceivesPerSecond\":1000},"
        + "\"requestPolicy\":null,\"guaranteed\":false}"));
    assertThat(new JsonObject(attrs.get("EffectiveDeliveryPolicy"))).isEqualTo(new JsonObject("{\"healthyRetryPolicy\":{\"minDelayTarget\":1,"
        + "\"maxDelayTarget\":1,\"numRetries\":0,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,"
        + "\"backoffFunction\":\"linear\"},\"sicklyRetryPolicy\":null,\"throttlePolicy\":{\"maxReceivesPerSecond\":1000},"
        + "\"requestPolicy\":{\"headerContentType\":\"application/json\"},\"guaranteed\":false}"));
  }

  @Test
  void topicsListWhatAwsLists() {
    String standard = sns().createTopic(b -> b.name("plain-topic").attributes(Map.of("FifoTopic", "false"))).topicArn();
    Map<String, String> attrs = sns().getTopicAttributes(b -> b.topicArn(standard)).attributes();
    assertThat(new TreeMap<>(attrs).keySet()).containsExactly("DisplayName", "EffectiveDeliveryPolicy", "Owner", "Policy",
        "SubscriptionsConfirmed", "SubscriptionsDeleted", "SubscriptionsPending", "TopicArn");
    assertThat(attrs.get("EffectiveDeliveryPolicy")).isEqualTo(DEFAULT_TOPIC_EFFECTIVE);

    String fifo = sns().createTopic(b -> b.name("listed.fifo")
        .attributes(Map.of("FifoTopic", "true", "DisplayName", "TestTopic", "SignatureVersion", "2"))).topicArn();
    assertThat(new TreeMap<>(sns().getTopicAttributes(b -> b.topicArn(fifo)).attributes()).keySet()).containsExactly(
        "ContentBasedDeduplication", "DisplayName", "EffectiveDeliveryPolicy", "FifoTopic", "Owner", "Policy",
        "SignatureVersion", "SubscriptionsConfirmed", "SubscriptionsDeleted", "SubscriptionsPending", "TopicArn");

    // A topic's DeliveryPolicy is listed back with disableSubscriptionOverrides, and the effective
    // policy fills in what it leaves out (test_topic_delivery_policy_crud).
    String[][] rows = {
        {"{\"http\":{\"defaultRequestPolicy\":{\"headerContentType\":\"application/json\"}}}",
            "{\"http\":{\"disableSubscriptionOverrides\":false,\"defaultRequestPolicy\":{\"headerContentType\":\"application/json\"}}}",
            DEFAULT_TOPIC_EFFECTIVE.replace("text/plain; charset=UTF-8", "application/json")},
        {"{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":5,\"maxDelayTarget\":6,\"numRetries\":1}}}",
            "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":5,\"maxDelayTarget\":6,\"numRetries\":1},"
                + "\"disableSubscriptionOverrides\":false}}",
            DEFAULT_TOPIC_EFFECTIVE.replace("\"minDelayTarget\":20,\"maxDelayTarget\":20,\"numRetries\":3",
                "\"minDelayTarget\":5,\"maxDelayTarget\":6,\"numRetries\":1")},
        {"{\"http\":{\"defaultHealthyRetryPolicy\":null}}", "{\"http\":{\"disableSubscriptionOverrides\":false}}",
            DEFAULT_TOPIC_EFFECTIVE},
        {"", null, DEFAULT_TOPIC_EFFECTIVE}};
    for (String[] row : rows) {
      sns().setTopicAttributes(b -> b.topicArn(fifo).attributeName("DeliveryPolicy").attributeValue(row[0]));
      Map<String, String> after = sns().getTopicAttributes(b -> b.topicArn(fifo)).attributes();
      assertThat(after.get("DeliveryPolicy")).as(row[0]).isEqualTo(row[1]);
      assertThat(after.get("EffectiveDeliveryPolicy")).as(row[0]).isEqualTo(row[2]);
    }
  }

  /** An SMS subscription needs no confirmation and lists as AWS lists it (test_subscribe_sms_endpoint). */
  @Test
  void smsSubscriptionsAreAcceptedAndListed() {
    String topic = sns().createTopic(b -> b.name("texts")).topicArn();
    String sub = sns().subscribe(b -> b.topicArn(topic).protocol("sms").endpoint("+123123123")).subscriptionArn();
    assertThat(sub).startsWith(topic + ":");
    Map<String, String> expected = new TreeMap<>(confirmedSqs(topic, sub, "+123123123", "false"));
    expected.put("Protocol", "sms");
    assertThat(subscriptionAttributes(sub)).isEqualTo(expected);
    assertThat(sns().subscribe(b -> b.topicArn(topic).protocol("sms").endpoint("+12/34-567.890")).subscriptionArn())
        .startsWith(topic + ":");
    assertThat(sns().publish(b -> b.topicArn(topic).message("recorded, not sent")).messageId()).isNotBlank();
    assertThat(sns().publish(b -> b.phoneNumber("+15551234567").message("direct")).messageId()).isNotBlank();
  }
}
