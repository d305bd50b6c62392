package io.eventplane.server.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Filter policies, both scopes: a table of policies, each subscribed with a queue of its own,
 * and a table of messages; every queue must receive exactly the messages its policy matches.
 */
class FilterPolicyTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private record Msg(String id, String body, Map<String, MessageAttributeValue> attributes) {}

  private static MessageAttributeValue s(String v) {
    return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
  }

  private static MessageAttributeValue n(String v) {
    return MessageAttributeValue.builder().dataType("Number").stringValue(v).build();
  }

  private static MessageAttributeValue arr(String v) {
    return MessageAttributeValue.builder().dataType("String.Array").stringValue(v).build();
  }

  private static final List<Msg> MESSAGES = List.of(
      new Msg("m1", "{\"order\":{\"store\":\"berlin\",\"total\":120},\"source\":\"10.0.1.7\"}",
          Map.of("store", s("berlin"), "price", n("120"), "tags", arr("[\"vip\",\"new\"]"), "ip", s("10.0.1.7"))),
      new Msg("m2", "{\"order\":{\"store\":\"Paris\",\"total\":15},\"source\":\"192.168.3.1\"}",
          Map.of("store", s("Paris"), "price", n("15"), "ip", s("192.168.3.1"))),
      new Msg("m3", "{\"order\":{\"store\":\"berlin-east\",\"total\":300}}",
          Map.of("store", s("berlin-east"), "price", n("300"), "tags", arr("[\"old\"]"))),
      new Msg("m4", "not json at all", Map.of("kind", s("plain"))));

  /** policy, scope, the messages it must pass. */
  private static final Object[][] POLICIES = {
      {"{\"store\":[\"berlin\"]}", "MessageAttributes", List.of("m1")},
      {"{\"store\":[{\"prefix\":\"berlin\"}]}", "MessageAttributes", List.of("m1", "m3")},
      {"{\"store\":[{\"suffix\":\"-east\"}]}", "MessageAttributes", List.of("m3")},
      {"{\"store\":[{\"anything-but\":[\"berlin\"]}]}", "MessageAttributes", List.of("m2", "m3")},
      {"{\"store\":[{\"equals-ignore-case\":\"paris\"}]}", "MessageAttributes", List.of("m2")},
      {"{\"price\":[{\"numeric\":[\">=\",100,\"<\",200]}]}", "MessageAttributes", List.of("m1")},
      {"{\"tags\":[\"vip\"]}", "MessageAttributes", List.of("m1")},
      {"{\"tags\":[{\"exists\":false}]}", "MessageAttributes", List.of("m2", "m4")},
      {"{\"ip\":[{\"cidr\":\"10.0.0.0/16\"}]}", "MessageAttributes", List.of("m1")},
      {"{\"$or\":[{\"store\":[\"Paris\"]},{\"price\":[{\"numeric\":[\">\",200]}]}]}", "MessageAttributes", List.of("m2", "m3")},
      {"{\"order\":{\"store\":[\"berlin\"]}}", "MessageBody", List.of("m1")},
      {"{\"order\":{\"total\":[{\"numeric\":[\"<\",100]}]}}", "MessageBody", List.of("m2")},
      {"{\"source\":[{\"cidr\":\"192.168.0.0/16\"}]}", "MessageBody", List.of("m2")},
      {"{\"order\":{\"store\":[{\"anything-but\":{\"prefix\":\"berlin\"}}]}}", "MessageBody", List.of("m2")},
  };

  @Test
  void eachQueueGetsExactlyTheMessagesItsPolicyMatches() {
    var sns = server.sns();
    var sqs = server.sqs();
    String topic = sns.createTopic(b -> b.name("filtered")).topicArn();
    List<String> queues = new ArrayList<>();
    for (int i = 0; i < POLICIES.length; i++) {
      int k = i;
      String url = sqs.createQueue(b -> b.queueName("f" + k)).queueUrl();
      queues.add(url);
      sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(FanOutTest.queueArn(sqs, url)).attributes(Map.of(
          "RawMessageDelivery", "true", "FilterPolicy", (String) POLICIES[k][0], "FilterPolicyScope", (String) POLICIES[k][1])));
    }
    String everything = sqs.createQueue(b -> b.queueName("everything")).queueUrl();
    sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(FanOutTest.queueArn(sqs, everything))
        .attributes(Map.of("RawMessageDelivery", "true")));
    for (Msg m : MESSAGES) {
      sns.publish(b -> b.topicArn(topic).message(m.body()).messageAttributes(m.attributes()));
    }
    // Once the unfiltered queue has all four, every filtered delivery has been decided too (one outbox per publish).
    FanOutTest.receiveAll(sqs, everything, MESSAGES.size());
    Map<String, String> idByBody = new LinkedHashMap<>();
    for (Msg m : MESSAGES) idByBody.put(m.body(), m.id());
    for (int i = 0; i < POLICIES.length; i++) {
      String url = queues.get(i);
      @SuppressWarnings("unchecked") List<String> expected = (List<String>) POLICIES[i][2];
      List<String> got = new ArrayList<>();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
        for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()) {
          got.add(idByBody.get(m.body()));
          sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
        return got.size() >= expected.size();
      });
      assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()).isEmpty();
      assertThat(got).as("policy %s (%s)", POLICIES[i][0], POLICIES[i][1]).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void badPoliciesAreRefusedWithInvalidParameter() {
    var sns = server.sns();
    String topic = sns.createTopic(b -> b.name("strict")).topicArn();
    String queue = "arn:aws:sqs:us-east-1:000000000000:strict-q";
    for (String bad : List.of("{not json", "{\"a\":\"not-a-list\"}", "{\"a\":[{\"numeric\":[\"<\"]}]}",
        "{\"a\":[{\"unknown-operator\":1}]}", "{\"a\":[1],\"b\":[1],\"c\":[1],\"d\":[1],\"e\":[1],\"f\":[1]}")) {
      assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue)
          .attributes(Map.of("FilterPolicy", bad))))
          .as(bad).isInstanceOf(InvalidParameterException.class)
          .satisfies(e -> assertThat(((InvalidParameterException) e).statusCode()).isEqualTo(400));
    }
    // Nested keys only make sense against the body.
    assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue)
        .attributes(Map.of("FilterPolicy", "{\"order\":{\"store\":[\"x\"]}}"))))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue)
        .attributes(Map.of("FilterPolicyScope", "Body"))))
        .isInstanceOf(InvalidParameterException.class);
    String sub = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queue)).subscriptionArn();
    assertThatThrownBy(() -> sns.setSubscriptionAttributes(b -> b.subscriptionArn(sub).attributeName("FilterPolicy")
        .attributeValue("[1,2]"))).isInstanceOf(InvalidParameterException.class);
    sns.setSubscriptionAttributes(b -> b.subscriptionArn(sub).attributeName("FilterPolicy").attributeValue("{\"a\":[\"b\"]}"));
    assertThat(sns.getSubscriptionAttributes(b -> b.subscriptionArn(sub)).attributes())
        .containsEntry("FilterPolicy", "{\"a\":[\"b\"]}").containsEntry("FilterPolicyScope", "MessageAttributes");
  }
}
