package io.eventplane.server.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.ListTopicsResponse;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.Tag;
import software.amazon.awssdk.services.sns.model.Topic;

/** Every topic and subscription operation through the SDK, and the errors SNS gives for bad input. */
class TopicLifecycleTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:some-queue";

  private SnsClient sns() {
    return server.sns();
  }

  @Test
  void createIsIdempotentAndRefusesDifferentAttributes() {
    String arn = sns().createTopic(b -> b.name("t").attributes(Map.of("DisplayName", "Tee"))).topicArn();
    assertThat(arn).isEqualTo("arn:aws:sns:us-east-1:000000000000:t");
    assertThat(sns().createTopic(b -> b.name("t").attributes(Map.of("DisplayName", "Tee"))).topicArn()).isEqualTo(arn);
    assertThatThrownBy(() -> sns().createTopic(b -> b.name("t").attributes(Map.of("DisplayName", "Other"))))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("already exists with different attributes");
  }

  @Test
  void listTopicsPagesByHundred() {
    for (int i = 0; i < 105; i++) {
      int n = i;
      sns().createTopic(b -> b.name(String.format("page-%03d", n)));
    }
    ListTopicsResponse first = sns().listTopics();
    assertThat(first.topics()).hasSize(100);
    assertThat(first.nextToken()).isNotNull();
    ListTopicsResponse second = sns().listTopics(b -> b.nextToken(first.nextToken()));
    assertThat(second.topics()).hasSize(5);
    assertThat(second.nextToken()).isNull();
    List<String> all = new ArrayList<>();
    sns().listTopicsPaginator().topics().forEach(t -> all.add(t.topicArn()));
    assertThat(all).hasSize(105).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void topicAttributesAreReadAndWritten() {
    String arn = sns().createTopic(b -> b.name("attrs")).topicArn();
    Map<String, String> attrs = sns().getTopicAttributes(b -> b.topicArn(arn)).attributes();
    assertThat(attrs).containsEntry("TopicArn", arn).containsEntry("Owner", "000000000000")
        .containsEntry("SubscriptionsConfirmed", "0").containsEntry("SubscriptionsPending", "0")
        .containsEntry("SubscriptionsDeleted", "0").containsEntry("DisplayName", "")
        .containsKeys("Policy", "EffectiveDeliveryPolicy").doesNotContainKey("FifoTopic");
    sns().setTopicAttributes(b -> b.topicArn(arn).attributeName("DisplayName").attributeValue("Orders"));
    sns().setTopicAttributes(b -> b.topicArn(arn).attributeName("SignatureVersion").attributeValue("2"));
    String policy = "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":1,\"maxDelayTarget\":5,\"numRetries\":4}}}";
    sns().setTopicAttributes(b -> b.topicArn(arn).attributeName("DeliveryPolicy").attributeValue(policy));
    assertThat(sns().getTopicAttributes(b -> b.topicArn(arn)).attributes())
        .containsEntry("DisplayName", "Orders").containsEntry("SignatureVersion", "2")
        // As SNS lists them: the policy with disableSubscriptionOverrides, the effective one filled in.
        .containsEntry("DeliveryPolicy", "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":1,\"maxDelayTarget\":5,"
            + "\"numRetries\":4},\"disableSubscriptionOverrides\":false}}")
        .containsEntry("EffectiveDeliveryPolicy", "{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":1,"
            + "\"maxDelayTarget\":5,\"numRetries\":4,\"numMaxDelayRetries\":0,\"numNoDelayRetries\":0,\"numMinDelayRetries\":0,"
            + "\"backoffFunction\":\"linear\"},\"disableSubscriptionOverrides\":false,"
            + "\"defaultRequestPolicy\":{\"headerContentType\":\"text/plain; charset=UTF-8\"}}}");
    assertThatThrownBy(() -> sns().setTopicAttributes(b -> b.topicArn(arn).attributeName("Nonsense").attributeValue("1")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().setTopicAttributes(b -> b.topicArn(arn).attributeName("SignatureVersion").attributeValue("3")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().setTopicAttributes(b -> b.topicArn(arn).attributeName("DeliveryPolicy")
        .attributeValue("{\"http\":{\"defaultHealthyRetryPolicy\":{\"minDelayTarget\":30,\"maxDelayTarget\":5}}}")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().setTopicAttributes(b -> b.topicArn(arn).attributeName("FifoTopic").attributeValue("true")))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void fifoTopicsNeedTheSuffixAndTheAttribute() {
    String arn = sns().createTopic(b -> b.name("f.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
    assertThat(sns().getTopicAttributes(b -> b.topicArn(arn)).attributes())
        .containsEntry("FifoTopic", "true").containsEntry("ContentBasedDeduplication", "false");
    assertThatThrownBy(() -> sns().createTopic(b -> b.name("nofifo").attributes(Map.of("FifoTopic", "true"))))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().createTopic(b -> b.name("x.fifo")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().createTopic(b -> b.name("std").attributes(Map.of("ContentBasedDeduplication", "true"))))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().publish(b -> b.topicArn(arn).message("no group")))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("MessageGroupId");
    assertThatThrownBy(() -> sns().publish(b -> b.topicArn(arn).message("no dedup").messageGroupId("g")))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("ContentBasedDeduplication");
    assertThatThrownBy(() -> sns().subscribe(b -> b.topicArn(arn).protocol("http").endpoint("http://example.com/")))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void badTopicNamesAndUnknownTopics() {
    for (String bad : List.of("", "has space", "a/b", "x".repeat(257))) {
      assertThatThrownBy(() -> sns().createTopic(b -> b.name(bad))).as(bad).isInstanceOf(InvalidParameterException.class);
    }
    String missing = "arn:aws:sns:us-east-1:000000000000:missing";
    assertThatThrownBy(() -> sns().getTopicAttributes(b -> b.topicArn(missing)))
        .isInstanceOf(NotFoundException.class).satisfies(e -> assertThat(((SnsException) e).statusCode()).isEqualTo(404));
    assertThatThrownBy(() -> sns().publish(b -> b.topicArn(missing).message("x"))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> sns().subscribe(b -> b.topicArn(missing).protocol("sqs").endpoint(QUEUE)))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> sns().getTopicAttributes(b -> b.topicArn("not-an-arn"))).isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().listTagsForResource(b -> b.resourceArn(missing))).isInstanceOf(ResourceNotFoundException.class);
    // Deleting what is not there succeeds, as in SNS.
    sns().deleteTopic(b -> b.topicArn(missing));
  }

  @Test
  void publishRefusesBadMessages() {
    String arn = sns().createTopic(b -> b.name("pub")).topicArn();
    assertThatThrownBy(() -> sns().publish(b -> b.topicArn(arn).message("x".repeat(262_145))))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("too long");
    assertThatThrownBy(() -> sns().publish(b -> b.topicArn(arn).message("x").subject("line\nbreak")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().publish(b -> b.topicArn(arn).message("{\"sqs\":\"x\"}").messageStructure("json")))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("No default entry");
    assertThatThrownBy(() -> sns().publish(b -> b.topicArn(arn).message("x").messageAttributes(Map.of("n",
        software.amazon.awssdk.services.sns.model.MessageAttributeValue.builder().dataType("Number").stringValue("abc").build()))))
        .isInstanceOf(SnsException.class).satisfies(e -> assertThat(((SnsException) e).statusCode()).isEqualTo(400));
    assertThatThrownBy(() -> sns().publish(b -> b.topicArn(arn).message("x").messageDeduplicationId("d")))
        .isInstanceOf(InvalidParameterException.class);
    assertThat(sns().publish(b -> b.topicArn(arn).message("x".repeat(262_144))).messageId()).isNotBlank();
  }

  @Test
  void subscriptionsAreListedReadWrittenAndRemoved() {
    String t1 = sns().createTopic(b -> b.name("s1")).topicArn();
    String t2 = sns().createTopic(b -> b.name("s2")).topicArn();
    String a = sns().subscribe(b -> b.topicArn(t1).protocol("sqs").endpoint(QUEUE)).subscriptionArn();
    assertThat(sns().subscribe(b -> b.topicArn(t1).protocol("sqs").endpoint(QUEUE)).subscriptionArn()).isEqualTo(a);
    String b2 = sns().subscribe(b -> b.topicArn(t2).protocol("sqs").endpoint(QUEUE)
        .attributes(Map.of("RawMessageDelivery", "true"))).subscriptionArn();
    assertThat(a).startsWith(t1 + ":");
    assertThat(sns().listSubscriptionsByTopic(b -> b.topicArn(t1)).subscriptions()).extracting(Subscription::subscriptionArn)
        .containsExactly(a);
    assertThat(sns().listSubscriptions().subscriptions()).extracting(Subscription::subscriptionArn).containsExactly(a, b2);
    Map<String, String> attrs = sns().getSubscriptionAttributes(b -> b.subscriptionArn(b2)).attributes();
    assertThat(attrs).containsEntry("RawMessageDelivery", "true").containsEntry("Protocol", "sqs")
        .containsEntry("Endpoint", QUEUE).containsEntry("TopicArn", t2).containsEntry("PendingConfirmation", "false")
        .containsEntry("Owner", "000000000000").containsEntry("SubscriptionArn", b2);
    sns().setSubscriptionAttributes(b -> b.subscriptionArn(b2).attributeName("RawMessageDelivery").attributeValue("false"));
    assertThat(sns().getSubscriptionAttributes(b -> b.subscriptionArn(b2)).attributes()).containsEntry("RawMessageDelivery", "false");
    assertThat(sns().getTopicAttributes(b -> b.topicArn(t1)).attributes()).containsEntry("SubscriptionsConfirmed", "1");
    sns().unsubscribe(b -> b.subscriptionArn(a));
    assertThat(sns().listSubscriptionsByTopic(b -> b.topicArn(t1)).subscriptions()).isEmpty();
    assertThat(sns().getTopicAttributes(b -> b.topicArn(t1)).attributes()).containsEntry("SubscriptionsDeleted", "1");
    assertThatThrownBy(() -> sns().getSubscriptionAttributes(b -> b.subscriptionArn(a))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> sns().unsubscribe(b -> b.subscriptionArn("garbage"))).isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().setSubscriptionAttributes(b -> b.subscriptionArn(b2).attributeName("Bogus").attributeValue("1")))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void subscriptionListingsPageByHundred() {
    String t = sns().createTopic(b -> b.name("many")).topicArn();
    List<String> arns = new ArrayList<>();
    for (int i = 0; i < 105; i++) {
      int n = i;
      arns.add(sns().subscribe(b -> b.topicArn(t).protocol("sqs").endpoint(QUEUE + "-" + n)).subscriptionArn());
    }
    var first = sns().listSubscriptionsByTopic(b -> b.topicArn(t));
    assertThat(first.subscriptions()).hasSize(100);
    var second = sns().listSubscriptionsByTopic(b -> b.topicArn(t).nextToken(first.nextToken()));
    assertThat(second.subscriptions()).hasSize(5);
    assertThat(second.nextToken()).isNull();
    List<String> all = new ArrayList<>();
    sns().listSubscriptionsPaginator().subscriptions().forEach(s -> all.add(s.subscriptionArn()));
    assertThat(all).containsExactlyInAnyOrderElementsOf(arns);
    assertThatThrownBy(() -> sns().listSubscriptions(b -> b.nextToken("not a token!"))).isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void subscribeRefusesWhatSnsRefuses() {
    String t = sns().createTopic(b -> b.name("sub-edges")).topicArn();
    assertThatThrownBy(() -> sns().subscribe(b -> b.topicArn(t).protocol("carrier-pigeon").endpoint("x")))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("does not support this protocol");
    assertThatThrownBy(() -> sns().subscribe(b -> b.topicArn(t).protocol("sqs").endpoint("not-an-arn")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().subscribe(b -> b.topicArn(t).protocol("http").endpoint("ftp://x")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().subscribe(b -> b.topicArn(t).protocol("sqs")
        .endpoint("arn:aws:sqs:us-east-1:000000000000:q.fifo"))).isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().subscribe(b -> b.topicArn(t).protocol("sqs").endpoint(QUEUE)
        .attributes(Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"nope\"}")))).isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().subscribe(b -> b.topicArn(t).protocol("sqs").endpoint(QUEUE)
        .attributes(Map.of("RawMessageDelivery", "maybe")))).isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns().confirmSubscription(b -> b.topicArn(t).token("no-such-token")))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void tagsPermissionsAndDataProtection() {
    String t = sns().createTopic(b -> b.name("tagged").tags(Tag.builder().key("team").value("a").build())).topicArn();
    sns().tagResource(b -> b.resourceArn(t).tags(Tag.builder().key("env").value("dev").build()));
    assertThat(sns().listTagsForResource(b -> b.resourceArn(t)).tags()).extracting(Tag::key).containsExactly("team", "env");
    sns().untagResource(b -> b.resourceArn(t).tagKeys("team"));
    assertThat(sns().listTagsForResource(b -> b.resourceArn(t)).tags()).extracting(Tag::key).containsExactly("env");
    List<Tag> tooMany = new ArrayList<>();
    for (int i = 0; i < 51; i++) tooMany.add(Tag.builder().key("k" + i).value("v").build());
    assertThatThrownBy(() -> sns().tagResource(b -> b.resourceArn(t).tags(tooMany)))
        .isInstanceOf(software.amazon.awssdk.services.sns.model.TagLimitExceededException.class);
    sns().addPermission(b -> b.topicArn(t).label("friends").awsAccountIds("111122223333").actionNames("Publish"));
    assertThatThrownBy(() -> sns().addPermission(b -> b.topicArn(t).label("friends").awsAccountIds("1").actionNames("Publish")))
        .isInstanceOf(InvalidParameterException.class);
    sns().removePermission(b -> b.topicArn(t).label("friends"));
    sns().putDataProtectionPolicy(b -> b.resourceArn(t).dataProtectionPolicy("{\"Name\":\"p\",\"Version\":\"2021-06-01\",\"Statement\":[]}"));
    assertThat(sns().getDataProtectionPolicy(b -> b.resourceArn(t)).dataProtectionPolicy()).contains("\"Name\":\"p\"");
    assertThat(sns().listTopics().topics()).extracting(Topic::topicArn).contains(t);
    sns().deleteTopic(b -> b.topicArn(t));
    assertThat(sns().listTopics().topics()).extracting(Topic::topicArn).doesNotContain(t);
  }
}
