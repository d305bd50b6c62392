package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizationType;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/**
 * Routes with AuthorizationType AWS_IAM until signatures are verified (issue 17): an unsigned
 * request gets 403 {@code {"message":"Missing Authentication Token"}}, one with a SigV4
 * Authorization header or presigned query passes, the integration seeing the signer's access key
 * and account ({@code requestContext.authorizer.iam} in payload 2.0, {@code requestContext.identity}
 * in 1.0).
 */
class InvokeIamAuthorizationTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String SIGNED = "AWS4-HMAC-SHA256 Credential=123456789012/20260101/us-east-1/execute-api/aws4_request, "
      + "SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";
  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private String apiId;

  @BeforeEach
  void api() {
    String echo = Functions.create(server.lambda(), "echo", "io.eventplane.examples.HttpEcho::handleRequest").functionArn();
    apiId = v2.createApi(b -> b.name("iam").protocolType(ProtocolType.HTTP)).apiId();
    for (String version : new String[] {"2.0", "1.0"}) {
      String integration = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
          .integrationUri(echo).payloadFormatVersion(version)).integrationId();
      v2.createRoute(b -> b.apiId(apiId).routeKey("GET /v" + version).target("integrations/" + integration)
          .authorizationType(AuthorizationType.AWS_IAM));
    }
    v2.createStage(b -> b.apiId(apiId).stageName("$default").autoDeploy(true));
  }

  @AfterEach
  void close() {
    v2.close();
  }

  @Test
  void unsignedRequestsAreRefused() throws Exception {
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      HttpResponse<byte[]> r = send(server.endpoint(node), apiId, "GET", "/v2.0", null);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(new JsonObject(text(r))).isEqualTo(new JsonObject().put("message", "Missing Authentication Token"));
    }
    // A bearer token is no signature.
    assertThat(send(server.endpoint(), apiId, "GET", "/v2.0", null, "Authorization", "Bearer abc").statusCode()).isEqualTo(403);
    assertThat(send(server.endpoint(), apiId, "GET", "/v2.0", null, "Authorization", "AWS4-HMAC-SHA256 Signature=x")
        .statusCode()).isEqualTo(403);
  }

  @Test
  void signedRequestsPassWithTheSignersIdentity() throws Exception {
    HttpResponse<byte[]> r = send(server.endpoint(), apiId, "GET", "/v2.0", null, "Authorization", SIGNED);
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    JsonObject iam = new JsonObject(text(r)).getJsonObject("requestContext").getJsonObject("authorizer").getJsonObject("iam");
    assertThat(iam.getString("accessKey")).isEqualTo("123456789012");
    assertThat(iam.getString("accountId")).isEqualTo("123456789012");
    assertThat(iam.getString("userArn")).isEqualTo("arn:aws:iam::123456789012:root");
    assertThat(iam.getString("userId")).isEqualTo("123456789012");

    HttpResponse<byte[]> v1 = send(server.endpoint(), apiId, "GET", "/v1.0", null, "Authorization",
        SIGNED.replace("123456789012", "AKIDEXAMPLE"), "x-echo-mode", "proxy");
    assertThat(v1.statusCode()).as(text(v1)).isEqualTo(201);
    JsonObject identity = new JsonObject(text(v1)).getJsonObject("requestContext").getJsonObject("identity");
    assertThat(identity.getString("accessKey")).isEqualTo("AKIDEXAMPLE");
    // A key that names no account is the configured account's.
    assertThat(identity.getString("accountId")).isEqualTo("000000000000");
    assertThat(identity.getString("sourceIp")).isEqualTo("127.0.0.1");

    HttpResponse<byte[]> presigned = send(server.endpoint(), apiId, "GET",
        "/v2.0?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260101%2Fus-east-1%2Fexecute-api%2Faws4_request"
            + "&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=abc", null);
    assertThat(presigned.statusCode()).as(text(presigned)).isEqualTo(200);
    assertThat(new JsonObject(text(presigned)).getJsonObject("requestContext").getJsonObject("authorizer")
        .getJsonObject("iam").getString("accessKey")).isEqualTo("AKIDEXAMPLE");
  }
}
