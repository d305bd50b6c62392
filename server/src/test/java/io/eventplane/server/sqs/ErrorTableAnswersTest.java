package io.eventplane.server.sqs;

import static io.eventplane.server.sqs.SqsAnswers.assertAnswer;
import static io.eventplane.server.sqs.SqsAnswers.json;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.sqs.SqsAnswers.Answer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Queue-level errors as each protocol words them, from LocalStack's validated snapshots of
 * test_non_existent_queue (the Query message says "for this wsdl version", JSON's does not),
 * test_successive_purge_calls_fail and test_create_queue_with_different_attributes_raises_exception.
 */
class ErrorTableAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private final SqsAnswers answers = new SqsAnswers(server);

  private SqsClient sqs() {
    return server.sqs();
  }

  @Test
  void queueErrorsAnswerAsAwsOverJsonAndQuery() throws Exception {
    String missing = server.endpoint() + "/000000000000/missing";
    Answer jsonMissing = Answer.error(400, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
    Answer queryMissing = Answer.error(400, "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist for this wsdl version.");
    assertAnswer("JSON GetQueueUrl", json(() -> sqs().getQueueUrl(b -> b.queueName("missing"))), jsonMissing);
    assertAnswer("JSON SendMessage", json(() -> sqs().sendMessage(b -> b.queueUrl(missing).messageBody("x"))), jsonMissing);
    assertAnswer("Query GetQueueUrl", answers.queryAnswer("Action", "GetQueueUrl", "QueueName", "missing"), queryMissing);
    assertAnswer("Query SendMessage", answers.queryAnswer("Action", "SendMessage", "QueueUrl", missing, "MessageBody", "x"),
        queryMissing);

    String url = sqs().createQueue(b -> b.queueName("q").attributesWithStrings(Map.of("DelaySeconds", "1"))).queueUrl();
    Answer exists = Answer.error(400, "QueueAlreadyExists",
        "A queue already exists with the same name and a different value for attribute DelaySeconds");
    assertAnswer("JSON CreateQueue", json(() -> sqs().createQueue(b -> b.queueName("q")
        .attributesWithStrings(Map.of("DelaySeconds", "2")))), exists);
    assertAnswer("Query CreateQueue", answers.queryAnswer("Action", "CreateQueue", "QueueName", "q",
        "Attribute.1.Name", "DelaySeconds", "Attribute.1.Value", "2"), exists);

    sqs().purgeQueue(b -> b.queueUrl(url));
    Answer inProgress = Answer.error(403, "AWS.SimpleQueueService.PurgeQueueInProgress",
        "Only one PurgeQueue operation on q is allowed every 60 seconds.");
    assertAnswer("JSON PurgeQueue", json(() -> sqs().purgeQueue(b -> b.queueUrl(url))), inProgress);
    assertAnswer("Query PurgeQueue", answers.queryAnswer("Action", "PurgeQueue", "QueueUrl", url), inProgress);
  }
}
