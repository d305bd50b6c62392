package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Invoking the examples jar through the SDK: a worker JVM per instance, on the Runtime API. */
class InvokeTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private LambdaClient lambda() {
    return server.lambda();
  }

  private static JsonObject json(InvokeResponse r) {
    return new JsonObject(r.payload().asUtf8String());
  }

  private InvokeResponse invoke(String function, String payload) {
    return lambda().invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String(payload)));
  }

  @Test
  void runsTheHandlerWithItsContextAndKeepsTheInstanceWarm() throws Exception {
    Functions.create(lambda(), "diag", Functions.DIAGNOSTICS, 10, Map.of("GREETING", "hello"));
    InvokeResponse first = lambda().invoke(b -> b.functionName("diag").logType(LogType.TAIL)
        .payload(SdkBytes.fromUtf8String("{\"log\":\"first line\",\"env\":[\"GREETING\",\"AWS_LAMBDA_FUNCTION_NAME\",\"AWS_REGION\",\"_HANDLER\"]}")));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.functionError()).isNull();
    assertThat(first.executedVersion()).isEqualTo("$LATEST");
    JsonObject out = json(first);
    assertThat(out.getString("functionName")).isEqualTo("diag");
    assertThat(out.getString("functionArn")).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:diag");
    assertThat(out.getInteger("memoryLimitInMB")).isEqualTo(256);
    assertThat(out.getLong("remainingTimeInMillis")).isBetween(1L, 10_000L);
    assertThat(out.getString("logGroupName")).isEqualTo("/aws/lambda/diag");
    assertThat(out.getJsonObject("env").getMap()).containsEntry("GREETING", "hello")
        .containsEntry("AWS_LAMBDA_FUNCTION_NAME", "diag").containsEntry("AWS_REGION", "us-east-1")
        .containsEntry("_HANDLER", Functions.DIAGNOSTICS);
    // Heap sized from MemorySize (85% of 256 MB).
    assertThat(out.getLong("maxHeapMb")).isBetween(150L, 220L);
    String log = new String(Base64.getDecoder().decode(first.logResult()), StandardCharsets.UTF_8);
    assertThat(log).contains("START RequestId: " + out.getString("requestId") + " Version: $LATEST")
        .contains("first line").contains("END RequestId: " + out.getString("requestId"))
        .contains("REPORT RequestId: " + out.getString("requestId")).contains("Init Duration");

    InvokeResponse second = invoke("diag", "{}");
    assertThat(json(second).getInteger("invocationsOfThisInstance")).isEqualTo(2);
    assertThat(json(second).getLong("instanceStartedAt")).isEqualTo(out.getLong("instanceStartedAt"));
    assertThat(json(second).getString("requestId")).isNotEqualTo(out.getString("requestId"));

    // A configuration change starts new instances with the new settings.
    lambda().updateFunctionConfiguration(b -> b.functionName("diag").environment(e -> e.variables(Map.of("GREETING", "bye"))));
    JsonObject third = json(invoke("diag", "{\"env\":[\"GREETING\"]}"));
    assertThat(third.getJsonObject("env").getString("GREETING")).isEqualTo("bye");
    assertThat(third.getInteger("invocationsOfThisInstance")).isEqualTo(1);

    // The log stream of the instance is kept and readable through CloudWatch Logs.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logText("diag")).contains("first line"));
  }

  @Test
  void functionErrorsAreReportedAsAwsReportsThem() {
    Functions.create(lambda(), "errs", Functions.DIAGNOSTICS);
    InvokeResponse failed = invoke("errs", "{\"fail\":\"bad order 42\"}");
    assertThat(failed.statusCode()).isEqualTo(200);
    assertThat(failed.functionError()).isEqualTo("Unhandled");
    JsonObject error = json(failed);
    assertThat(error.getString("errorMessage")).isEqualTo("bad order 42");
    assertThat(error.getString("errorType")).isEqualTo("java.lang.IllegalStateException");
    assertThat(error.getJsonArray("stackTrace")).isNotEmpty();

    InvokeResponse crashed = invoke("errs", "{\"exit\":3}");
    assertThat(crashed.functionError()).isEqualTo("Unhandled");
    assertThat(json(crashed).getString("errorType")).isEqualTo("Runtime.ExitError");
    assertThat(json(crashed).getString("errorMessage")).contains("Runtime exited with error: exit status 3");
    // The crashed instance is replaced.
    assertThat(invoke("errs", "{}").functionError()).isNull();

    Functions.create(lambda(), "missing-class", "com.example.Nothing::handleRequest");
    InvokeResponse init = invoke("missing-class", "{}");
    assertThat(init.functionError()).isEqualTo("Unhandled");
    assertThat(json(init).getString("errorMessage")).contains("com.example.Nothing");
  }

  @Test
  void timeoutKillsTheInstance() {
    Functions.create(lambda(), "slow", Functions.DIAGNOSTICS, 1, Map.of());
    long started = System.nanoTime();
    InvokeResponse r = lambda().invoke(b -> b.functionName("slow").logType(LogType.TAIL)
        .payload(SdkBytes.fromUtf8String("{\"sleepMillis\":20000}")));
    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(r.functionError()).isEqualTo("Unhandled");
    assertThat(json(r).getString("errorType")).isEqualTo("Sandbox.Timedout");
    assertThat(json(r).getString("errorMessage")).contains("Task timed out after 1.00 seconds");
    assertThat(new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8)).contains("Task timed out after 1.00 seconds");
    assertThat(tookMillis).isLessThan(15_000);
    // The next invocation gets a fresh instance.
    JsonObject next = json(invoke("slow", "{}"));
    assertThat(next.getInteger("invocationsOfThisInstance")).isEqualTo(1);
  }

  @Test
  void streamAndEventHandlers() {
    Functions.create(lambda(), "upper", "io.eventplane.examples.UppercaseStream::handleRequest");
    assertThat(invoke("upper", "\"hello, world\"").payload().asUtf8String()).isEqualTo("\"HELLO, WORLD\"");

    Functions.create(lambda(), "orders", "io.eventplane.examples.OrderProcessor::handleRequest");
    String event = "{\"Records\":[{\"messageId\":\"m1\",\"body\":\"order 1\",\"eventSourceARN\":\"arn:aws:sqs:us-east-1:000000000000:q\"},"
        + "{\"messageId\":\"m2\",\"body\":\"poison\",\"eventSourceARN\":\"arn:aws:sqs:us-east-1:000000000000:q\"}]}";
    JsonObject response = json(invoke("orders", event));
    assertThat(response.getJsonArray("batchItemFailures").getJsonObject(0).getString("itemIdentifier")).isEqualTo("m2");
  }

  @Test
  void reservedConcurrencyThrottles() throws Exception {
    Functions.create(lambda(), "one-at-a-time", Functions.DIAGNOSTICS);
    lambda().putFunctionConcurrency(b -> b.functionName("one-at-a-time").reservedConcurrentExecutions(1));
    invoke("one-at-a-time", "{}");
    CompletableFuture<InvokeResponse> busy = CompletableFuture.supplyAsync(() -> invoke("one-at-a-time", "{\"sleepMillis\":3000}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> logText("one-at-a-time").split("START RequestId").length >= 3);
    assertThatThrownBy(() -> invoke("one-at-a-time", "{}"))
        .isInstanceOf(TooManyRequestsException.class)
        .satisfies(e -> {
          TooManyRequestsException t = (TooManyRequestsException) e;
          assertThat(t.statusCode()).isEqualTo(429);
          assertThat(t.reasonAsString()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
        });
    assertThat(busy.get().functionError()).isNull();

    lambda().putFunctionConcurrency(b -> b.functionName("one-at-a-time").reservedConcurrentExecutions(0));
    assertThatThrownBy(() -> invoke("one-at-a-time", "{}")).isInstanceOf(TooManyRequestsException.class);
  }

  @Test
  void instancesScaleOutForConcurrentInvocations() throws Exception {
    Functions.create(lambda(), "wide", Functions.DIAGNOSTICS);
    List<CompletableFuture<InvokeResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> invoke("wide", "{\"sleepMillis\":1500}")));
    }
    java.util.Set<Long> instances = new java.util.HashSet<>();
    for (CompletableFuture<InvokeResponse> c : calls) {
      InvokeResponse r = c.get();
      // Six workers starting together each load the runtime client's native library (they once crashed doing so).
      assertThat(r.functionError()).as(r.payload().asUtf8String()).isNull();
      instances.add(json(r).getLong("instanceStartedAt") * 1000 + json(r).getInteger("invocationsOfThisInstance"));
    }
    assertThat(calls).hasSize(6);
    assertThat(instances.size()).isGreaterThan(1);
  }

  @Test
  void dryRunAndBadPayloads() {
    Functions.create(lambda(), "checks", Functions.DIAGNOSTICS);
    InvokeResponse dry = lambda().invoke(b -> b.functionName("checks").invocationType(InvocationType.DRY_RUN));
    assertThat(dry.statusCode()).isEqualTo(204);
    assertThatThrownBy(() -> invoke("checks", "{not json"))
        .isInstanceOf(InvalidRequestContentException.class).hasMessageContaining("Could not parse request body into json");
    byte[] big = new byte[6_291_457];
    java.util.Arrays.fill(big, (byte) ' ');
    assertThatThrownBy(() -> lambda().invoke(b -> b.functionName("checks").payload(SdkBytes.fromByteArray(big))))
        .isInstanceOf(LambdaException.class)
        .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(413));
    byte[] asyncBig = ("\"" + "x".repeat(1_048_600) + "\"").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> lambda().invoke(b -> b.functionName("checks").invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromByteArray(asyncBig))))
        .isInstanceOf(LambdaException.class)
        .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(413));
    assertThatThrownBy(() -> invoke("nope", "{}")).isInstanceOf(LambdaException.class)
        .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(404));
  }

  @Test
  void eventInvocationsRetryTwiceThenGoToTheDeadLetterQueue() throws Exception {
    String dlqUrl = server.sqs().createQueue(b -> b.queueName("diag-dlq")).queueUrl();
    Functions.create(lambda(), "async", Functions.DIAGNOSTICS);
    lambda().updateFunctionConfiguration(b -> b.functionName("async")
        .deadLetterConfig(d -> d.targetArn("arn:aws:sqs:us-east-1:000000000000:diag-dlq")));
    InvokeResponse ok = lambda().invoke(b -> b.functionName("async").invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromUtf8String("{\"log\":\"async ok\"}")));
    assertThat(ok.statusCode()).isEqualTo(202);
    assertThat(ok.payload().asByteArray()).isEmpty();
    InvokeResponse bad = lambda().invoke(b -> b.functionName("async").invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromUtf8String("{\"fail\":\"always\",\"log\":\"attempt of the failing event\"}")));
    assertThat(bad.statusCode()).isEqualTo(202);
    List<Message> dead = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      dead.addAll(server.sqs().receiveMessage(b -> b.queueUrl(dlqUrl).messageAttributeNames("All").waitTimeSeconds(1)).messages());
      return !dead.isEmpty();
    });
    Message m = dead.get(0);
    assertThat(new JsonObject(m.body()).getString("fail")).isEqualTo("always");
    Map<String, MessageAttributeValue> attributes = m.messageAttributes();
    assertThat(attributes.get("ErrorCode").stringValue()).isEqualTo("200");
    assertThat(attributes.get("ErrorMessage").stringValue()).isEqualTo("always");
    assertThat(attributes.get("RequestID").stringValue()).isNotBlank();
    // One attempt and two retries.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      String log = logText("async");
      assertThat(log).contains("async ok");
      assertThat(log.split("attempt of the failing event", -1).length - 1).isEqualTo(3);
    });
  }

  static String logText(String function) {
    return Functions.logText(server, function);
  }
}
