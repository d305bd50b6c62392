package io.eventplane.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Functions in {@code GET /metrics} (summed over the nodes: the function's owner serves them):
 * invocations, errors, throttles, cold starts and durations of known invocations; the concurrent
 * executions while one runs; the asynchronous queue of a function that cannot run; and a topic's
 * notification to a function that throws, retried and sent to the function's dead-letter queue.
 */
class LambdaMetricsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static Map<String, String> function(String name) {
    return Map.of("account", "000000000000", "region", "us-east-1", "function", name);
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void invoke(LambdaClient lambda, String name, String payload) {
    lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String(payload)));
  }

  @Test
  void invocationsErrorsThrottlesColdStartsAndDurationsAreCounted() {
    LambdaClient lambda = server.lambda();
    String name = unique("metered-fn");
    Functions.create(lambda, name, Functions.DIAGNOSTICS);
    invoke(lambda, name, "{\"sleepMillis\":200}");
    invoke(lambda, name, "{}");
    invoke(lambda, name, "{\"fail\":\"on purpose\"}");
    lambda.putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(0));
    assertThatThrownBy(() -> invoke(lambda, name, "{}")).isInstanceOf(TooManyRequestsException.class);

    NodeScrapes scrapes = NodeScrapes.of(server);
    assertThat(scrapes.sum("eventplane_lambda_invocations_total", function(name))).isEqualTo(3);
    assertThat(scrapes.sum("eventplane_lambda_errors_total", function(name))).isEqualTo(1);
    assertThat(scrapes.sum("eventplane_lambda_throttles_total", function(name))).isEqualTo(1);
    // One instance served the three in turn.
    assertThat(scrapes.sum("eventplane_lambda_cold_starts_total", function(name))).isEqualTo(1);
    assertThat(scrapes.sum("eventplane_lambda_duration_seconds_count", function(name))).isEqualTo(3);
    assertThat(scrapes.sum("eventplane_lambda_duration_seconds_sum", function(name))).isGreaterThanOrEqualTo(0.2);
    assertThat(scrapes.sum("eventplane_lambda_concurrent_executions", function(name))).isZero();
    assertThat(scrapes.nodesWith("eventplane_lambda_concurrent_executions", function(name))).isEqualTo(1);
    assertThat(scrapes.sum("eventplane_lambda_async_events", function(name))).isZero();

    lambda.deleteFunction(b -> b.functionName(name));
    NodeScrapes after = NodeScrapes.of(server);
    assertThat(after.nodesWith("eventplane_lambda_concurrent_executions", function(name))).isZero();
    assertThat(after.sum("eventplane_lambda_invocations_total", function(name))).isEqualTo(3);
  }

  @Test
  void aRunningInvocationIsAConcurrentExecution() {
    LambdaClient lambda = server.lambda();
    String name = unique("metered-busy");
    Functions.create(lambda, name, Functions.DIAGNOSTICS);
    lambda.invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromUtf8String("{\"sleepMillis\":3000}")));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      NodeScrapes scrapes = NodeScrapes.of(server);
      assertThat(scrapes.sum("eventplane_lambda_concurrent_executions", function(name))).isEqualTo(1);
      assertThat(scrapes.sum("eventplane_lambda_async_events", function(name))).isEqualTo(1);
    });
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      NodeScrapes scrapes = NodeScrapes.of(server);
      assertThat(scrapes.sum("eventplane_lambda_concurrent_executions", function(name))).isZero();
      assertThat(scrapes.sum("eventplane_lambda_async_events", function(name))).isZero();
      assertThat(scrapes.sum("eventplane_lambda_invocations_total", function(name))).isEqualTo(1);
      assertThat(scrapes.sum("eventplane_lambda_errors_total", function(name))).isZero();
    });
  }

  @Test
  void eventsAFunctionCannotRunWaitInItsQueueAndAgeByTheClock() {
    LambdaClient lambda = server.lambda();
    String name = unique("metered-queued");
    Functions.create(lambda, name, Functions.DIAGNOSTICS);
    lambda.putFunctionConcurrency(b -> b.functionName(name).reservedConcurrentExecutions(0));
    for (int i = 0; i < 2; i++) {
      lambda.invoke(b -> b.functionName(name).invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{}")));
    }
    server.advance(Duration.ofSeconds(30));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      NodeScrapes scrapes = NodeScrapes.of(server);
      assertThat(scrapes.sum("eventplane_lambda_async_events", function(name))).isEqualTo(2);
      assertThat(scrapes.sum("eventplane_lambda_async_oldest_event_age_seconds", function(name))).isEqualTo(30);
      // Throttled attempts are retried without end while the concurrency is 0; none ran.
      assertThat(scrapes.sum("eventplane_lambda_throttles_total", function(name))).isPositive();
      assertThat(scrapes.sum("eventplane_lambda_invocations_total", function(name))).isZero();
    });
    lambda.deleteFunction(b -> b.functionName(name));
  }

  @Test
  void aNotificationToAFunctionThatThrowsIsRetriedAndDeadLettered() {
    LambdaClient lambda = server.lambda();
    String name = unique("metered-notifier");
    String dlqName = name + "-dlq";
    String dlq = server.sqs().createQueue(b -> b.queueName(dlqName)).queueUrl();
    String functionArn = Functions.create(lambda, name, "io.eventplane.examples.SnsNotifier::handleRequest").functionArn();
    lambda.updateFunctionConfiguration(b -> b.functionName(name)
        .deadLetterConfig(d -> d.targetArn("arn:aws:sqs:us-east-1:000000000000:" + dlqName)));
    String topicName = unique("metered-alerts");
    String topic = server.sns().createTopic(b -> b.name(topicName)).topicArn();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("lambda").endpoint(functionArn));
    server.sns().publish(b -> b.topicArn(topic).message("fail"));

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(server.sqs()
        .getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributesAsStrings()).containsEntry("ApproximateNumberOfMessages", "1"));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      NodeScrapes scrapes = NodeScrapes.of(server);
      // SNS handed the notification over (an Event invoke); the function failed it three times.
      assertThat(scrapes.sum("eventplane_sns_deliveries_total", Map.of("topic", topicName, "subscription", "lambda:" + name)))
          .isEqualTo(1);
      assertThat(scrapes.sum("eventplane_lambda_invocations_total", function(name))).isEqualTo(3);
      assertThat(scrapes.sum("eventplane_lambda_errors_total", function(name))).isEqualTo(3);
      assertThat(scrapes.sum("eventplane_lambda_async_events", function(name))).isZero();
      assertThat(scrapes.sum("eventplane_sqs_messages_sent_total", Map.of("queue", dlqName))).isEqualTo(1);
    });
  }
}
