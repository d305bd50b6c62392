package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class DeadLetterTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private SqsClient sqs() {
    return server.sqs();
  }

  private String arn(String url) {
    return sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN)).attributesAsStrings().get("QueueArn");
  }

  private static String redrive(String dlqArn, int max) {
    return "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + max + "\"}";
  }

  private List<Message> receive(String url) {
    return sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
  }

  @Test
  void messageMovesToTheDlqOnTheReceiveAfterMaxReceiveCount() {
    String dlq = sqs().createQueue(b -> b.queueName("jobs-dlq")).queueUrl();
    String src = sqs().createQueue(b -> b.queueName("jobs").attributes(Map.of(
        QueueAttributeName.REDRIVE_POLICY, redrive(arn(dlq), 3), QueueAttributeName.VISIBILITY_TIMEOUT, "10"))).queueUrl();
    String id = sqs().sendMessage(b -> b.queueUrl(src).messageBody("poison")).messageId();
    for (int i = 1; i <= 3; i++) {
      List<Message> got = receive(src);
      assertThat(got).hasSize(1);
      assertThat(got.get(0).attributesAsStrings()).containsEntry("ApproximateReceiveCount", String.valueOf(i));
      server.advance(Duration.ofSeconds(11));
    }
    assertThat(receive(src)).isEmpty();
    List<Message> dead = receive(dlq);
    assertThat(dead).singleElement().satisfies(m -> {
      assertThat(m.messageId()).isEqualTo(id);
      assertThat(m.body()).isEqualTo("poison");
      assertThat(m.attributesAsStrings()).containsEntry("DeadLetterQueueSourceArn", arn(src));
    });
    assertThat(sqs().listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls()).containsExactly(src);
  }

  @Test
  void poisonMessageInFifoBlocksItsGroupUntilTheDlqTakesIt() {
    String dlq = sqs().createQueue(b -> b.queueName("o-dlq.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
    String src = sqs().createQueue(b -> b.queueName("o.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
        QueueAttributeName.REDRIVE_POLICY, redrive(arn(dlq), 2), QueueAttributeName.VISIBILITY_TIMEOUT, "10"))).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(src).messageGroupId("g").messageDeduplicationId("1").messageBody("poison"));
    sqs().sendMessage(b -> b.queueUrl(src).messageGroupId("g").messageDeduplicationId("2").messageBody("next"));
    for (int i = 0; i < 2; i++) {
      assertThat(sqs().receiveMessage(b -> b.queueUrl(src).maxNumberOfMessages(1)).messages())
          .extracting(Message::body).containsExactly("poison");
      assertThat(receive(src)).isEmpty();
      server.advance(Duration.ofSeconds(11));
    }
    // Third receive: poison exceeded maxReceiveCount, moves to the DLQ, and the group unblocks.
    assertThat(receive(src)).extracting(Message::body).containsExactly("next");
    assertThat(receive(dlq)).extracting(Message::body).containsExactly("poison");
  }

  @Test
  void dlqMustExistAndMatchTheQueueType() {
    String std = sqs().createQueue(b -> b.queueName("std-dlq")).queueUrl();
    assertThatThrownBy(() -> sqs().createQueue(b -> b.queueName("f.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
        QueueAttributeName.REDRIVE_POLICY, redrive(arn(std), 2)))))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    assertThatThrownBy(() -> sqs().createQueue(b -> b.queueName("x").attributes(Map.of(
        QueueAttributeName.REDRIVE_POLICY, redrive("arn:aws:sqs:us-east-1:000000000000:missing", 2)))))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    assertThatThrownBy(() -> sqs().createQueue(b -> b.queueName("y").attributes(Map.of(
        QueueAttributeName.REDRIVE_POLICY, redrive(arn(std), 1001)))))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
  }

  @Test
  void redriveAllowPolicyDeniesSources() {
    String dlq = sqs().createQueue(b -> b.queueName("closed-dlq").attributes(Map.of(
        QueueAttributeName.REDRIVE_ALLOW_POLICY, "{\"redrivePermission\":\"denyAll\"}"))).queueUrl();
    assertThatThrownBy(() -> sqs().createQueue(b -> b.queueName("src").attributes(Map.of(
        QueueAttributeName.REDRIVE_POLICY, redrive(arn(dlq), 2)))))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
  }

  @Test
  void redriveMovesMessagesBackToTheirSource() {
    String dlq = sqs().createQueue(b -> b.queueName("r-dlq")).queueUrl();
    String src = sqs().createQueue(b -> b.queueName("r").attributes(Map.of(
        QueueAttributeName.REDRIVE_POLICY, redrive(arn(dlq), 1), QueueAttributeName.VISIBILITY_TIMEOUT, "5"))).queueUrl();
    for (int i = 0; i < 5; i++) {
      int n = i;
      sqs().sendMessage(b -> b.queueUrl(src).messageBody("m" + n));
    }
    assertThat(receive(src)).hasSize(5);
    server.advance(Duration.ofSeconds(6));
    assertThat(receive(src)).isEmpty();
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributesAsStrings()).containsEntry("ApproximateNumberOfMessages", "5");

    String handle = sqs().startMessageMoveTask(b -> b.sourceArn(arn(dlq))).taskHandle();
    assertThat(handle).isNotBlank();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(sqs().listMessageMoveTasks(b -> b.sourceArn(arn(dlq))).results()).singleElement()
            .satisfies(t -> {
              assertThat(t.status()).isEqualTo("COMPLETED");
              assertThat(t.approximateNumberOfMessagesMoved()).isEqualTo(5L);
            }));
    assertThat(receive(src)).extracting(Message::body).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4");
    assertThat(receive(dlq)).isEmpty();
  }

  @Test
  void moveTaskToANamedQueueWithARateAndCancel() {
    String dlq = sqs().createQueue(b -> b.queueName("n-dlq")).queueUrl();
    sqs().createQueue(b -> b.queueName("n").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive(arn(dlq), 1))));
    String other = sqs().createQueue(b -> b.queueName("elsewhere")).queueUrl();
    for (int i = 0; i < 20; i++) sqs().sendMessage(b -> b.queueUrl(dlq).messageBody("d"));
    String handle = sqs().startMessageMoveTask(b -> b.sourceArn(arn(dlq)).destinationArn(arn(other)).maxNumberOfMessagesPerSecond(5)).taskHandle();
    assertThatThrownBy(() -> sqs().startMessageMoveTask(b -> b.sourceArn(arn(dlq))))
        .isInstanceOf(AwsServiceException.class);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        sqs().listMessageMoveTasks(b -> b.sourceArn(arn(dlq))).results().get(0).approximateNumberOfMessagesMoved() >= 5);
    long moved = sqs().cancelMessageMoveTask(b -> b.taskHandle(handle)).approximateNumberOfMessagesMoved();
    assertThat(moved).isBetween(5L, 19L);
    assertThat(sqs().listMessageMoveTasks(b -> b.sourceArn(arn(dlq))).results().get(0).status()).isEqualTo("CANCELLED");
    assertThatThrownBy(() -> sqs().cancelMessageMoveTask(b -> b.taskHandle(handle)))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException"));
  }

  @Test
  void moveTaskNeedsADeadLetterQueue() {
    String plain = sqs().createQueue(b -> b.queueName("plain")).queueUrl();
    assertThatThrownBy(() -> sqs().startMessageMoveTask(b -> b.sourceArn(arn(plain))))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    assertThatThrownBy(() -> sqs().startMessageMoveTask(b -> b.sourceArn("arn:aws:sqs:us-east-1:000000000000:nope")))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException"));
  }
}
