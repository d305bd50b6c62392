package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.eventplane.server.EmbeddedServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchEntryIdsNotDistinctException;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.EmptyBatchRequestException;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeNameException;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeValueException;
import software.amazon.awssdk.services.sqs.model.InvalidBatchEntryIdException;
import software.amazon.awssdk.services.sqs.model.InvalidMessageContentsException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;

/**
 * Bad requests of every kind get the exact error real SQS gives (code as the SDK reports it, HTTP
 * status, exception class), never a 500, and never disturb what is already stored: before each
 * test a canary queue and a FIFO canary are filled, after each test both must still hold exactly
 * those messages, byte for byte.
 *
 * <p>The SDK reports the Query-compatible code ({@code x-amzn-query-error}) as the error code,
 * since SQS is {@code awsQueryCompatible}: e.g. {@code AWS.SimpleQueueService.NonExistentQueue}
 * for {@code QueueDoesNotExistException}.
 */
class BadInputTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static final int CANARY_COUNT = 15;
  private static final String MIB_PLUS_ONE = "x".repeat(1_048_577);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private String canary;
  private String fifoCanary;
  private final Map<String, String> canaryBodies = new LinkedHashMap<>();
  private final Map<String, String> canaryAttributeDigests = new HashMap<>();
  private final List<String> fifoCanaryBodies = new ArrayList<>();

  private SqsClient sqs() {
    return server.sqs();
  }

  // ---- canaries

  @BeforeEach
  void fillCanaries() {
    canary = sqs().createQueue(b -> b.queueName("canary")).queueUrl();
    for (int i = 0; i < CANARY_COUNT; i++) {
      String body = "canary " + i + " héllo\r\n\t🌍 <&> \"" + "y".repeat(i * 100);
      int n = i;
      var sent = sqs().sendMessage(b -> b.queueUrl(canary).messageBody(body).messageAttributes(Map.of(
          "index", MessageAttributeValue.builder().dataType("Number").stringValue(Integer.toString(n)).build(),
          "blob", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) n})).build())));
      canaryBodies.put(sent.messageId(), body);
      canaryAttributeDigests.put(sent.messageId(), sent.md5OfMessageAttributes());
    }
    fifoCanary = sqs().createQueue(b -> b.queueName("canary.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
        .queueUrl();
    for (int i = 0; i < 6; i++) {
      String body = "fifo " + i;
      String group = "g" + (i % 2);
      sqs().sendMessage(b -> b.queueUrl(fifoCanary).messageBody(body).messageGroupId(group).messageDeduplicationId("d-" + body.replace(" ", "-")));
      fifoCanaryBodies.add(body);
    }
  }

  /** Nothing a bad request did may have added, lost or changed a stored message; the server still serves. */
  @AfterEach
  void canariesAreIntact() {
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(canary).attributeNames(QueueAttributeName.ALL)).attributes())
        .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, Integer.toString(CANARY_COUNT))
        .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0")
        .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0")
        .containsEntry(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1048576")
        .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "30");
    Map<String, String> seen = new HashMap<>();
    for (int round = 0; round < 3; round++) {
      for (Message m : sqs().receiveMessage(b -> b.queueUrl(canary).maxNumberOfMessages(10).messageAttributeNames("All")).messages()) {
        assertThat(seen.put(m.messageId(), m.body())).as("received twice: %s", m.messageId()).isNull();
        assertThat(m.md5OfMessageAttributes()).isEqualTo(canaryAttributeDigests.get(m.messageId()));
        assertThat(m.messageAttributes()).containsKeys("index", "blob");
      }
    }
    assertThat(seen).isEqualTo(canaryBodies);

    List<String> fifoSeen = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (Message m : sqs().receiveMessage(b -> b.queueUrl(fifoCanary).maxNumberOfMessages(10)).messages()) {
        fifoSeen.add(m.body());
        sqs().deleteMessage(b -> b.queueUrl(fifoCanary).receiptHandle(m.receiptHandle()));
      }
    }
    assertThat(fifoSeen.stream().filter(s -> List.of("fifo 0", "fifo 2", "fifo 4").contains(s)))
        .containsExactly("fifo 0", "fifo 2", "fifo 4");
    assertThat(fifoSeen.stream().filter(s -> List.of("fifo 1", "fifo 3", "fifo 5").contains(s)))
        .containsExactly("fifo 1", "fifo 3", "fifo 5");
    assertThat(fifoSeen).hasSameSizeAs(fifoCanaryBodies);
  }

  // ---- helpers

  private static AwsServiceException expectError(ThrowingCallable call, Class<? extends AwsServiceException> type,
      String code, int status) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("expected %s", code).isInstanceOf(type);
    AwsServiceException e = (AwsServiceException) thrown;
    assertThat(e.awsErrorDetails().errorCode()).as("error code of %s", e.getMessage()).isEqualTo(code);
    assertThat(e.statusCode()).as("status of %s", e.getMessage()).isEqualTo(status);
    return e;
  }

  private static void invalidParameter(ThrowingCallable call) {
    expectError(call, SqsException.class, "InvalidParameterValue", 400);
  }

  private static void missingParameter(ThrowingCallable call) {
    expectError(call, SqsException.class, "MissingParameter", 400);
  }

  private static void queueDoesNotExist(ThrowingCallable call) {
    expectError(call, QueueDoesNotExistException.class, "AWS.SimpleQueueService.NonExistentQueue", 400);
  }

  private static void invalidAttributeName(ThrowingCallable call) {
    expectError(call, InvalidAttributeNameException.class, "InvalidAttributeName", 400);
  }

  private static void invalidAttributeValue(ThrowingCallable call) {
    expectError(call, InvalidAttributeValueException.class, "InvalidAttributeValue", 400);
  }

  private static MessageAttributeValue string(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  private void sendToCanary(Consumer<SendMessageRequest.Builder> request) {
    sqs().sendMessage(b -> {
      b.queueUrl(canary).messageBody("must not be stored");
      request.accept(b);
    });
  }

  private HttpResponse<String> post(Map<String, String> headers, HttpRequest.BodyPublisher body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.endpoint().resolve("/")).timeout(Duration.ofSeconds(30)).POST(body);
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postJson(String target, String body) throws Exception {
    return post(Map.of("X-Amz-Target", target, "Content-Type", "application/x-amz-json-1.0"),
        HttpRequest.BodyPublishers.ofString(body));
  }

  // ---- unknown queues and resources

  @Test
  void everyQueueOperationOnAnUnknownQueueIsQueueDoesNotExist() {
    String missing = canary.replace("/canary", "/no-such-queue");
    String handle = sqs().receiveMessage(b -> b.queueUrl(fifoCanary)).messages().get(0).receiptHandle();
    sqs().changeMessageVisibility(b -> b.queueUrl(fifoCanary).receiptHandle(handle).visibilityTimeout(0));
    queueDoesNotExist(() -> sqs().getQueueUrl(b -> b.queueName("no-such-queue")));
    queueDoesNotExist(() -> sqs().getQueueUrl(b -> b.queueName("canary").queueOwnerAWSAccountId("123456789012")));
    queueDoesNotExist(() -> sqs().deleteQueue(b -> b.queueUrl(missing)));
    queueDoesNotExist(() -> sqs().purgeQueue(b -> b.queueUrl(missing)));
    queueDoesNotExist(() -> sqs().getQueueAttributes(b -> b.queueUrl(missing).attributeNames(QueueAttributeName.ALL)));
    queueDoesNotExist(() -> sqs().setQueueAttributes(b -> b.queueUrl(missing).attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "1"))));
    queueDoesNotExist(() -> sqs().sendMessage(b -> b.queueUrl(missing).messageBody("x")));
    queueDoesNotExist(() -> sqs().sendMessageBatch(b -> b.queueUrl(missing).entries(
        SendMessageBatchRequestEntry.builder().id("a").messageBody("x").build())));
    queueDoesNotExist(() -> sqs().receiveMessage(b -> b.queueUrl(missing)));
    queueDoesNotExist(() -> sqs().receiveMessage(b -> b.queueUrl(missing).waitTimeSeconds(1)));
    queueDoesNotExist(() -> sqs().deleteMessage(b -> b.queueUrl(missing).receiptHandle(handle)));
    queueDoesNotExist(() -> sqs().deleteMessageBatch(b -> b.queueUrl(missing).entries(
        DeleteMessageBatchRequestEntry.builder().id("a").receiptHandle(handle).build())));
    queueDoesNotExist(() -> sqs().changeMessageVisibility(b -> b.queueUrl(missing).receiptHandle(handle).visibilityTimeout(5)));
    queueDoesNotExist(() -> sqs().changeMessageVisibilityBatch(b -> b.queueUrl(missing).entries(
        ChangeMessageVisibilityBatchRequestEntry.builder().id("a").receiptHandle(handle).visibilityTimeout(5).build())));
    queueDoesNotExist(() -> sqs().tagQueue(b -> b.queueUrl(missing).tags(Map.of("k", "v"))));
    queueDoesNotExist(() -> sqs().untagQueue(b -> b.queueUrl(missing).tagKeys("k")));
    queueDoesNotExist(() -> sqs().listQueueTags(b -> b.queueUrl(missing)));
    queueDoesNotExist(() -> sqs().listDeadLetterSourceQueues(b -> b.queueUrl(missing)));
    queueDoesNotExist(() -> sqs().addPermission(b -> b.queueUrl(missing).label("l").awsAccountIds("123456789012").actions("SendMessage")));
    queueDoesNotExist(() -> sqs().removePermission(b -> b.queueUrl(missing).label("l")));
    // Names are case-sensitive, and a URL path that names no account and queue names no queue.
    queueDoesNotExist(() -> sqs().sendMessage(b -> b.queueUrl(canary.replace("/canary", "/CANARY")).messageBody("x")));
    queueDoesNotExist(() -> sqs().sendMessage(b -> b.queueUrl(server.endpoint() + "/not/an/sqs/path").messageBody("x")));
  }

  @Test
  void aDeletedQueueIsGoneForEveryOperation() {
    String url = sqs().createQueue(b -> b.queueName("short-lived")).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("x"));
    sqs().deleteQueue(b -> b.queueUrl(url));
    queueDoesNotExist(() -> sqs().sendMessage(b -> b.queueUrl(url).messageBody("x")));
    queueDoesNotExist(() -> sqs().receiveMessage(b -> b.queueUrl(url)));
    queueDoesNotExist(() -> sqs().getQueueUrl(b -> b.queueName("short-lived")));
    queueDoesNotExist(() -> sqs().deleteQueue(b -> b.queueUrl(url)));
  }

  @Test
  void moveTasksOnUnknownResourcesAreResourceNotFound() {
    String unknownArn = "arn:aws:sqs:us-east-1:000000000000:no-such-queue";
    expectError(() -> sqs().startMessageMoveTask(b -> b.sourceArn(unknownArn)), ResourceNotFoundException.class,
        "ResourceNotFoundException", 404);
    expectError(() -> sqs().listMessageMoveTasks(b -> b.sourceArn(unknownArn)), ResourceNotFoundException.class,
        "ResourceNotFoundException", 404);
    // A handle that is no task handle is an invalid parameter, as SQS answers it (test_cancel_with_invalid_task_handle).
    invalidParameter(() -> sqs().cancelMessageMoveTask(b -> b.taskHandle("bm90LWEtdGFzaw")));
    // The canary is no dead-letter queue: nothing to move from it.
    String canaryArn = sqs().getQueueAttributes(b -> b.queueUrl(canary).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    invalidParameter(() -> sqs().startMessageMoveTask(b -> b.sourceArn(canaryArn)));
  }

  // ---- queue names and attributes

  @Test
  void invalidQueueNamesAreRejectedAndCreateNothing() {
    for (String name : List.of("q".repeat(81), "has space", "dot.ted", "slash/ed", "colon:", "ünïcode", "star*", "")) {
      invalidParameter(() -> sqs().createQueue(b -> b.queueName(name)));
    }
    // .fifo names need FifoQueue=true, and FifoQueue=true needs a .fifo name of at most 80 characters.
    invalidParameter(() -> sqs().createQueue(b -> b.queueName("orders.fifo")));
    // FifoQueue=false makes a standard queue, which knows no FifoQueue attribute (as SQS answers).
    invalidAttributeName(() -> sqs().createQueue(b -> b.queueName("orders.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "false"))));
    invalidParameter(() -> sqs().createQueue(b -> b.queueName("orders").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))));
    invalidParameter(() -> sqs().createQueue(b -> b.queueName("f".repeat(76) + ".fifo")
        .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))));
    invalidParameter(() -> sqs().createQueue(b -> b.queueName("a.b.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))));
    assertThat(sqs().listQueues().queueUrls()).containsExactlyInAnyOrder(canary, fifoCanary);

    // The limits themselves are fine.
    sqs().createQueue(b -> b.queueName("Q_-9".repeat(20)));
    sqs().createQueue(b -> b.queueName("f".repeat(75) + ".fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")));
    assertThat(sqs().listQueues().queueUrls()).hasSize(4);
  }

  @Test
  void queueAttributesOutOfRangeUnknownOrFifoOnly() {
    Map<QueueAttributeName, String> outOfRange = new LinkedHashMap<>();
    outOfRange.put(QueueAttributeName.VISIBILITY_TIMEOUT, "43201");
    outOfRange.put(QueueAttributeName.DELAY_SECONDS, "901");
    outOfRange.put(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1023");
    outOfRange.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "59");
    outOfRange.put(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "21");
    outOfRange.put(QueueAttributeName.KMS_DATA_KEY_REUSE_PERIOD_SECONDS, "59");
    outOfRange.forEach((name, value) -> {
      invalidAttributeValue(() -> sqs().createQueue(b -> b.queueName("attrs").attributes(Map.of(name, value))));
      invalidAttributeValue(() -> sqs().setQueueAttributes(b -> b.queueUrl(canary).attributes(Map.of(name, value))));
    });
    for (var e : Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "-1", QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1048577",
        QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209601", QueueAttributeName.DELAY_SECONDS, "ten",
        QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "maybe").entrySet()) {
      invalidAttributeValue(() -> sqs().createQueue(b -> b.queueName("attrs").attributes(Map.of(e.getKey(), e.getValue()))));
    }
    invalidAttributeName(() -> sqs().createQueue(b -> b.queueName("attrs").attributesWithStrings(Map.of("Bogus", "1"))));
    invalidAttributeName(() -> sqs().setQueueAttributes(b -> b.queueUrl(canary).attributesWithStrings(Map.of("Bogus", "1"))));
    // Computed attributes cannot be set.
    invalidAttributeName(() -> sqs().setQueueAttributes(b -> b.queueUrl(canary)
        .attributes(Map.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))));
    invalidAttributeName(() -> sqs().getQueueAttributes(b -> b.queueUrl(canary).attributeNamesWithStrings("Bogus")));
    // FIFO-only attributes are unknown on a standard queue.
    for (var e : Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true", QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup",
        QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId").entrySet()) {
      invalidAttributeName(() -> sqs().createQueue(b -> b.queueName("attrs").attributes(Map.of(e.getKey(), e.getValue()))));
      invalidAttributeName(() -> sqs().setQueueAttributes(b -> b.queueUrl(canary).attributes(Map.of(e.getKey(), e.getValue()))));
    }
    // A queue keeps its type: a standard queue knows no FifoQueue (InvalidAttributeName, as on SQS).
    invalidAttributeName(() -> sqs().setQueueAttributes(b -> b.queueUrl(canary).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))));
    invalidAttributeValue(() -> sqs().setQueueAttributes(b -> b.queueUrl(fifoCanary).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "false"))));
    // perMessageGroupId throughput needs messageGroup deduplication.
    invalidAttributeValue(() -> sqs().setQueueAttributes(b -> b.queueUrl(fifoCanary).attributes(Map.of(
        QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId", QueueAttributeName.DEDUPLICATION_SCOPE, "queue"))));
    invalidAttributeValue(() -> sqs().setQueueAttributes(b -> b.queueUrl(fifoCanary)
        .attributes(Map.of(QueueAttributeName.DEDUPLICATION_SCOPE, "everywhere"))));

    // A rejected SetQueueAttributes applies none of its attributes, even the valid ones.
    invalidAttributeValue(() -> sqs().setQueueAttributes(b -> b.queueUrl(canary).attributes(Map.of(
        QueueAttributeName.DELAY_SECONDS, "10", QueueAttributeName.VISIBILITY_TIMEOUT, "99999"))));
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(canary).attributeNames(QueueAttributeName.DELAY_SECONDS)).attributes())
        .containsEntry(QueueAttributeName.DELAY_SECONDS, "0");
    assertThat(sqs().listQueues().queueUrls()).containsExactlyInAnyOrder(canary, fifoCanary);
  }

  @Test
  void badRedrivePolicies() {
    String dlqArn = sqs().getQueueAttributes(b -> b.queueUrl(fifoCanary).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    for (String policy : List.of(
        "not json",
        "{\"maxReceiveCount\":3}",
        "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:nowhere\",\"maxReceiveCount\":3}",
        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":3}",
        "{\"deadLetterTargetArn\":\"" + dlqArn.replace(".fifo", "") + "\",\"maxReceiveCount\":0}",
        "{\"deadLetterTargetArn\":\"" + dlqArn.replace(".fifo", "") + "\",\"maxReceiveCount\":1001}")) {
      invalidParameter(() -> sqs().createQueue(b -> b.queueName("with-dlq").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, policy))));
    }
    invalidParameter(() -> sqs().setQueueAttributes(b -> b.queueUrl(canary)
        .attributes(Map.of(QueueAttributeName.REDRIVE_ALLOW_POLICY, "{\"redrivePermission\":\"sometimes\"}"))));
    assertThat(sqs().listQueues().queueUrls()).containsExactlyInAnyOrder(canary, fifoCanary);
  }

  @Test
  void badTagsPermissionsAndListParameters() {
    Map<String, String> fiftyOne = new LinkedHashMap<>();
    IntStream.range(0, 51).forEach(i -> fiftyOne.put("k" + i, "v"));
    invalidParameter(() -> sqs().tagQueue(b -> b.queueUrl(canary).tags(fiftyOne)));
    invalidParameter(() -> sqs().tagQueue(b -> b.queueUrl(canary).tags(Map.of("k".repeat(129), "v"))));
    invalidParameter(() -> sqs().tagQueue(b -> b.queueUrl(canary).tags(Map.of("k", "v".repeat(257)))));
    invalidParameter(() -> sqs().createQueue(b -> b.queueName("tagged").tags(fiftyOne)));
    assertThat(sqs().listQueueTags(b -> b.queueUrl(canary)).tags()).isEmpty();

    invalidParameter(() -> sqs().addPermission(b -> b.queueUrl(canary).label("l").awsAccountIds("123456789012").actions("FlyAway")));
    invalidParameter(() -> sqs().addPermission(b -> b.queueUrl(canary).label("bad label").awsAccountIds("123456789012").actions("SendMessage")));
    missingParameter(() -> sqs().addPermission(b -> b.queueUrl(canary).label("l").actions("SendMessage")));
    sqs().addPermission(b -> b.queueUrl(canary).label("l").awsAccountIds("123456789012").actions("SendMessage"));
    invalidParameter(() -> sqs().addPermission(b -> b.queueUrl(canary).label("l").awsAccountIds("123456789012").actions("SendMessage")));
    invalidParameter(() -> sqs().removePermission(b -> b.queueUrl(canary).label("nope")));
    sqs().removePermission(b -> b.queueUrl(canary).label("l"));

    invalidParameter(() -> sqs().listQueues(b -> b.maxResults(0)));
    invalidParameter(() -> sqs().listQueues(b -> b.maxResults(1001)));
    invalidParameter(() -> sqs().listQueues(b -> b.maxResults(1).nextToken("%%%")));
    invalidParameter(() -> sqs().listDeadLetterSourceQueues(b -> b.queueUrl(canary).maxResults(0)));
    assertThat(sqs().listQueues(b -> b.queueNamePrefix("nothing-like-this")).queueUrls()).isEmpty();
  }

  // ---- SendMessage

  @Test
  void sendMessageBodies() {
    missingParameter(() -> sqs().sendMessage(b -> b.queueUrl(canary)));
    // SQS takes an empty body for an absent one.
    missingParameter(() -> sendToCanary(b -> b.messageBody("")));
    for (String bad : List.of("nul \u0000 here", "\uFFFF", "\uFFFE", "bell \u0007", "escape \u001B[0m", "unit \u001F")) {
      expectError(() -> sendToCanary(b -> b.messageBody(bad)), InvalidMessageContentsException.class, "InvalidMessageContents", 400);
    }
    invalidParameter(() -> sendToCanary(b -> b.messageBody(MIB_PLUS_ONE)));
    // 1 MiB counts bytes, not characters: 524,289 two-byte characters are too many.
    invalidParameter(() -> sendToCanary(b -> b.messageBody("é".repeat(524_289))));

    String big = sqs().createQueue(b -> b.queueName("big")).queueUrl();
    String exactlyOneMib = "é".repeat(524_288);
    sqs().sendMessage(b -> b.queueUrl(big).messageBody(exactlyOneMib));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(big)).messages().get(0).body()).isEqualTo(exactlyOneMib);
  }

  @Test
  void sendMessageOverALoweredMaximumMessageSize() {
    String small = sqs().createQueue(b -> b.queueName("small").attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024"))).queueUrl();
    invalidParameter(() -> sqs().sendMessage(b -> b.queueUrl(small).messageBody("s".repeat(1025))));
    // Message attributes (name, type and value) count toward the size.
    invalidParameter(() -> sqs().sendMessage(b -> b.queueUrl(small).messageBody("s".repeat(1000))
        .messageAttributes(Map.of("abc", string("v".repeat(20))))));
    // In a batch the entry over the queue's limit fails alone.
    SendMessageBatchResponse batch = sqs().sendMessageBatch(b -> b.queueUrl(small).entries(
        SendMessageBatchRequestEntry.builder().id("over").messageBody("s".repeat(1025)).build(),
        SendMessageBatchRequestEntry.builder().id("fits").messageBody("t".repeat(1024)).build()));
    assertThat(batch.successful()).extracting(e -> e.id()).containsExactly("fits");
    assertThat(batch.failed()).extracting(BatchResultErrorEntry::id, BatchResultErrorEntry::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("over", "InvalidParameterValue"));
    sqs().sendMessage(b -> b.queueUrl(small).messageBody("s".repeat(1024)));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(small).maxNumberOfMessages(10)).messages())
        .extracting(Message::body).containsExactlyInAnyOrder("s".repeat(1024), "t".repeat(1024));
  }

  @Test
  void sendMessageAttributes() {
    Map<String, MessageAttributeValue> eleven = new LinkedHashMap<>();
    IntStream.range(0, 11).forEach(i -> eleven.put("a" + i, string("v")));
    invalidParameter(() -> sendToCanary(b -> b.messageAttributes(eleven)));
    for (String name : List.of("AWS.reserved", "aws.lower", "Amazon.reserved", "amazon.x", "has space", ".lead", "trail.",
        "a..b", "semi;colon", "n".repeat(257))) {
      invalidParameter(() -> sendToCanary(b -> b.messageAttributes(Map.of(name, string("v")))));
    }
    invalidParameter(() -> sendToCanary(b -> b.messageAttributes(Map.of("t",
        MessageAttributeValue.builder().dataType("Integer").stringValue("1").build()))));
    invalidParameter(() -> sendToCanary(b -> b.messageAttributes(Map.of("t",
        MessageAttributeValue.builder().dataType("").stringValue("1").build()))));
    invalidParameter(() -> sendToCanary(b -> b.messageAttributes(Map.of("t",
        MessageAttributeValue.builder().stringValue("1").build()))));
    for (String notANumber : List.of("abc", "1.2.3", "0x10", "--1", "1e", "")) {
      invalidParameter(() -> sendToCanary(b -> b.messageAttributes(Map.of("n",
          MessageAttributeValue.builder().dataType("Number").stringValue(notANumber).build()))));
    }
    invalidParameter(() -> sendToCanary(b -> b.messageAttributes(Map.of("s", string("")))));
    invalidParameter(() -> sendToCanary(b -> b.messageAttributes(Map.of("s", MessageAttributeValue.builder().dataType("String").build()))));
    invalidParameter(() -> sendToCanary(b -> b.messageAttributes(Map.of("b",
        MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromByteArray(new byte[0])).build()))));
    invalidParameter(() -> sendToCanary(b -> b.messageAttributes(Map.of("l",
        MessageAttributeValue.builder().dataType("String").stringValue("x").stringListValues("a", "b").build()))));
    invalidParameter(() -> sendToCanary(b -> b.messageSystemAttributesWithStrings(Map.of("NotAWSTraceHeader",
        software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue.builder().dataType("String").stringValue("x").build()))));
  }

  @Test
  void sendMessageDelayAndFifoRules() {
    invalidParameter(() -> sendToCanary(b -> b.delaySeconds(901)));
    invalidParameter(() -> sendToCanary(b -> b.delaySeconds(-1)));
    // Deduplication ids belong to FIFO queues.
    invalidParameter(() -> sendToCanary(b -> b.messageDeduplicationId("d1")));

    missingParameter(() -> sqs().sendMessage(b -> b.queueUrl(fifoCanary).messageBody("x").messageDeduplicationId("d-x")));
    invalidParameter(() -> sqs().sendMessage(b -> b.queueUrl(fifoCanary).messageBody("x").messageGroupId("g0")));
    invalidParameter(() -> sqs().sendMessage(b -> b.queueUrl(fifoCanary).messageBody("x").messageGroupId("g0")
        .messageDeduplicationId("d-x").delaySeconds(5)));
    invalidParameter(() -> sqs().sendMessage(b -> b.queueUrl(fifoCanary).messageBody("x").messageGroupId("with space")
        .messageDeduplicationId("d-x")));
    invalidParameter(() -> sqs().sendMessage(b -> b.queueUrl(fifoCanary).messageBody("x").messageGroupId("g".repeat(129))
        .messageDeduplicationId("d-x")));
    invalidParameter(() -> sqs().sendMessage(b -> b.queueUrl(fifoCanary).messageBody("x").messageGroupId("g0")
        .messageDeduplicationId("d".repeat(129))));
    invalidParameter(() -> sqs().sendMessage(b -> b.queueUrl(fifoCanary).messageBody("x").messageGroupId("g0")
        .messageDeduplicationId("é")));
  }

  // ---- ReceiveMessage

  @Test
  void receiveMessageParametersOutOfRange() {
    invalidParameter(() -> sqs().receiveMessage(b -> b.queueUrl(canary).maxNumberOfMessages(0)));
    invalidParameter(() -> sqs().receiveMessage(b -> b.queueUrl(canary).maxNumberOfMessages(11)));
    invalidParameter(() -> sqs().receiveMessage(b -> b.queueUrl(canary).waitTimeSeconds(21)));
    invalidParameter(() -> sqs().receiveMessage(b -> b.queueUrl(canary).waitTimeSeconds(-1)));
    invalidParameter(() -> sqs().receiveMessage(b -> b.queueUrl(canary).visibilityTimeout(43201)));
    invalidParameter(() -> sqs().receiveMessage(b -> b.queueUrl(canary).visibilityTimeout(-1)));
    invalidParameter(() -> sqs().receiveMessage(b -> b.queueUrl(fifoCanary).receiveRequestAttemptId("a".repeat(129))));
  }

  @Test
  void receiveParameterBoundariesAreAccepted() {
    String url = sqs().createQueue(b -> b.queueName("bounds")).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("m1"));
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("m2"));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(0).visibilityTimeout(43200))
        .messages()).hasSize(1);
    // A message is there, so the 20 s long poll answers at once.
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(20).visibilityTimeout(1))
        .messages()).hasSize(1);
  }

  /**
   * VisibilityTimeout=0 is valid (0 to 43,200): the message stays visible for the next receive,
   * but one ReceiveMessage still returns each message once and counts one receive.
   */
  @Test
  void aZeroVisibilityTimeoutReceiveReturnsEachMessageOnce() {
    String url = sqs().createQueue(b -> b.queueName("zero-vis")).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("only one"));
    List<Message> got = sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(0)
        .messageSystemAttributeNames(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
        .messages();
    assertThat(got).extracting(Message::body).containsExactly("only one");
    assertThat(got.get(0).attributesAsStrings()).containsEntry("ApproximateReceiveCount", "1");
    sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(got.get(0).receiptHandle()));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()).isEmpty();
  }

  /** With maxReceiveCount 1, a zero-visibility receive delivers the message; only the next receive dead-letters it. */
  @Test
  void aZeroVisibilityTimeoutReceiveDoesNotDeadLetterTheMessageItDelivers() {
    String dlq = sqs().createQueue(b -> b.queueName("zero-dlq")).queueUrl();
    String dlqArn = sqs().getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    String src = sqs().createQueue(b -> b.queueName("zero-src").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":2}"))).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(src).messageBody("poison"));
    List<Message> got = sqs().receiveMessage(b -> b.queueUrl(src).maxNumberOfMessages(10).visibilityTimeout(0)).messages();
    assertThat(got).extracting(Message::body).containsExactly("poison");
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributes()).containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0");
    // The handle just handed out still works.
    sqs().deleteMessage(b -> b.queueUrl(src).receiptHandle(got.get(0).receiptHandle()));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(src).maxNumberOfMessages(10)).messages()).isEmpty();
  }

  // ---- batches

  @Test
  void batchRequestLevelErrors() {
    SendMessageBatchRequestEntry ok = SendMessageBatchRequestEntry.builder().id("ok").messageBody("x").build();
    expectError(() -> sqs().sendMessageBatch(b -> b.queueUrl(canary).entries(List.of())), EmptyBatchRequestException.class,
        "AWS.SimpleQueueService.EmptyBatchRequest", 400);
    expectError(() -> sqs().sendMessageBatch(b -> b.queueUrl(canary)), EmptyBatchRequestException.class,
        "AWS.SimpleQueueService.EmptyBatchRequest", 400);
    expectError(() -> sqs().sendMessageBatch(b -> b.queueUrl(canary).entries(IntStream.range(0, 11)
            .mapToObj(i -> SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("x").build()).toList())),
        TooManyEntriesInBatchRequestException.class, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400);
    expectError(() -> sqs().sendMessageBatch(b -> b.queueUrl(canary).entries(ok, ok.toBuilder().messageBody("y").build())),
        BatchEntryIdsNotDistinctException.class, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400);
    for (String id : List.of("bad id", "bad.id", "ü", "i".repeat(81), "")) {
      expectError(() -> sqs().sendMessageBatch(b -> b.queueUrl(canary).entries(ok, ok.toBuilder().id(id).build())),
          InvalidBatchEntryIdException.class, "AWS.SimpleQueueService.InvalidBatchEntryId", 400);
    }
    String half = "h".repeat(600_000);
    expectError(() -> sqs().sendMessageBatch(b -> b.queueUrl(canary).entries(
            SendMessageBatchRequestEntry.builder().id("a").messageBody(half).build(),
            SendMessageBatchRequestEntry.builder().id("b").messageBody(half).build())),
        BatchRequestTooLongException.class, "AWS.SimpleQueueService.BatchRequestTooLong", 400);

    String handle = "AQAAAAAAAAABAAAAAAAAAAEAAAAAAAAAAQAAAAA";
    DeleteMessageBatchRequestEntry del = DeleteMessageBatchRequestEntry.builder().id("d").receiptHandle(handle).build();
    expectError(() -> sqs().deleteMessageBatch(b -> b.queueUrl(canary).entries(List.of())), EmptyBatchRequestException.class,
        "AWS.SimpleQueueService.EmptyBatchRequest", 400);
    expectError(() -> sqs().deleteMessageBatch(b -> b.queueUrl(canary).entries(IntStream.range(0, 11)
            .mapToObj(i -> del.toBuilder().id("d" + i).build()).toList())),
        TooManyEntriesInBatchRequestException.class, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400);
    expectError(() -> sqs().deleteMessageBatch(b -> b.queueUrl(canary).entries(del, del)),
        BatchEntryIdsNotDistinctException.class, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400);
    expectError(() -> sqs().deleteMessageBatch(b -> b.queueUrl(canary).entries(del.toBuilder().id("no!").build())),
        InvalidBatchEntryIdException.class, "AWS.SimpleQueueService.InvalidBatchEntryId", 400);

    ChangeMessageVisibilityBatchRequestEntry vis = ChangeMessageVisibilityBatchRequestEntry.builder().id("v").receiptHandle(handle)
        .visibilityTimeout(5).build();
    expectError(() -> sqs().changeMessageVisibilityBatch(b -> b.queueUrl(canary).entries(List.of())), EmptyBatchRequestException.class,
        "AWS.SimpleQueueService.EmptyBatchRequest", 400);
    expectError(() -> sqs().changeMessageVisibilityBatch(b -> b.queueUrl(canary).entries(IntStream.range(0, 11)
            .mapToObj(i -> vis.toBuilder().id("v" + i).build()).toList())),
        TooManyEntriesInBatchRequestException.class, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400);
    expectError(() -> sqs().changeMessageVisibilityBatch(b -> b.queueUrl(canary).entries(vis, vis)),
        BatchEntryIdsNotDistinctException.class, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400);
    expectError(() -> sqs().changeMessageVisibilityBatch(b -> b.queueUrl(canary).entries(vis.toBuilder().id("a b").build())),
        InvalidBatchEntryIdException.class, "AWS.SimpleQueueService.InvalidBatchEntryId", 400);
  }

  @Test
  void sendBatchReportsPerEntryFailuresNextToSuccesses() {
    String url = sqs().createQueue(b -> b.queueName("mixed")).queueUrl();
    Map<String, MessageAttributeValue> eleven = new LinkedHashMap<>();
    IntStream.range(0, 11).forEach(i -> eleven.put("a" + i, string("v")));
    SendMessageBatchResponse r = sqs().sendMessageBatch(b -> b.queueUrl(url).entries(
        SendMessageBatchRequestEntry.builder().id("ok1").messageBody("first").build(),
        SendMessageBatchRequestEntry.builder().id("badChars").messageBody("nul \u0000").build(),
        SendMessageBatchRequestEntry.builder().id("badDelay").messageBody("late").delaySeconds(901).build(),
        SendMessageBatchRequestEntry.builder().id("ok2").messageBody("second").delaySeconds(0).build(),
        SendMessageBatchRequestEntry.builder().id("empty").messageBody("").build(),
        SendMessageBatchRequestEntry.builder().id("attrs").messageBody("attrs").messageAttributes(eleven).build(),
        SendMessageBatchRequestEntry.builder().id("dedup").messageBody("dedup").messageDeduplicationId("d").build(),
        SendMessageBatchRequestEntry.builder().id("ok3").messageBody("third").build()));
    assertThat(r.successful()).extracting(e -> e.id()).containsExactly("ok1", "ok2", "ok3");
    assertThat(r.failed()).allSatisfy(f -> assertThat(f.senderFault()).isTrue());
    assertThat(r.failed().stream().collect(java.util.stream.Collectors.toMap(BatchResultErrorEntry::id, BatchResultErrorEntry::code)))
        .isEqualTo(Map.of(
            "badChars", "InvalidMessageContents",
            "badDelay", "InvalidParameterValue",
            "empty", "EmptyValue",
            "attrs", "InvalidParameterValue",
            "dedup", "InvalidParameterValue"));
    assertThat(r.failed()).allSatisfy(f -> assertThat(f.message()).isNotBlank());
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages().forEach(m -> bodies.add(m.body()));
    }
    assertThat(bodies).containsExactlyInAnyOrder("first", "second", "third");
  }

  @Test
  void deleteAndVisibilityBatchesReportPerEntryFailuresNextToSuccesses() {
    String other = sqs().createQueue(b -> b.queueName("other")).queueUrl();
    String url = sqs().createQueue(b -> b.queueName("mixed")).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(other).messageBody("elsewhere"));
    for (int i = 0; i < 4; i++) {
      int n = i;
      sqs().sendMessage(b -> b.queueUrl(url).messageBody("m" + n));
    }
    String foreign = sqs().receiveMessage(b -> b.queueUrl(other)).messages().get(0).receiptHandle();
    List<Message> got = sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(4)).messages();
    assertThat(got).hasSize(4);

    var deleted = sqs().deleteMessageBatch(b -> b.queueUrl(url).entries(
        DeleteMessageBatchRequestEntry.builder().id("good").receiptHandle(got.get(0).receiptHandle()).build(),
        DeleteMessageBatchRequestEntry.builder().id("garbage").receiptHandle("not-a-receipt-handle").build(),
        DeleteMessageBatchRequestEntry.builder().id("foreign").receiptHandle(foreign).build()));
    assertThat(deleted.successful()).extracting(e -> e.id()).containsExactly("good");
    assertThat(deleted.failed()).extracting(BatchResultErrorEntry::id, BatchResultErrorEntry::code, BatchResultErrorEntry::senderFault)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("garbage", "ReceiptHandleIsInvalid", true),
            org.assertj.core.groups.Tuple.tuple("foreign", "ReceiptHandleIsInvalid", true));

    var changed = sqs().changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(
        ChangeMessageVisibilityBatchRequestEntry.builder().id("good").receiptHandle(got.get(1).receiptHandle()).visibilityTimeout(0).build(),
        ChangeMessageVisibilityBatchRequestEntry.builder().id("garbage").receiptHandle("AAAA").visibilityTimeout(0).build(),
        ChangeMessageVisibilityBatchRequestEntry.builder().id("tooLong").receiptHandle(got.get(2).receiptHandle()).visibilityTimeout(43201).build(),
        ChangeMessageVisibilityBatchRequestEntry.builder().id("deleted").receiptHandle(got.get(0).receiptHandle()).visibilityTimeout(0).build()));
    assertThat(changed.successful()).extracting(e -> e.id()).containsExactly("good");
    assertThat(changed.failed()).extracting(BatchResultErrorEntry::id, BatchResultErrorEntry::code)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("garbage", "ReceiptHandleIsInvalid"),
            org.assertj.core.groups.Tuple.tuple("tooLong", "InvalidParameterValue"),
            org.assertj.core.groups.Tuple.tuple("deleted", "InvalidParameterValue"));

    // m1 is visible again, m2 and m3 still in flight, m0 gone; the other queue's message untouched.
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages())
        .extracting(Message::body).containsExactly("m1");
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(other).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes()).containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "1");
  }

  // ---- receipt handles

  @Test
  void deleteMessageWithGarbageOrForeignReceiptHandles() {
    String other = sqs().createQueue(b -> b.queueName("other")).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(other).messageBody("elsewhere"));
    String foreign = sqs().receiveMessage(b -> b.queueUrl(other)).messages().get(0).receiptHandle();
    for (String garbage : List.of("garbage", "AQAAAAAAAAABAAAAAAAAAAEAAAAAAAAAAQAAAAA", "%%%", foreign.substring(0, foreign.length() - 2),
        flipped(foreign, 10), flipped(foreign, foreign.length() / 2), "x".repeat(2000))) {
      expectError(() -> sqs().deleteMessage(b -> b.queueUrl(canary).receiptHandle(garbage)),
          ReceiptHandleIsInvalidException.class, "ReceiptHandleIsInvalid", 404);
    }
    expectError(() -> sqs().deleteMessage(b -> b.queueUrl(canary).receiptHandle(foreign)),
        ReceiptHandleIsInvalidException.class, "ReceiptHandleIsInvalid", 404);
    expectError(() -> sqs().changeMessageVisibility(b -> b.queueUrl(canary).receiptHandle(foreign).visibilityTimeout(0)),
        ReceiptHandleIsInvalidException.class, "ReceiptHandleIsInvalid", 404);
    missingParameter(() -> sqs().deleteMessage(b -> b.queueUrl(canary)));
    // The message the foreign handle belongs to is still in flight on its own queue.
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(other).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes()).containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "1");
    sqs().deleteMessage(b -> b.queueUrl(other).receiptHandle(foreign));
  }

  @Test
  void changeVisibilityOfAMessageWhoseTimeoutRanOut() {
    String url = sqs().createQueue(b -> b.queueName("vis")).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("m"));
    String handle = sqs().receiveMessage(b -> b.queueUrl(url).visibilityTimeout(5)).messages().get(0).receiptHandle();
    server.advance(Duration.ofSeconds(6));
    // Not in flight any more, yet SQS accepts the change and hides the message anew.
    sqs().changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(handle).visibilityTimeout(10));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url)).messages()).isEmpty();
    invalidParameter(() -> sqs().changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(handle).visibilityTimeout(43201)));
    server.advance(Duration.ofSeconds(11));

    // Once deleted, the handle names no message at all.
    String again = sqs().receiveMessage(b -> b.queueUrl(url)).messages().get(0).receiptHandle();
    sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(again));
    invalidParameter(() -> sqs().changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(again).visibilityTimeout(10)));
    // Deleting twice is fine, as on SQS.
    sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(again));
  }

  // ---- raw HTTP: what no SDK sends

  @Test
  void malformedJsonBodiesAreSerializationErrors() throws Exception {
    for (String body : List.of("{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": ", "{{", "[1, 2]", "\"just a string\"", "null", "42",
        "{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": \"x\"} trailing")) {
      HttpResponse<String> r = postJson("AmazonSQS.SendMessage", body);
      assertThat(r.statusCode()).as("status for %s", body).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
      assertThat(new io.vertx.core.json.JsonObject(r.body()).getString("__type")).as(r.body()).endsWith("SerializationException");
    }
    // Invalid UTF-8 is no JSON either.
    HttpResponse<String> r = post(Map.of("X-Amz-Target", "AmazonSQS.SendMessage", "Content-Type", "application/x-amz-json-1.0"),
        HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}));
    assertThat(r.statusCode()).isBetween(400, 499);
  }

  @Test
  void wronglyTypedJsonMembersAre4xx() throws Exception {
    for (String body : List.of(
        "{\"QueueUrl\": {\"nested\": true}, \"MessageBody\": \"x\"}",
        "{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": [\"x\"]}",
        "{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": \"x\", \"DelaySeconds\": \"soon\"}",
        "{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": \"x\", \"DelaySeconds\": 1.5}",
        "{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": \"x\", \"DelaySeconds\": 99999999999999999999}",
        "{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": \"x\", \"MessageAttributes\": [1]}",
        "{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": \"x\", \"MessageAttributes\": {\"a\": \"b\"}}",
        "{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": \"x\", \"MessageAttributes\": {\"a\": {\"DataType\": 5, \"StringValue\": \"v\"}}}",
        "{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": \"x\", \"MessageAttributes\": {\"a\": {\"DataType\": \"Binary\", \"BinaryValue\": \"%%%\"}}}")) {
      HttpResponse<String> r = postJson("AmazonSQS.SendMessage", body);
      assertThat(r.statusCode()).as("status for %s: %s", body, r.body()).isBetween(400, 499);
      assertThat(new io.vertx.core.json.JsonObject(r.body()).getString("__type")).isNotBlank();
    }
    HttpResponse<String> r = postJson("AmazonSQS.SendMessageBatch", "{\"QueueUrl\": \"" + canary + "\", \"Entries\": {\"Id\": \"a\"}}");
    assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
    r = postJson("AmazonSQS.SendMessageBatch", "{\"QueueUrl\": \"" + canary + "\", \"Entries\": [\"a\", 1]}");
    assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
  }

  @Test
  void loneSurrogatesInJsonEscapesAreInvalidContents() throws Exception {
    for (String escaped : List.of("\\ud800", "a\\udc00b", "\\ufffe", "\\u0000")) {
      HttpResponse<String> r = postJson("AmazonSQS.SendMessage", "{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": \"" + escaped + "\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(new io.vertx.core.json.JsonObject(r.body()).getString("__type")).isEqualTo("com.amazonaws.sqs#InvalidMessageContents");
      assertThat(r.headers().firstValue("x-amzn-query-error")).hasValue("InvalidMessageContents;Sender");
    }
  }

  @Test
  void unknownTargetOperations() throws Exception {
    for (String target : List.of("AmazonSQS.FlyToTheMoon", "AmazonSQS.", "AmazonSQS.sendmessage", "DynamoDB_20120810.ListTables", "")) {
      HttpResponse<String> r = postJson(target, "{}");
      assertThat(r.statusCode()).as("status for %s", target).isEqualTo(400);
      var json = new io.vertx.core.json.JsonObject(r.body());
      assertThat(json.getString("__type")).as(r.body()).endsWith("UnknownOperationException");
      assertThat(r.headers().firstValue("x-amzn-query-error")).hasValue("InvalidAction;Sender");
    }
  }

  @Test
  void oversizedHttpBodiesAre413AndTheServerKeepsServing() throws Exception {
    int nineMib = 9 * 1024 * 1024;
    String json = "{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": \"" + "o".repeat(nineMib) + "\"}";
    HttpResponse<String> declared = postJson("AmazonSQS.SendMessage", json);
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(new io.vertx.core.json.JsonObject(declared.body()).getString("__type")).endsWith("RequestEntityTooLarge");

    // Without a Content-Length (chunked), the cap applies as the body streams in.
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> chunked = post(Map.of("X-Amz-Target", "AmazonSQS.SendMessage", "Content-Type", "application/x-amz-json-1.0"),
        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
    assertThat(chunked.statusCode()).isEqualTo(413);

    // Query requests get the same cap.
    String form = "Action=SendMessage&Version=2012-11-05&QueueUrl=" + java.net.URLEncoder.encode(canary, StandardCharsets.UTF_8)
        + "&MessageBody=" + "o".repeat(nineMib);
    HttpResponse<String> query = post(Map.of("Content-Type", "application/x-www-form-urlencoded"), HttpRequest.BodyPublishers.ofString(form));
    assertThat(query.statusCode()).isEqualTo(413);
    assertThat(query.body()).contains("<Code>RequestEntityTooLarge</Code>");

    // A fresh connection and the existing SDK connection both still work.
    assertThat(postJson("AmazonSQS.ListQueues", "{}").statusCode()).isEqualTo(200);
    assertThat(sqs().listQueues().queueUrls()).contains(canary);
  }

  @Test
  void anEmptyJsonBodyIsAnEmptyInput() throws Exception {
    HttpResponse<String> r = postJson("AmazonSQS.SendMessage", "");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("x-amzn-query-error")).hasValue("MissingParameter;Sender");
    r = postJson("AmazonSQS.ListQueues", "");
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void manyBadRequestsInARowLeaveTheServerHealthy() throws Exception {
    for (int i = 0; i < 50; i++) {
      assertThat(postJson("AmazonSQS.SendMessage", "{\"QueueUrl\": \"" + canary + "\", \"MessageBody\": \"\\u0000\"}").statusCode())
          .isEqualTo(400);
      assertThat(postJson("AmazonSQS.SendMessage", "{oops").statusCode()).isEqualTo(400);
    }
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.endpoint().resolve("/_eventplane/health")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  /** The handle with one character changed, so its checksum no longer matches. */
  private static String flipped(String handle, int at) {
    char c = handle.charAt(at);
    return handle.substring(0, at) + (c == 'Q' ? 'R' : 'Q') + handle.substring(at + 1);
  }
}
