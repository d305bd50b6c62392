package io.eventplane.apigateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Integration checks and AWS's defaults, as CreateIntegration and UpdateIntegration apply them. */
class IntegrationsTest {
  private static final String LAMBDA = "arn:aws:lambda:us-east-1:000000000000:function:f";
  private static final String ROLE = "arn:aws:iam::000000000000:role/r";

  private static JsonObject check(JsonObject i) {
    return Integrations.check(i, true);
  }

  private static void refused(JsonObject i, String messagePart) {
    assertThatThrownBy(() -> check(i)).isInstanceOfSatisfying(ServiceException.class, e -> {
      assertThat(e.error().code()).isEqualTo("BadRequestException");
      assertThat(e.error().message()).contains(messagePart);
    });
  }

  @Test
  void lambdaProxyGetsAwsDefaults() {
    JsonObject i = check(new JsonObject().put("IntegrationType", "AWS_PROXY").put("IntegrationUri", LAMBDA)
        .put("PayloadFormatVersion", "2.0"));
    assertThat(i.getString("ConnectionType")).isEqualTo("INTERNET");
    assertThat(i.getString("IntegrationMethod")).isEqualTo("POST");
    assertThat(i.getInteger("TimeoutInMillis")).isEqualTo(30000);
  }

  @Test
  void lambdaProxyNeedsAPayloadFormatVersionOf10Or20() {
    refused(new JsonObject().put("IntegrationType", "AWS_PROXY").put("IntegrationUri", LAMBDA), "PayloadFormatVersion");
    refused(new JsonObject().put("IntegrationType", "AWS_PROXY").put("IntegrationUri", LAMBDA).put("PayloadFormatVersion", "3.0"),
        "3.0");
  }

  @Test
  void httpProxyIsFormat10AndNeedsAMethodAndAUrl() {
    JsonObject i = check(new JsonObject().put("IntegrationType", "HTTP_PROXY").put("IntegrationUri", "https://example.com/x")
        .put("IntegrationMethod", "GET"));
    assertThat(i.getString("PayloadFormatVersion")).isEqualTo("1.0");
    refused(new JsonObject().put("IntegrationType", "HTTP_PROXY").put("IntegrationUri", "https://example.com/x"),
        "IntegrationMethod");
    check(new JsonObject().put("IntegrationType", "HTTP_PROXY").put("IntegrationUri", "https://example.com/{proxy}")
        .put("IntegrationMethod", "ANY"));
    check(new JsonObject().put("IntegrationType", "HTTP_PROXY").put("IntegrationUri", "http://${stageVariables.host}/items/{id}")
        .put("IntegrationMethod", "GET"));
    refused(new JsonObject().put("IntegrationType", "HTTP_PROXY").put("IntegrationUri", "ftp://x").put("IntegrationMethod", "GET"),
        "ftp://x");
    refused(new JsonObject().put("IntegrationType", "HTTP_PROXY").put("IntegrationUri", "https://example.com")
        .put("IntegrationMethod", "GET").put("PayloadFormatVersion", "2.0"), "2.0");
  }

  @Test
  void timeoutsAreFrom50To30000() {
    JsonObject base = new JsonObject().put("IntegrationType", "AWS_PROXY").put("IntegrationUri", LAMBDA).put("PayloadFormatVersion", "1.0");
    assertThat(check(base.copy().put("TimeoutInMillis", 50)).getInteger("TimeoutInMillis")).isEqualTo(50);
    assertThat(check(base.copy().put("TimeoutInMillis", 30000)).getInteger("TimeoutInMillis")).isEqualTo(30000);
    refused(base.copy().put("TimeoutInMillis", 49), "timeoutInMillis");
    refused(base.copy().put("TimeoutInMillis", 30001), "timeoutInMillis");
  }

  @Test
  void subtypesNeedTheirRequiredParametersAndNoOthers() {
    JsonObject sqs = new JsonObject().put("IntegrationType", "AWS_PROXY").put("IntegrationSubtype", "SQS-SendMessage")
        .put("CredentialsArn", ROLE)
        .put("RequestParameters", new JsonObject().put("QueueUrl", "$request.header.queue").put("MessageBody", "$request.body"));
    assertThat(check(sqs.copy()).getString("PayloadFormatVersion")).isEqualTo("1.0");
    JsonObject missing = sqs.copy();
    missing.put("RequestParameters", new JsonObject().put("QueueUrl", "q"));
    refused(missing, "MessageBody");
    JsonObject extra = sqs.copy();
    extra.getJsonObject("RequestParameters").put("StreamName", "s");
    refused(extra, "StreamName");
    refused(sqs.copy().put("IntegrationSubtype", "SQS-Nothing"), "SQS-Nothing");
    refused(sqs.copy().put("IntegrationUri", LAMBDA), "IntegrationUri");
    JsonObject noRole = sqs.copy();
    noRole.remove("CredentialsArn");
    refused(noRole, "CredentialsArn");
    JsonObject kinesis = new JsonObject().put("IntegrationType", "AWS_PROXY").put("IntegrationSubtype", "Kinesis-PutRecord")
        .put("CredentialsArn", ROLE).put("RequestParameters", new JsonObject().put("StreamName", "s").put("Data", "$request.body")
            .put("PartitionKey", "$request.header.key"));
    check(kinesis);
    JsonObject events = new JsonObject().put("IntegrationType", "AWS_PROXY").put("IntegrationSubtype", "EventBridge-PutEvents")
        .put("CredentialsArn", ROLE).put("RequestParameters", new JsonObject().put("Detail", "$request.body")
            .put("DetailType", "t").put("Source", "s").put("EventBusName", "b"));
    check(events);
  }

  @Test
  void onlyProxyIntegrationsForHttpApis() {
    refused(new JsonObject().put("IntegrationType", "MOCK"), "MOCK");
    refused(new JsonObject().put("IntegrationType", "NOPE"), "NOPE");
    refused(new JsonObject(), "integrationType");
  }
}
