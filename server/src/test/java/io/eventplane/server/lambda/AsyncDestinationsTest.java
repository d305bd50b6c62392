package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.model.Message;

/** Event invoke configs: retries, destinations and the invocation records Lambda sends them. */
class AsyncDestinationsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private LambdaClient lambda() {
    return server.lambda();
  }

  private JsonObject one(String queue) {
    String url = server.sqs().getQueueUrl(b -> b.queueName(queue)).queueUrl();
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      got.addAll(server.sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages());
      return !got.isEmpty();
    });
    return new JsonObject(got.get(0).body());
  }

  private String eventInvoke(String function, String payload) {
    return lambda().invoke(b -> b.functionName(function).invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromUtf8String(payload))).responseMetadata().requestId();
  }

  @Test
  void recordsGoToTheDestinationsAsLambdaWritesThem() throws Exception {
    server.sqs().createQueue(b -> b.queueName("successes"));
    server.sqs().createQueue(b -> b.queueName("failures"));
    String arn = Functions.create(lambda(), "dest", Functions.DIAGNOSTICS).functionArn();
    var config = lambda().putFunctionEventInvokeConfig(b -> b.functionName("dest").maximumRetryAttempts(0)
        .destinationConfig(d -> d.onSuccess(s -> s.destination("arn:aws:sqs:us-east-1:000000000000:successes"))
            .onFailure(f -> f.destination("arn:aws:sqs:us-east-1:000000000000:failures"))));
    assertThat(config.functionArn()).isEqualTo(arn + ":$LATEST");
    assertThat(config.maximumRetryAttempts()).isZero();

    String ok = eventInvoke("dest", "{\"log\":\"fine\"}");
    JsonObject success = one("successes");
    assertThat(success.getString("version")).isEqualTo("1.0");
    assertThat(success.getJsonObject("requestContext").getString("requestId")).isEqualTo(ok);
    assertThat(success.getJsonObject("requestContext").getString("condition")).isEqualTo("Success");
    assertThat(success.getJsonObject("requestContext").getString("functionArn")).isEqualTo(arn + ":$LATEST");
    assertThat(success.getJsonObject("requestContext").getInteger("approximateInvokeCount")).isEqualTo(1);
    assertThat(success.getJsonObject("requestPayload").getString("log")).isEqualTo("fine");
    assertThat(success.getJsonObject("responseContext").getInteger("statusCode")).isEqualTo(200);
    assertThat(success.getJsonObject("responsePayload").getString("requestId")).isEqualTo(ok);

    String bad = eventInvoke("dest", "{\"fail\":\"no retries\",\"log\":\"only attempt\"}");
    JsonObject failure = one("failures");
    assertThat(failure.getJsonObject("requestContext").getString("requestId")).isEqualTo(bad);
    assertThat(failure.getJsonObject("requestContext").getString("condition")).isEqualTo("RetriesExhausted");
    assertThat(failure.getJsonObject("requestContext").getInteger("approximateInvokeCount")).isEqualTo(1);
    assertThat(failure.getJsonObject("responseContext").getString("functionError")).isEqualTo("Unhandled");
    assertThat(failure.getJsonObject("responsePayload").getString("errorMessage")).isEqualTo("no retries");
    // MaximumRetryAttempts 0: one attempt only.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(Functions.logText(server, "dest").split("only attempt", -1).length - 1).isEqualTo(1));
  }

  @Test
  void aFunctionCanBeTheDestination() {
    Functions.create(lambda(), "audit", Functions.DIAGNOSTICS);
    Functions.create(lambda(), "worker", Functions.DIAGNOSTICS);
    lambda().putFunctionEventInvokeConfig(b -> b.functionName("worker")
        .destinationConfig(d -> d.onSuccess(s -> s.destination("arn:aws:lambda:us-east-1:000000000000:function:audit"))));
    eventInvoke("worker", "{}");
    // Nothing else invokes audit: its invocation is the worker's success record.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Functions.logText(server, "audit")).contains("START"));
  }

  @Test
  void configsAreManagedWithLambdasRules() {
    Functions.create(lambda(), "cfg", Functions.DIAGNOSTICS);
    assertThatThrownBy(() -> lambda().getFunctionEventInvokeConfig(b -> b.functionName("cfg")))
        .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("doesn't have an EventInvokeConfig");
    lambda().putFunctionEventInvokeConfig(b -> b.functionName("cfg").maximumRetryAttempts(1).maximumEventAgeInSeconds(120));
    var updated = lambda().updateFunctionEventInvokeConfig(b -> b.functionName("cfg").maximumEventAgeInSeconds(300));
    assertThat(updated.maximumRetryAttempts()).isEqualTo(1);
    assertThat(updated.maximumEventAgeInSeconds()).isEqualTo(300);
    var replaced = lambda().putFunctionEventInvokeConfig(b -> b.functionName("cfg").maximumEventAgeInSeconds(600));
    assertThat(replaced.maximumRetryAttempts()).isNull();
    assertThat(lambda().listFunctionEventInvokeConfigs(b -> b.functionName("cfg")).functionEventInvokeConfigs()).hasSize(1);
    for (Runnable bad : List.<Runnable>of(
        () -> lambda().putFunctionEventInvokeConfig(b -> b.functionName("cfg").maximumRetryAttempts(3)),
        () -> lambda().putFunctionEventInvokeConfig(b -> b.functionName("cfg").maximumEventAgeInSeconds(59)),
        () -> lambda().putFunctionEventInvokeConfig(b -> b.functionName("cfg").maximumEventAgeInSeconds(21_601)),
        () -> lambda().putFunctionEventInvokeConfig(b -> b.functionName("cfg")
            .destinationConfig(d -> d.onFailure(f -> f.destination("arn:aws:s3:::bucket")))))) {
      assertThatThrownBy(bad::run).isInstanceOf(LambdaException.class)
          .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(400));
    }
    assertThat(lambda().getFunctionEventInvokeConfig(b -> b.functionName("cfg")).maximumEventAgeInSeconds()).isEqualTo(600);
    lambda().deleteFunctionEventInvokeConfig(b -> b.functionName("cfg"));
    assertThatThrownBy(() -> lambda().getFunctionEventInvokeConfig(b -> b.functionName("cfg")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> lambda().putFunctionEventInvokeConfig(b -> b.functionName("nope").maximumRetryAttempts(1)))
        .isInstanceOf(ResourceNotFoundException.class);
  }
}
