package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eventplane.server.AwsCli;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's AWS CLI commands, run by the real `aws` command against a real server. */
class AwsCliTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  @BeforeAll
  static void cliPresent() throws Exception {
    assumeTrue(AwsCli.present(), "the aws command is not on the PATH");
  }

  private record Result(int exitCode, String out, String err) {}

  private static Result run(List<String> command) throws IOException, InterruptedException {
    AwsCli.Result r = AwsCli.run(command, 60);
    return new Result(r.exitCode(), r.out(), r.err());
  }

  private JsonObject aws(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("aws", "--endpoint-url", server.endpoint().toString(), "--output", "json"));
    cmd.addAll(List.of(args));
    Result r = run(cmd);
    assertThat(r.exitCode).as("aws %s failed: %s", String.join(" ", args), r.err).isZero();
    return r.out.isBlank() ? new JsonObject() : new JsonObject(r.out);
  }

  @Test
  void readmeLambdaCommandsWork(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String jar = System.getProperty("eventplane.examples.jar", "../examples/target/eventplane-examples.jar");
    JsonObject role = aws("iam", "create-role", "--role-name", "lambda-role", "--assume-role-policy-document",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
            + "\"Action\":\"sts:AssumeRole\"}]}");
    assertThat(role.getJsonObject("Role").getString("Arn")).isEqualTo("arn:aws:iam::000000000000:role/lambda-role");
    aws("iam", "attach-role-policy", "--role-name", "lambda-role", "--policy-arn",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
    assertThat(aws("iam", "list-attached-role-policies", "--role-name", "lambda-role").getJsonArray("AttachedPolicies"))
        .hasSize(1);
    JsonObject created = aws("lambda", "create-function", "--function-name", "diagnostics", "--runtime", "java17",
        "--handler", "io.eventplane.examples.Diagnostics::handleRequest", "--timeout", "10",
        "--role", "arn:aws:iam::000000000000:role/lambda-role", "--zip-file", "fileb://" + jar);
    assertThat(created.getString("FunctionArn")).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:diagnostics");
    // AWS answers a create with the function Pending (it was "Active" here before); reads show it Active.
    assertThat(created.getString("State")).isEqualTo("Pending");
    assertThat(aws("lambda", "get-function-configuration", "--function-name", "diagnostics").getString("State"))
        .isEqualTo("Active");
    java.nio.file.Path out = dir.resolve("response.json");
    JsonObject invoked = aws("lambda", "invoke", "--function-name", "diagnostics", "--payload", "{\"log\":\"hello from the CLI\"}",
        "--log-type", "Tail", out.toString());
    assertThat(invoked.getInteger("StatusCode")).isEqualTo(200);
    assertThat(new String(java.util.Base64.getDecoder().decode(invoked.getString("LogResult")), StandardCharsets.UTF_8))
        .contains("hello from the CLI");
    assertThat(new JsonObject(java.nio.file.Files.readString(out)).getString("functionName")).isEqualTo("diagnostics");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
        aws("logs", "filter-log-events", "--log-group-name", "/aws/lambda/diagnostics", "--filter-pattern",
            "\"hello from the CLI\"").getJsonArray("events").size() == 1);
    String stream = aws("logs", "describe-log-streams", "--log-group-name", "/aws/lambda/diagnostics")
        .getJsonArray("logStreams").getJsonObject(0).getString("logStreamName");
    assertThat(aws("logs", "get-log-events", "--log-group-name", "/aws/lambda/diagnostics", "--log-stream-name", stream,
        "--start-from-head").getJsonArray("events").getJsonObject(0).getString("message")).startsWith("START RequestId: ");
    JsonObject event = aws("lambda", "invoke", "--function-name", "diagnostics", "--invocation-type", "Event",
        "--payload", "{\"fail\":\"try again\"}", dir.resolve("event.json").toString());
    assertThat(event.getInteger("StatusCode")).isEqualTo(202);
    assertThat(aws("lambda", "publish-version", "--function-name", "diagnostics").getString("Version")).isEqualTo("1");
    assertThat(aws("lambda", "create-alias", "--function-name", "diagnostics", "--name", "live", "--function-version", "1")
        .getString("AliasArn")).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:diagnostics:live");
    assertThat(aws("lambda", "invoke", "--function-name", "diagnostics", "--qualifier", "live", "--payload", "{}",
        dir.resolve("live.json").toString()).getString("ExecutedVersion")).isEqualTo("1");
    aws("sns", "create-topic", "--name", "orders-events");
    String sub = aws("sns", "subscribe", "--topic-arn", "arn:aws:sns:us-east-1:000000000000:orders-events",
        "--protocol", "lambda", "--notification-endpoint", "arn:aws:lambda:us-east-1:000000000000:function:diagnostics")
        .getString("SubscriptionArn");
    assertThat(sub).startsWith("arn:aws:sns:us-east-1:000000000000:orders-events:");
    aws("sqs", "create-queue", "--queue-name", "orders");
    aws("sqs", "create-queue", "--queue-name", "orders-dlq");
    JsonObject mapping = aws("lambda", "create-event-source-mapping", "--function-name", "diagnostics",
        "--event-source-arn", "arn:aws:sqs:us-east-1:000000000000:orders", "--batch-size", "10",
        "--function-response-types", "ReportBatchItemFailures");
    assertThat(mapping.getString("UUID")).isNotBlank();
    JsonObject invokeConfig = aws("lambda", "put-function-event-invoke-config", "--function-name", "diagnostics",
        "--maximum-retry-attempts", "1", "--destination-config",
        "{\"OnFailure\":{\"Destination\":\"arn:aws:sqs:us-east-1:000000000000:orders-dlq\"}}");
    assertThat(invokeConfig.getInteger("MaximumRetryAttempts")).isEqualTo(1);
    Result missing = run(List.of("aws", "--endpoint-url", server.endpoint().toString(), "lambda", "get-function",
        "--function-name", "missing"));
    assertThat(missing.exitCode).isNotZero();
    assertThat(missing.err).contains("ResourceNotFoundException");
  }

  @Test
  void readmeCommandsWork() throws Exception {
    assertThat(aws("sts", "get-caller-identity").getString("Account")).isEqualTo("000000000000");
    String url = aws("sqs", "create-queue", "--queue-name", "orders").getString("QueueUrl");
    assertThat(url).endsWith("/000000000000/orders");
    String id = aws("sqs", "send-message", "--queue-url", url, "--message-body", "hi").getString("MessageId");
    JsonObject received = aws("sqs", "receive-message", "--queue-url", url);
    assertThat(received.getJsonArray("Messages").getJsonObject(0).getString("MessageId")).isEqualTo(id);
    assertThat(received.getJsonArray("Messages").getJsonObject(0).getString("Body")).isEqualTo("hi");

    aws("sqs", "create-queue", "--queue-name", "orders-dlq");
    aws("sqs", "set-queue-attributes", "--queue-url", url, "--attributes",
        "{\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":\\\"arn:aws:sqs:us-east-1:000000000000:orders-dlq\\\",\\\"maxReceiveCount\\\":\\\"3\\\"}\"}");
    assertThat(aws("sqs", "start-message-move-task", "--source-arn", "arn:aws:sqs:us-east-1:000000000000:orders-dlq")
        .getString("TaskHandle")).isNotBlank();

    String fifo = aws("sqs", "create-queue", "--queue-name", "payments.fifo", "--attributes",
        "FifoQueue=true,ContentBasedDeduplication=true").getString("QueueUrl");
    assertThat(aws("sqs", "send-message", "--queue-url", fifo, "--message-body", "p1", "--message-group-id", "customer-1")
        .getString("SequenceNumber")).isNotBlank();
  }

  @Test
  void readmeSnsCommandsWork() throws Exception {
    String topic = aws("sns", "create-topic", "--name", "orders-events").getString("TopicArn");
    assertThat(topic).isEqualTo("arn:aws:sns:us-east-1:000000000000:orders-events");
    String url = aws("sqs", "create-queue", "--queue-name", "billing").getString("QueueUrl");
    String sub = aws("sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs",
        "--notification-endpoint", "arn:aws:sqs:us-east-1:000000000000:billing",
        "--attributes", "RawMessageDelivery=true").getString("SubscriptionArn");
    assertThat(sub).startsWith(topic + ":");
    aws("sns", "set-subscription-attributes", "--subscription-arn", sub, "--attribute-name", "FilterPolicy",
        "--attribute-value", "{\"kind\":[\"order\"]}");
    String id = aws("sns", "publish", "--topic-arn", topic, "--message", "order 42",
        "--message-attributes", "{\"kind\":{\"DataType\":\"String\",\"StringValue\":\"order\"}}").getString("MessageId");
    assertThat(id).isNotBlank();
    JsonObject received = new JsonObject();
    for (int i = 0; i < 50 && !received.containsKey("Messages"); i++) {
      received = aws("sqs", "receive-message", "--queue-url", url, "--wait-time-seconds", "1");
    }
    assertThat(received.getJsonArray("Messages").getJsonObject(0).getString("Body")).isEqualTo("order 42");
    assertThat(aws("sns", "list-subscriptions-by-topic", "--topic-arn", topic).getJsonArray("Subscriptions")).hasSize(1);
    Result missing = run(List.of("aws", "--endpoint-url", server.endpoint().toString(), "sns", "get-topic-attributes",
        "--topic-arn", "arn:aws:sns:us-east-1:000000000000:missing"));
    assertThat(missing.exitCode).isNotZero();
    assertThat(missing.err).contains("(NotFound)");
  }

  @Test
  void cliSeesAwsErrorCodes() throws Exception {
    Result r = run(List.of("aws", "--endpoint-url", server.endpoint().toString(), "sqs", "get-queue-url", "--queue-name", "missing"));
    assertThat(r.exitCode).isNotZero();
    // botocore is query-compatible for SQS: it reports the legacy code from x-amzn-query-error, as against AWS.
    assertThat(r.err).contains("(AWS.SimpleQueueService.NonExistentQueue)");
  }
}
