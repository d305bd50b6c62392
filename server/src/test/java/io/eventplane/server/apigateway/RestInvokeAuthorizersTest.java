package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKeySourceType;
import software.amazon.awssdk.services.apigateway.model.AuthorizerType;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;

/**
 * Method authorization of REST APIs on invoke URLs: Lambda authorizers of type TOKEN and REQUEST (the
 * examples' {@code RestAuthorizer}, its verdict picked by the token) in front of {@code HttpEcho} (Lambda
 * proxy) and MOCK integrations; their IAM policies judged against the method ARN (explicit and implicit
 * denials answered apart), 401 for a missing identity source, a token failing the validation expression
 * or "Unauthorized" thrown, 500 AuthorizerConfigurationException for a failing or nonsensical authorizer;
 * the principal and context in the proxy event and in mapping templates; the result cache (each call's
 * context has a new nonce, so equal nonces mean one call) by the server's clock; API keys from the
 * authorizer (apiKeySource AUTHORIZER); AWS_IAM methods without a signature.
 */
class RestInvokeAuthorizersTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayClient apigw = RestApiClients.v1(server);
  private String echoUri;
  private String authorizerUri;
  private String apiId;
  private String root;

  @BeforeEach
  void setUp() {
    String echo = Functions.create(server.lambda(), "echo", "io.eventplane.examples.HttpEcho::handleRequest").functionArn();
    String auth = Functions.create(server.lambda(), "auth", "io.eventplane.examples.RestAuthorizer::handleRequest").functionArn();
    echoUri = Invocations.lambdaUri(echo);
    authorizerUri = Invocations.lambdaUri(auth);
  }

  @AfterEach
  void close() {
    apigw.close();
  }

  private void api(ApiKeySourceType keySource) {
    var api = apigw.createRestApi(b -> b.name("authorized").apiKeySource(keySource));
    apiId = api.id();
    root = api.rootResourceId();
  }

  private String tokenAuthorizer(int ttl, String validation) {
    return apigw.createAuthorizer(b -> b.restApiId(apiId).name("token" + ttl).type(AuthorizerType.TOKEN)
        .authorizerUri(authorizerUri).identitySource("method.request.header.Authorization")
        .identityValidationExpression(validation).authorizerResultTtlInSeconds(ttl)).id();
  }

  /** GET /{part} calling HttpEcho through the Lambda proxy integration, guarded by the authorizer. */
  private void echo(String part, String authorizerId) {
    String resource = apigw.createResource(b -> b.restApiId(apiId).parentId(root).pathPart(part)).id();
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(resource).httpMethod("GET").authorizationType("CUSTOM")
        .authorizerId(authorizerId));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(resource).httpMethod("GET").type(IntegrationType.AWS_PROXY)
        .integrationHttpMethod("POST").uri(echoUri));
  }

  /** GET /{part} answered by a MOCK integration whose response template renders {@code template}. */
  private void mock(String part, String authorizationType, String authorizerId, boolean keyRequired, String template) {
    String resource = apigw.createResource(b -> b.restApiId(apiId).parentId(root).pathPart(part)).id();
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(resource).httpMethod("GET").authorizationType(authorizationType)
        .authorizerId(authorizerId).apiKeyRequired(keyRequired));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(resource).httpMethod("GET").type(IntegrationType.MOCK)
        .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
    apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(resource).httpMethod("GET").statusCode("200"));
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(resource).httpMethod("GET").statusCode("200")
        .responseTemplates(Map.of("application/json", template)));
  }

  private void deploy() {
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("prod"));
  }

  private HttpResponse<byte[]> get(int node, String path, String... headers) throws Exception {
    List<String> all = new ArrayList<>(List.of("X-Echo-Mode", "proxy"));
    all.addAll(List.of(headers));
    return send(server.endpoint(node), apiId, "GET", path, null, all.toArray(String[]::new));
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    return get(0, path, headers);
  }

  private static JsonObject authorizerOf(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
    return new JsonObject(text(r)).getJsonObject("requestContext").getJsonObject("authorizer");
  }

  private static void refused(HttpResponse<byte[]> r, int status, String errorType, JsonObject body) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(status);
    assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue(errorType);
    assertThat(new JsonObject(text(r))).isEqualTo(body);
  }

  private static final JsonObject UNAUTHORIZED = new JsonObject().put("message", "Unauthorized");
  private static final JsonObject CONFIGURATION_ERROR = new JsonObject().putNull("message");

  @Test
  void tokenAuthorizerPoliciesAllowOrDenyAndItsFailuresAreAnsweredAsAws() throws Exception {
    api(ApiKeySourceType.HEADER);
    String token = tokenAuthorizer(0, "^[a-z-]+$");
    echo("pets", token);
    deploy();
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      JsonObject authorizer = authorizerOf(get(node, "/prod/pets", "Authorization", "allow"));
      assertThat(authorizer.getString("principalId")).isEqualTo("alice");
      // The context's values reach a REST API's proxy event as strings.
      assertThat(authorizer.getString("user")).isEqualTo("alice");
      assertThat(authorizer.getString("admin")).isEqualTo("true");
      assertThat(authorizer.getString("level")).isEqualTo("3");
      assertThat(authorizer.getValue("integrationLatency")).isInstanceOf(Number.class);
    }
    // Allowed on exactly the method ARN the authorizer was given.
    assertThat(authorizerOf(get("/prod/pets", "Authorization", "allow-exact")).getString("principalId")).isEqualTo("alice");
    refused(get("/prod/pets", "Authorization", "deny"), 403, "AccessDeniedException", new JsonObject()
        .put("Message", "User is not authorized to access this resource with an explicit deny in an identity-based policy"));
    refused(get("/prod/pets", "Authorization", "elsewhere"), 403, "AccessDeniedException",
        new JsonObject().put("Message", "User is not authorized to access this resource"));
    refused(get("/prod/pets"), 401, "UnauthorizedException", UNAUTHORIZED);
    refused(get("/prod/pets", "Authorization", "Not A Token!"), 401, "UnauthorizedException", UNAUTHORIZED);
    refused(get("/prod/pets", "Authorization", "unauthorized"), 401, "UnauthorizedException", UNAUTHORIZED);
    refused(get("/prod/pets", "Authorization", "fail"), 500, "AuthorizerConfigurationException", CONFIGURATION_ERROR);
    refused(get("/prod/pets", "Authorization", "nonsense"), 500, "AuthorizerConfigurationException", CONFIGURATION_ERROR);
    refused(get("/prod/pets", "Authorization", "nested"), 500, "AuthorizerConfigurationException", CONFIGURATION_ERROR);
  }

  @Test
  void requestAuthorizerNeedsEveryIdentitySourceAndItsContextReachesMappingTemplates() throws Exception {
    api(ApiKeySourceType.HEADER);
    String request = apigw.createAuthorizer(b -> b.restApiId(apiId).name("request").type(AuthorizerType.REQUEST)
        .authorizerUri(authorizerUri).identitySource("method.request.header.Authorization, method.request.querystring.tenant")
        .authorizerResultTtlInSeconds(0)).id();
    mock("report", "CUSTOM", request, false,
        "{\"principal\": \"$context.authorizer.principalId\", \"user\": \"$context.authorizer.user\", "
            + "\"level\": \"$context.authorizer.level\", \"tenant\": \"$input.params('tenant')\"}");
    echo("raw", request);
    deploy();

    HttpResponse<byte[]> allowed = get("/prod/report?tenant=t1", "Authorization", "allow-exact");
    assertThat(allowed.statusCode()).as(text(allowed)).isEqualTo(200);
    assertThat(new JsonObject(text(allowed))).isEqualTo(new JsonObject().put("principal", "alice").put("user", "alice")
        .put("level", "3").put("tenant", "t1"));
    refused(get("/prod/report", "Authorization", "allow"), 401, "UnauthorizedException", UNAUTHORIZED);
    refused(get("/prod/report?tenant=t1"), 401, "UnauthorizedException", UNAUTHORIZED);
    refused(get("/prod/report?tenant=", "Authorization", "allow"), 401, "UnauthorizedException", UNAUTHORIZED);
    refused(get("/prod/report?tenant=t1", "Authorization", "deny"), 403, "AccessDeniedException", new JsonObject()
        .put("Message", "User is not authorized to access this resource with an explicit deny in an identity-based policy"));
    // The Lambda proxy integration behind a REQUEST authorizer sees its principal and context.
    JsonObject raw = authorizerOf(get("/prod/raw?tenant=t2", "Authorization", "allow"));
    assertThat(raw.getString("principalId")).isEqualTo("alice");
    assertThat(raw.getString("user")).isEqualTo("alice");
  }

  @Test
  void aCachedPolicyDecidesTheApisOtherMethodsUntilItsTtlPasses() throws Exception {
    api(ApiKeySourceType.HEADER);
    String cached = tokenAuthorizer(300, null);
    echo("pets", cached);
    echo("owners", cached);
    deploy();
    String first = authorizerOf(get("/prod/pets", "Authorization", "allow")).getString("nonce");
    assertThat(authorizerOf(get("/prod/pets", "Authorization", "allow")).getString("nonce")).isEqualTo(first);
    assertThat(authorizerOf(get("/prod/owners", "Authorization", "allow")).getString("nonce")).isEqualTo(first);
    server.advance(Duration.ofSeconds(299));
    assertThat(authorizerOf(get("/prod/owners", "Authorization", "allow")).getString("nonce")).isEqualTo(first);
    server.advance(Duration.ofSeconds(1));
    String second = authorizerOf(get("/prod/pets", "Authorization", "allow")).getString("nonce");
    assertThat(second).isNotEqualTo(first);
    // A policy naming only /pets, cached, is judged again for /owners: no Allow matches there.
    String exact = authorizerOf(get("/prod/pets", "Authorization", "allow-exact")).getString("nonce");
    refused(get("/prod/owners", "Authorization", "allow-exact"), 403, "AccessDeniedException",
        new JsonObject().put("Message", "User is not authorized to access this resource"));
    assertThat(authorizerOf(get("/prod/pets", "Authorization", "allow-exact")).getString("nonce")).isEqualTo(exact);
    // A redeployment drops the API's cached answers (on every node, by the change notice).
    deploy();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(authorizerOf(get("/prod/pets", "Authorization", "allow")).getString("nonce")).isNotEqualTo(second));
  }

  @Test
  void withApiKeySourceAuthorizerTheKeyIsTheAuthorizersUsageIdentifierKey() throws Exception {
    api(ApiKeySourceType.AUTHORIZER);
    String token = tokenAuthorizer(0, null);
    mock("paid", "CUSTOM", token, true, "{\"key\": \"$context.identity.apiKeyId\", \"user\": \"$context.authorizer.user\"}");
    deploy();
    String plan = apigw.createUsagePlan(b -> b.name("plan").apiStages(s -> s.apiId(apiId).stage("prod"))).id();
    String keyId = apigw.createApiKey(b -> b.name("k").value("authorizer-key-0123456789ab").enabled(true)).id();
    apigw.createUsagePlanKey(b -> b.usagePlanId(plan).keyId(keyId).keyType("API_KEY"));

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<byte[]> paid = get("/prod/paid", "Authorization", "key-authorizer-key-0123456789ab");
      assertThat(paid.statusCode()).as(text(paid)).isEqualTo(200);
      assertThat(new JsonObject(text(paid))).isEqualTo(new JsonObject().put("key", keyId).put("user", "alice"));
    });
    // No usageIdentifierKey, or an unknown one: Forbidden, whatever x-api-key says.
    JsonObject forbidden = new JsonObject().put("message", "Forbidden");
    refused(get("/prod/paid", "Authorization", "allow", "x-api-key", "authorizer-key-0123456789ab"), 403,
        "ForbiddenException", forbidden);
    refused(get("/prod/paid", "Authorization", "key-unknown-key-0123456789abc"), 403, "ForbiddenException", forbidden);
  }

  @Test
  void awsIamMethodsWantASignatureAndCognitoOnesAreNotServed() throws Exception {
    api(ApiKeySourceType.HEADER);
    mock("signed", "AWS_IAM", null, false,
        "{\"accessKey\": \"$context.identity.accessKey\", \"userArn\": \"$context.identity.userArn\"}");
    String cognito = apigw.createAuthorizer(b -> b.restApiId(apiId).name("pool").type(AuthorizerType.COGNITO_USER_POOLS)
        .providerARNs("arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc")
        .identitySource("method.request.header.Authorization")).id();
    mock("pooled", "COGNITO_USER_POOLS", cognito, false, "{}");
    deploy();

    refused(get("/prod/signed"), 403, "MissingAuthenticationTokenException",
        new JsonObject().put("message", "Missing Authentication Token"));
    HttpResponse<byte[]> signed = get("/prod/signed", "Authorization", "AWS4-HMAC-SHA256 "
        + "Credential=AKIDEXAMPLE/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00");
    assertThat(signed.statusCode()).as(text(signed)).isEqualTo(200);
    assertThat(new JsonObject(text(signed))).isEqualTo(new JsonObject().put("accessKey", "AKIDEXAMPLE")
        .put("userArn", "arn:aws:iam::000000000000:root"));
    // There is no Cognito here: such methods answer 500 (and the docs say so).
    refused(get("/prod/pooled", "Authorization", "eyJ.x.y"), 500, "InternalServerErrorException",
        new JsonObject().put("message", "Internal server error"));
  }
}
