package io.eventplane.gateway.apigateway.invoke.access;

import static io.eventplane.gateway.apigateway.invoke.access.Requests.await;
import static io.eventplane.gateway.apigateway.invoke.access.Requests.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.time.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lambda REQUEST authorizers with a fake function standing in for the gateway's Lambda call: the
 * events it gets in both payload versions, simple and IAM-policy answers, 401 without a call when an
 * identity source is missing, 403 on denial, 500 on a failed or malformed answer, and the result
 * cache.
 */
class LambdaAuthorizerTest {
  private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:auth";
  private static final String URI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + FUNCTION
      + "/invocations";

  private MutableClock clock;
  private AuthorizerResultCache cache;
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    clock = new MutableClock(1_700_000_000_000L);
    cache = new AuthorizerResultCache(clock);
    events.clear();
  }

  private Function<JsonObject, Future<JsonObject>> answering(JsonObject answer) {
    return event -> {
      events.add(event);
      return Future.succeededFuture(answer);
    };
  }

  private static JsonObject authorizer(String version, boolean simple, int ttl, String... identitySources) {
    JsonObject json = new JsonObject().put("AuthorizerId", "auth1").put("AuthorizerType", "REQUEST")
        .put("AuthorizerUri", URI).put("AuthorizerPayloadFormatVersion", version)
        .put("AuthorizerResultTtlInSeconds", ttl).put("Name", "lambda-auth");
    if (simple) json.put("EnableSimpleResponses", true);
    if (identitySources.length > 0) json.put("IdentitySource", new JsonArray(List.of((Object[]) identitySources)));
    return json;
  }

  private static AccessRequest request(String method, String path, String query, String... headers) {
    return new AccessRequest(Requests.ACCOUNT, Requests.REGION, Requests.API, "prod", "GET /pets/{id}", method,
        path, query, headers(headers), Map.of("id", "7"), Map.of("env", "test"), "203.0.113.7", "req-1",
        1_700_000_000_123L, Requests.API + ".execute-api.localhost:4566", "HTTP/1.1");
  }

  private static JsonObject policy(String effect, Object resource) {
    return new JsonObject().put("principalId", "user-9").put("context", new JsonObject().put("tier", "gold"))
        .put("policyDocument", new JsonObject().put("Version", "2012-10-17").put("Statement", new JsonArray()
            .add(new JsonObject().put("Action", "execute-api:Invoke").put("Effect", effect).put("Resource", resource))));
  }

  @Test
  void functionArnComesFromTheAuthorizerUri() {
    assertThat(LambdaAuthorizer.of(authorizer("2.0", true, 0), cache).functionArn()).isEqualTo(FUNCTION);
    assertThat(LambdaAuthorizer.functionArnOf("my-function")).isEqualTo("my-function");
  }

  @Test
  void theVersion2EventIsTheDocumentedOne() throws Exception {
    LambdaAuthorizer authorizer = LambdaAuthorizer.of(
        authorizer("2.0", true, 0, "$request.header.Authorization", "$request.querystring.user"), cache);

    AccessDecision decision = await(authorizer.authorize(
        request("GET", "/pets/7", "user=ann&x=1&x=2", "Authorization", "secret", "User-Agent", "curl/8",
            "Cookie", "a=1; b=2", "X-Multi", "one", "X-Multi", "two"),
        answering(new JsonObject().put("isAuthorized", true).put("context", new JsonObject().put("k", "v")))));

    assertThat(decision.allowed()).isTrue();
    JsonObject event = events.get(0);
    assertThat(event.getString("version")).isEqualTo("2.0");
    assertThat(event.getString("type")).isEqualTo("REQUEST");
    assertThat(event.getString("routeArn"))
        .isEqualTo("arn:aws:execute-api:us-east-1:123456789012:0a1b2c3d4e/prod/GET/pets/7");
    assertThat(event.getJsonArray("identitySource")).containsExactly("secret", "ann");
    assertThat(event.getString("routeKey")).isEqualTo("GET /pets/{id}");
    assertThat(event.getString("rawPath")).isEqualTo("/pets/7");
    assertThat(event.getString("rawQueryString")).isEqualTo("user=ann&x=1&x=2");
    assertThat(event.getJsonArray("cookies")).containsExactly("a=1", "b=2");
    assertThat(event.getJsonObject("headers").getMap()).containsEntry("authorization", "secret")
        .containsEntry("x-multi", "one,two").doesNotContainKey("cookie");
    assertThat(event.getJsonObject("queryStringParameters").getMap()).containsEntry("user", "ann")
        .containsEntry("x", "1,2");
    assertThat(event.getJsonObject("pathParameters").getMap()).containsEntry("id", "7");
    assertThat(event.getJsonObject("stageVariables").getMap()).containsEntry("env", "test");
    JsonObject context = event.getJsonObject("requestContext");
    assertThat(context.getString("accountId")).isEqualTo("123456789012");
    assertThat(context.getString("apiId")).isEqualTo("0a1b2c3d4e");
    assertThat(context.getString("domainPrefix")).isEqualTo("0a1b2c3d4e");
    assertThat(context.getString("stage")).isEqualTo("prod");
    assertThat(context.getString("time")).isEqualTo("14/Nov/2023:22:13:20 +0000");
    assertThat(context.getLong("timeEpoch")).isEqualTo(1_700_000_000_123L);
    assertThat(context.getJsonObject("http").getMap()).containsEntry("method", "GET").containsEntry("path", "/pets/7")
        .containsEntry("sourceIp", "203.0.113.7").containsEntry("userAgent", "curl/8");
    assertThat(decision.requestContextAuthorizer("2.0"))
        .isEqualTo(new JsonObject().put("lambda", new JsonObject().put("k", "v")));
    assertThat(decision.requestContextAuthorizer("1.0")).isEqualTo(new JsonObject().put("k", "v"));
  }

  @Test
  void theVersion1EventIsTheDocumentedOne() throws Exception {
    LambdaAuthorizer authorizer = LambdaAuthorizer.of(
        authorizer("1.0", false, 0, "$request.header.Auth", "$request.querystring.user"), cache);

    AccessDecision decision = await(authorizer.authorize(
        request("GET", "/pets/7", "user=ann", "Auth", "secret", "X-Multi", "one", "X-Multi", "two"),
        answering(policy("Allow", "arn:aws:execute-api:us-east-1:123456789012:0a1b2c3d4e/prod/GET/pets/*"))));

    assertThat(decision.allowed()).isTrue();
    JsonObject event = events.get(0);
    assertThat(event.getString("version")).isEqualTo("1.0");
    assertThat(event.getString("type")).isEqualTo("REQUEST");
    assertThat(event.getString("methodArn"))
        .isEqualTo("arn:aws:execute-api:us-east-1:123456789012:0a1b2c3d4e/prod/GET/pets/7");
    assertThat(event.getString("identitySource")).isEqualTo("secret,ann");
    assertThat(event.getString("authorizationToken")).isEqualTo("secret,ann");
    assertThat(event.getString("resource")).isEqualTo("/pets/{id}");
    assertThat(event.getString("path")).isEqualTo("/pets/7");
    assertThat(event.getString("httpMethod")).isEqualTo("GET");
    assertThat(event.getJsonObject("headers").getString("X-Multi")).isEqualTo("two");
    assertThat(event.getJsonObject("multiValueHeaders").getJsonArray("X-Multi")).containsExactly("one", "two");
    assertThat(event.getJsonObject("queryStringParameters").getString("user")).isEqualTo("ann");
    assertThat(event.getJsonObject("pathParameters").getString("id")).isEqualTo("7");
    assertThat(event.getJsonObject("stageVariables").getString("env")).isEqualTo("test");
    JsonObject context = event.getJsonObject("requestContext");
    assertThat(context.getString("path")).isEqualTo("/pets/7");
    assertThat(context.getString("resourcePath")).isEqualTo("/pets/{id}");
    assertThat(context.getString("httpMethod")).isEqualTo("GET");
    assertThat(context.getJsonObject("identity").getString("sourceIp")).isEqualTo("203.0.113.7");
    assertThat(decision.requestContextAuthorizer("1.0"))
        .isEqualTo(new JsonObject().put("tier", "gold").put("principalId", "user-9"));
    assertThat(decision.requestContextAuthorizer("2.0"))
        .isEqualTo(new JsonObject().put("lambda", new JsonObject().put("tier", "gold")));
  }

  @Test
  void aMissingIdentitySourceIsUnauthorizedWithoutCallingTheFunction() throws Exception {
    LambdaAuthorizer authorizer = LambdaAuthorizer.of(
        authorizer("2.0", true, 300, "$request.header.Authorization", "$request.querystring.user"), cache);

    AccessDecision noHeader = await(authorizer.authorize(request("GET", "/pets/7", "user=ann"),
        answering(new JsonObject().put("isAuthorized", true))));
    AccessDecision emptyQuery = await(authorizer.authorize(request("GET", "/pets/7", "user=", "Authorization", "x"),
        answering(new JsonObject().put("isAuthorized", true))));

    assertThat(noHeader.refusal()).isEqualTo(Refusal.UNAUTHORIZED);
    assertThat(emptyQuery.refusal()).isEqualTo(Refusal.UNAUTHORIZED);
    assertThat(noHeader.refusal().body()).isEqualTo("{\"message\":\"Unauthorized\"}");
    assertThat(events).isEmpty();
  }

  @Test
  void withoutIdentitySourcesTheFunctionIsCalledEveryTime() throws Exception {
    LambdaAuthorizer authorizer = LambdaAuthorizer.of(authorizer("2.0", true, 300), cache);

    for (int i = 0; i < 2; i++) {
      assertThat(await(authorizer.authorize(request("GET", "/pets/7", ""),
          answering(new JsonObject().put("isAuthorized", true)))).allowed()).isTrue();
    }
    assertThat(events).hasSize(2);
    assertThat(events.get(0).getJsonArray("identitySource")).isEmpty();
  }

  @Test
  void aSimpleNoIsForbidden() throws Exception {
    LambdaAuthorizer authorizer = LambdaAuthorizer.of(authorizer("2.0", true, 0, "$request.header.Authorization"), cache);

    AccessDecision decision = await(authorizer.authorize(request("GET", "/pets/7", "", "Authorization", "x"),
        answering(new JsonObject().put("isAuthorized", false))));

    assertThat(decision.refusal()).isEqualTo(Refusal.FORBIDDEN);
    assertThat(decision.refusal().body()).isEqualTo("{\"message\":\"Forbidden\"}");
  }

  @Test
  void policiesAreJudgedAgainstTheRouteArn() throws Exception {
    LambdaAuthorizer authorizer = LambdaAuthorizer.of(authorizer("2.0", false, 0, "$request.header.Authorization"), cache);
    AccessRequest request = request("GET", "/pets/7", "", "Authorization", "x");
    String base = "arn:aws:execute-api:us-east-1:123456789012:0a1b2c3d4e/";

    assertThat(await(authorizer.authorize(request, answering(policy("Allow", base + "*")))).allowed()).isTrue();
    assertThat(await(authorizer.authorize(request, answering(policy("Allow", base + "prod/GET/pets/?")))).allowed())
        .isTrue();
    assertThat(await(authorizer.authorize(request, answering(policy("Allow",
        new JsonArray().add(base + "prod/POST/*").add(base + "*/GET/pets/*"))))).allowed()).isTrue();
    assertThat(await(authorizer.authorize(request, answering(policy("Allow", base + "prod/POST/*")))).refusal())
        .isEqualTo(Refusal.FORBIDDEN);
    assertThat(await(authorizer.authorize(request, answering(policy("Deny", base + "*")))).refusal())
        .isEqualTo(Refusal.FORBIDDEN);
    JsonObject allowAndDeny = policy("Allow", "*");
    allowAndDeny.getJsonObject("policyDocument").getJsonArray("Statement").add(new JsonObject()
        .put("Action", new JsonArray().add("execute-api:*")).put("Effect", "Deny").put("Resource", base + "prod/GET/pets/7"));
    assertThat(await(authorizer.authorize(request, answering(allowAndDeny))).refusal()).isEqualTo(Refusal.FORBIDDEN);
    JsonObject otherAction = policy("Allow", "*");
    otherAction.getJsonObject("policyDocument").getJsonArray("Statement").getJsonObject(0).put("Action", "s3:GetObject");
    assertThat(await(authorizer.authorize(request, answering(otherAction))).refusal()).isEqualTo(Refusal.FORBIDDEN);
  }

  @Test
  void failuresAndMalformedAnswersAreInternalErrors() throws Exception {
    LambdaAuthorizer simple = LambdaAuthorizer.of(authorizer("2.0", true, 300, "$request.header.Authorization"), cache);
    LambdaAuthorizer iam = LambdaAuthorizer.of(authorizer("2.0", false, 300, "$request.header.Authorization"), cache);
    AccessRequest request = request("GET", "/pets/7", "", "Authorization", "x");

    assertThat(await(simple.authorize(request, event -> Future.failedFuture("Unhandled"))).refusal())
        .isEqualTo(Refusal.INTERNAL_ERROR);
    assertThat(await(simple.authorize(request, event -> { throw new IllegalStateException("boom"); })).refusal())
        .isEqualTo(Refusal.INTERNAL_ERROR);
    assertThat(await(simple.authorize(request, event -> null)).refusal()).isEqualTo(Refusal.INTERNAL_ERROR);
    assertThat(await(simple.authorize(request, answering(new JsonObject().put("isAuthorized", "yes")))).refusal())
        .isEqualTo(Refusal.INTERNAL_ERROR);
    assertThat(await(simple.authorize(request, answering(null))).refusal()).isEqualTo(Refusal.INTERNAL_ERROR);
    assertThat(await(iam.authorize(request, answering(new JsonObject().put("principalId", "u")))).refusal())
        .isEqualTo(Refusal.INTERNAL_ERROR);
    assertThat(await(iam.authorize(request, answering(new JsonObject().put("policyDocument",
        new JsonObject().put("Statement", new JsonArray().add(new JsonObject().put("Effect", "Maybe")
            .put("Action", "*").put("Resource", "*"))))))).refusal()).isEqualTo(Refusal.INTERNAL_ERROR);
    assertThat(Refusal.INTERNAL_ERROR.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    assertThat(cache.size()).isZero();
  }

  @Test
  void answersAreCachedByIdentityForTheirTtl() throws Exception {
    LambdaAuthorizer authorizer = LambdaAuthorizer.of(authorizer("2.0", false, 60, "$request.header.Authorization"), cache);
    String base = "arn:aws:execute-api:us-east-1:123456789012:0a1b2c3d4e/prod/";
    Function<JsonObject, Future<JsonObject>> function = answering(policy("Allow", base + "GET/pets/*"));

    assertThat(await(authorizer.authorize(request("GET", "/pets/7", "", "Authorization", "ann"), function)).allowed())
        .isTrue();
    assertThat(await(authorizer.authorize(request("GET", "/pets/8", "", "Authorization", "ann"), function)).allowed())
        .isTrue();
    assertThat(events).hasSize(1);
    // the cached policy is judged again for each request: it does not cover DELETE
    assertThat(await(authorizer.authorize(request("DELETE", "/pets/8", "", "Authorization", "ann"), function))
        .refusal()).isEqualTo(Refusal.FORBIDDEN);
    assertThat(events).hasSize(1);
    await(authorizer.authorize(request("GET", "/pets/7", "", "Authorization", "bob"), function));
    assertThat(events).hasSize(2);

    clock.advance(Duration.ofSeconds(60));
    await(authorizer.authorize(request("GET", "/pets/7", "", "Authorization", "ann"), function));
    assertThat(events).hasSize(3);

    cache.dropApi(Requests.API);
    await(authorizer.authorize(request("GET", "/pets/7", "", "Authorization", "ann"), function));
    assertThat(events).hasSize(4);
  }

  @Test
  void aTtlOfZeroCachesNothing() throws Exception {
    LambdaAuthorizer authorizer = LambdaAuthorizer.of(authorizer("2.0", true, 0, "$request.header.Authorization"), cache);
    Function<JsonObject, Future<JsonObject>> function = answering(new JsonObject().put("isAuthorized", true));

    await(authorizer.authorize(request("GET", "/pets/7", "", "Authorization", "ann"), function));
    await(authorizer.authorize(request("GET", "/pets/7", "", "Authorization", "ann"), function));

    assertThat(events).hasSize(2);
  }

  @Test
  void simpleResponsesAreOnlyForVersion2() throws Exception {
    LambdaAuthorizer authorizer = LambdaAuthorizer.of(authorizer("1.0", true, 0, "$request.header.Authorization"), cache);

    AccessDecision decision = await(authorizer.authorize(request("GET", "/pets/7", "", "Authorization", "x"),
        answering(new JsonObject().put("isAuthorized", true))));

    assertThat(decision.refusal()).isEqualTo(Refusal.INTERNAL_ERROR);
  }

  @Test
  void anIdentitySourceOfNoKnownFormIsNeverPresent() throws Exception {
    LambdaAuthorizer authorizer = LambdaAuthorizer.of(authorizer("2.0", true, 0, "$method.request.header.X"), cache);

    AccessDecision decision = await(authorizer.authorize(request("GET", "/pets/7", "", "X", "1"),
        answering(new JsonObject().put("isAuthorized", true))));

    assertThat(decision.refusal()).isEqualTo(Refusal.UNAUTHORIZED);
    assertThat(events).isEmpty();
  }

  @Test
  void contextAndStageVariableIdentitySources() throws Exception {
    LambdaAuthorizer authorizer = LambdaAuthorizer.of(
        authorizer("2.0", true, 0, "$context.identity.sourceIp", "$stageVariables.env"), cache);

    await(authorizer.authorize(request("GET", "/pets/7", ""), answering(new JsonObject().put("isAuthorized", true))));

    assertThat(events.get(0).getJsonArray("identitySource")).containsExactly("203.0.113.7", "test");
  }
}
