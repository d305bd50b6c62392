package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDeletedRecentlyException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

class QueueLifecycleTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private SqsClient sqs() {
    return server.sqs();
  }

  @Test
  void createGetUrlListDelete() {
    String url = sqs().createQueue(b -> b.queueName("orders")).queueUrl();
    assertThat(url).isEqualTo(server.endpoint() + "/000000000000/orders");
    assertThat(sqs().getQueueUrl(b -> b.queueName("orders")).queueUrl()).isEqualTo(url);
    sqs().createQueue(b -> b.queueName("orders-dlq"));
    sqs().createQueue(b -> b.queueName("billing"));
    assertThat(sqs().listQueues().queueUrls()).hasSize(3);
    assertThat(sqs().listQueues(b -> b.queueNamePrefix("orders")).queueUrls())
        .containsExactly(url, server.endpoint() + "/000000000000/orders-dlq");
    sqs().deleteQueue(b -> b.queueUrl(url));
    assertThatThrownBy(() -> sqs().getQueueUrl(b -> b.queueName("orders"))).isInstanceOf(QueueDoesNotExistException.class);
  }

  @Test
  void listQueuesPaginates() {
    for (int i = 0; i < 7; i++) {
      int n = i;
      sqs().createQueue(b -> b.queueName("q" + n));
    }
    var first = sqs().listQueues(b -> b.maxResults(3));
    assertThat(first.queueUrls()).hasSize(3);
    assertThat(first.nextToken()).isNotNull();
    var second = sqs().listQueues(b -> b.maxResults(3).nextToken(first.nextToken()));
    var third = sqs().listQueues(b -> b.maxResults(3).nextToken(second.nextToken()));
    assertThat(third.queueUrls()).hasSize(1);
    assertThat(third.nextToken()).isNull();
    var all = sqs().listQueuesPaginator(b -> b.maxResults(2)).queueUrls().stream().toList();
    assertThat(all).hasSize(7).doesNotHaveDuplicates();
  }

  @Test
  void createIsIdempotentButRejectsDifferentAttributes() {
    String url = sqs().createQueue(b -> b.queueName("q").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl();
    assertThat(sqs().createQueue(b -> b.queueName("q").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60"))).queueUrl())
        .isEqualTo(url);
    assertThatThrownBy(() -> sqs().createQueue(b -> b.queueName("q").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "61"))))
        .isInstanceOf(QueueNameExistsException.class);
  }

  @Test
  void queueDeletedRecentlyForSixtySeconds() {
    String url = sqs().createQueue(b -> b.queueName("gone")).queueUrl();
    sqs().deleteQueue(b -> b.queueUrl(url));
    assertThatThrownBy(() -> sqs().createQueue(b -> b.queueName("gone"))).isInstanceOf(QueueDeletedRecentlyException.class);
    server.advance(Duration.ofSeconds(61));
    assertThat(sqs().createQueue(b -> b.queueName("gone")).queueUrl()).isEqualTo(url);
  }

  @Test
  void attributesDefaultsAndChanges() {
    String url = sqs().createQueue(b -> b.queueName("attrs")).queueUrl();
    Map<String, String> attrs = sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
    assertThat(attrs).containsEntry("VisibilityTimeout", "30").containsEntry("DelaySeconds", "0")
        .containsEntry("MaximumMessageSize", "1048576").containsEntry("MessageRetentionPeriod", "345600")
        .containsEntry("ReceiveMessageWaitTimeSeconds", "0").containsEntry("ApproximateNumberOfMessages", "0")
        .containsEntry("QueueArn", "arn:aws:sqs:us-east-1:000000000000:attrs")
        .containsKeys("CreatedTimestamp", "LastModifiedTimestamp", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed", "SqsManagedSseEnabled");
    sqs().setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "45",
        QueueAttributeName.DELAY_SECONDS, "5")));
    Map<String, String> changed = sqs().getQueueAttributes(b -> b.queueUrl(url)
        .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT, QueueAttributeName.DELAY_SECONDS)).attributesAsStrings();
    assertThat(changed).containsExactlyInAnyOrderEntriesOf(Map.of("VisibilityTimeout", "45", "DelaySeconds", "5"));
  }

  @Test
  void attributeValidation() {
    String url = sqs().createQueue(b -> b.queueName("v")).queueUrl();
    assertThatThrownBy(() -> sqs().setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("VisibilityTimeout", "43201"))))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAttributeValue"));
    assertThatThrownBy(() -> sqs().setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("Bogus", "1"))))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAttributeName"));
    assertThatThrownBy(() -> sqs().setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(Map.of("ContentBasedDeduplication", "true"))))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAttributeName"));
    assertThatThrownBy(() -> sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("Nope")))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAttributeName"));
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributesAsStrings())
        .containsEntry("VisibilityTimeout", "30");
  }

  @Test
  void tags() {
    String url = sqs().createQueue(b -> b.queueName("tagged").tags(Map.of("team", "a"))).queueUrl();
    sqs().tagQueue(b -> b.queueUrl(url).tags(Map.of("env", "dev", "team", "b")));
    assertThat(sqs().listQueueTags(b -> b.queueUrl(url)).tags()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "b", "env", "dev"));
    sqs().untagQueue(b -> b.queueUrl(url).tagKeys("team"));
    assertThat(sqs().listQueueTags(b -> b.queueUrl(url)).tags()).containsExactlyInAnyOrderEntriesOf(Map.of("env", "dev"));
  }

  @Test
  void permissionsLandInThePolicy() {
    String url = sqs().createQueue(b -> b.queueName("shared")).queueUrl();
    sqs().addPermission(b -> b.queueUrl(url).label("partner").awsAccountIds("111122223333").actions("SendMessage"));
    String policy = sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.POLICY)).attributesAsStrings().get("Policy");
    assertThat(policy).contains("\"Sid\":\"partner\"").contains("arn:aws:iam::111122223333:root").contains("SQS:SendMessage");
    assertThatThrownBy(() -> sqs().addPermission(b -> b.queueUrl(url).label("partner").awsAccountIds("111122223333").actions("SendMessage")))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    sqs().removePermission(b -> b.queueUrl(url).label("partner"));
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.POLICY)).attributesAsStrings()).doesNotContainKey("Policy");
    assertThatThrownBy(() -> sqs().removePermission(b -> b.queueUrl(url).label("partner")))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
  }

  @Test
  void urlFromAnotherHostFormIsAcceptedByAccountAndName() {
    sqs().createQueue(b -> b.queueName("hosted"));
    sqs().sendMessage(b -> b.queueUrl("http://sqs.us-east-1.amazonaws.com/000000000000/hosted").messageBody("x"));
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl("http://localhost:4566/000000000000/hosted")
        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributesAsStrings())
        .containsEntry("ApproximateNumberOfMessages", "1");
  }
}
