package io.eventplane.server.sns;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Numbers and booleans in filter policies as SNS documents them ("Numeric value matching",
 * "Filter policy constraints"): numbers compare to five digits after the decimal point and in any
 * notation (301.5 is 3.015e2); a String.Array attribute holds numbers, booleans and null that a
 * policy matches as such; a message body's booleans match {@code true}/{@code false}.
 */
class FilterPolicyNumbersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private record Msg(String id, String body, Map<String, MessageAttributeValue> attributes) {}

  private static MessageAttributeValue attr(String type, String v) {
    return MessageAttributeValue.builder().dataType(type).stringValue(v).build();
  }

  private static final List<Msg> MESSAGES = List.of(
      new Msg("n1", "{\"price\":1.000002,\"flag\":true}", Map.of("price", attr("Number", "1.000002"),
          "list", attr("String.Array", "[1, 2.5, \"x\", true]"))),
      new Msg("n2", "{\"price\":1.00002,\"flag\":false}", Map.of("price", attr("Number", "1.00002"),
          "list", attr("String.Array", "[3]"))),
      new Msg("n3", "{\"price\":301.5}", Map.of("price", attr("Number", "3.015e2"),
          "list", attr("String.Array", "[false, null]"))));

  /** policy, scope, the messages it must pass. */
  private static final Object[][] POLICIES = {
      {"{\"price\":[{\"numeric\":[\"=\",1.000001]}]}", "MessageAttributes", List.of("n1")},
      {"{\"price\":[{\"numeric\":[\">\",1.00001]}]}", "MessageAttributes", List.of("n2", "n3")},
      {"{\"price\":[{\"numeric\":[\"=\",301.5]}]}", "MessageAttributes", List.of("n3")},
      {"{\"list\":[{\"numeric\":[\">\",2]}]}", "MessageAttributes", List.of("n1", "n2")},
      {"{\"list\":[2.5]}", "MessageAttributes", List.of("n1")},
      {"{\"list\":[true]}", "MessageAttributes", List.of("n1")},
      {"{\"list\":[false]}", "MessageAttributes", List.of("n3")},
      {"{\"price\":[{\"numeric\":[\"=\",1.000001]}]}", "MessageBody", List.of("n1")},
      {"{\"flag\":[true]}", "MessageBody", List.of("n1")},
      {"{\"flag\":[false]}", "MessageBody", List.of("n2")},
  };

  @Test
  void numbersAndBooleansMatchAsSnsDocumentsThem() {
    var sns = server.sns();
    var sqs = server.sqs();
    String topic = sns.createTopic(b -> b.name("numbers")).topicArn();
    List<String> queues = new ArrayList<>();
    for (int i = 0; i < POLICIES.length; i++) {
      int k = i;
      String url = sqs.createQueue(b -> b.queueName("n" + k)).queueUrl();
      queues.add(url);
      sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(FanOutTest.queueArn(sqs, url)).attributes(Map.of(
          "RawMessageDelivery", "true", "FilterPolicy", (String) POLICIES[k][0], "FilterPolicyScope", (String) POLICIES[k][1])));
    }
    String everything = sqs.createQueue(b -> b.queueName("all-numbers")).queueUrl();
    sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(FanOutTest.queueArn(sqs, everything))
        .attributes(Map.of("RawMessageDelivery", "true")));
    for (Msg m : MESSAGES) sns.publish(b -> b.topicArn(topic).message(m.body()).messageAttributes(m.attributes()));
    // Once the unfiltered queue has them all, every filtered delivery has been decided (one outbox per publish).
    FanOutTest.receiveAll(sqs, everything, MESSAGES.size());
    Map<String, String> idByBody = new LinkedHashMap<>();
    for (Msg m : MESSAGES) idByBody.put(m.body(), m.id());
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < POLICIES.length; i++) {
      String url = queues.get(i);
      @SuppressWarnings("unchecked") List<String> expected = (List<String>) POLICIES[i][2];
      List<String> got = new ArrayList<>();
      try {
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(200)).until(() -> {
          for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()) {
            got.add(idByBody.get(m.body()));
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
          }
          return got.size() >= expected.size();
        });
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // Fewer than expected: the assertion below says which.
      }
      soft.assertThat(got).as("policy %s (%s)", POLICIES[i][0], POLICIES[i][1]).containsExactlyInAnyOrderElementsOf(expected);
    }
    soft.assertAll();
  }
}
