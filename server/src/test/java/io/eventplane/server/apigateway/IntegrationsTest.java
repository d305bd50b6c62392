package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.BadRequestException;
import software.amazon.awssdk.services.apigatewayv2.model.ConnectionType;
import software.amazon.awssdk.services.apigatewayv2.model.CreateIntegrationResponse;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.NotFoundException;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/** An HTTP API's integrations with the SDK v2 client: Lambda and HTTP proxies, service integrations, AWS's rules. */
class IntegrationsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();
  static final String LAMBDA = "arn:aws:lambda:us-east-1:000000000000:function:orders";
  static final String ROLE = "arn:aws:iam::000000000000:role/apigw";

  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private String apiId;

  @BeforeEach
  void api() {
    apiId = v2.createApi(b -> b.name("integrations").protocolType(ProtocolType.HTTP)).apiId();
  }

  @AfterEach
  void close() {
    v2.close();
  }

  @Test
  void aLambdaProxyIntegrationAnswersAsAws() {
    CreateIntegrationResponse i = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationUri(LAMBDA).payloadFormatVersion("2.0").timeoutInMillis(5000));
    assertThat(i.integrationId()).matches("[a-z0-9]{7}");
    assertThat(i.connectionType()).isEqualTo(ConnectionType.INTERNET);
    assertThat(i.integrationMethod()).isEqualTo("POST");
    assertThat(i.integrationType()).isEqualTo(IntegrationType.AWS_PROXY);
    assertThat(i.integrationUri()).isEqualTo(LAMBDA);
    assertThat(i.payloadFormatVersion()).isEqualTo("2.0");
    assertThat(i.timeoutInMillis()).isEqualTo(5000);
    assertThat(v2.getIntegration(b -> b.apiId(apiId).integrationId(i.integrationId())).integrationUri()).isEqualTo(LAMBDA);
    var updated = v2.updateIntegration(b -> b.apiId(apiId).integrationId(i.integrationId()).payloadFormatVersion("1.0"));
    assertThat(updated.payloadFormatVersion()).isEqualTo("1.0");
    assertThat(updated.timeoutInMillis()).isEqualTo(5000);
  }

  @Test
  void serviceIntegrationsKeepTheirRequestParameters() {
    Map<String, String> parameters = Map.of("QueueUrl", "$request.header.queueUrl", "MessageBody", "$request.body.message");
    var i = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationSubtype("SQS-SendMessage").credentialsArn(ROLE).requestParameters(parameters));
    assertThat(i.integrationSubtype()).isEqualTo("SQS-SendMessage");
    assertThat(i.requestParameters()).isEqualTo(parameters);
    assertThat(i.payloadFormatVersion()).isEqualTo("1.0");
    assertThat(i.credentialsArn()).isEqualTo(ROLE);
    assertThatThrownBy(() -> v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationSubtype("Kinesis-PutRecord").credentialsArn(ROLE).requestParameters(Map.of("StreamName", "s"))))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void anHttpProxyKeepsItsResponseParameters() {
    var i = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY)
        .integrationUri("https://example.com/orders").integrationMethod("GET")
        .responseParameters(Map.of("200", Map.of("append:header.x-from", "eventplane"))));
    assertThat(i.payloadFormatVersion()).isEqualTo("1.0");
    assertThat(i.responseParameters()).isEqualTo(Map.of("200", Map.of("append:header.x-from", "eventplane")));
  }

  @Test
  void awsRulesAreBadRequests() {
    assertThatThrownBy(() -> v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationUri(LAMBDA))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationUri(LAMBDA).payloadFormatVersion("2.0").timeoutInMillis(30001))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.MOCK)))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.getIntegration(b -> b.apiId(apiId).integrationId("abcdefg")))
        .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
            .isEqualTo("Invalid Integration identifier specified 000000000000:abcdefg"));
  }

  @Test
  void integrationsAreListedAndDeleted() {
    String a = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationUri(LAMBDA)
        .payloadFormatVersion("1.0")).integrationId();
    v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY).integrationUri(LAMBDA)
        .payloadFormatVersion("2.0"));
    assertThat(v2.getIntegrations(b -> b.apiId(apiId)).items()).hasSize(2);
    v2.deleteIntegration(b -> b.apiId(apiId).integrationId(a));
    assertThat(v2.getIntegrations(b -> b.apiId(apiId)).items()).hasSize(1);
  }
}
