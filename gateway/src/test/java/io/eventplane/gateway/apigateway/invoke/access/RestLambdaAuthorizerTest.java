package io.eventplane.gateway.apigateway.invoke.access;

import static io.eventplane.gateway.apigateway.invoke.access.Requests.await;
import static io.eventplane.gateway.apigateway.invoke.access.Requests.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.time.MutableClock;
import io.eventplane.gateway.apigateway.invoke.access.RestLambdaAuthorizer.FunctionAnswer;
import io.eventplane.gateway.apigateway.invoke.access.RestLambdaAuthorizer.Outcome;
import io.eventplane.gateway.apigateway.invoke.access.RestLambdaAuthorizer.Verdict;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * REST APIs' Lambda authorizers (TOKEN and REQUEST) with a stand-in for the gateway's Lambda call: the
 * events, the identity sources and validation expression (401 without a call), explicit and implicit
 * denials, "Unauthorized" thrown, configuration errors, and the cached policy judged per method.
 */
class RestLambdaAuthorizerTest {
  private static final String URI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
      + "arn:aws:lambda:us-east-1:123456789012:function:auth/invocations";
  private static final String STAGE_ARN = "arn:aws:execute-api:us-east-1:123456789012:" + Requests.API + "/prod";

  private MutableClock clock;
  private AuthorizerResultCache cache;
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    clock = new MutableClock(1_700_000_000_000L);
    cache = new AuthorizerResultCache(clock);
    events.clear();
  }

  private static JsonObject token(int ttl, String validation) {
    JsonObject json = new JsonObject().put("id", "a1").put("type", "TOKEN").put("authorizerUri", URI)
        .put("identitySource", "method.request.header.Authorization").put("authorizerResultTtlInSeconds", ttl);
    if (validation != null) json.put("identityValidationExpression", validation);
    return json;
  }

  private Function<JsonObject, Future<FunctionAnswer>> answering(FunctionAnswer answer) {
    return event -> {
      events.add(event);
      return Future.succeededFuture(answer);
    };
  }

  private static FunctionAnswer policy(String effect, String resource, JsonObject context) {
    JsonObject answer = new JsonObject().put("principalId", "alice").put("policyDocument", new JsonObject()
        .put("Version", "2012-10-17").put("Statement", new JsonArray().add(new JsonObject()
            .put("Action", "execute-api:Invoke").put("Effect", effect).put("Resource", resource))));
    if (context != null) answer.put("context", context);
    return FunctionAnswer.of(answer);
  }

  private Verdict authorize(JsonObject authorizer, AccessRequest request, FunctionAnswer answer) throws Exception {
    return await(RestLambdaAuthorizer.of(authorizer, cache).authorize(request,
        () -> new JsonObject().put("resource", "/pets").put("headers", new JsonObject()), answering(answer)));
  }

  private static AccessRequest get(String path, String... headers) {
    return Requests.get(path, headers(headers));
  }

  @Test
  void aTokenAuthorizerGetsTheTokenAndTheMethodArn() throws Exception {
    Verdict verdict = authorize(token(0, null), get("/pets/7", "Authorization", "t0k"),
        policy("Allow", STAGE_ARN + "/GET/pets/*", new JsonObject().put("n", 1).put("ok", true).put("s", "x")));
    assertThat(verdict.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(verdict.principalId()).isEqualTo("alice");
    assertThat(verdict.context()).isEqualTo(new JsonObject().put("n", 1).put("ok", true).put("s", "x"));
    assertThat(events).containsExactly(new JsonObject().put("type", "TOKEN").put("authorizationToken", "t0k")
        .put("methodArn", STAGE_ARN + "/GET/pets/7"));
  }

  @Test
  void aMissingTokenOrOneFailingTheValidationExpressionIsUnauthorizedWithoutACall() throws Exception {
    FunctionAnswer allow = policy("Allow", "*", null);
    assertThat(authorize(token(0, "^Bearer [a-z]+$"), get("/pets"), allow).outcome()).isEqualTo(Outcome.UNAUTHORIZED);
    assertThat(authorize(token(0, "^Bearer [a-z]+$"), get("/pets", "Authorization", "Bearer 42"), allow).outcome())
        .isEqualTo(Outcome.UNAUTHORIZED);
    assertThat(events).isEmpty();
    assertThat(authorize(token(0, "^Bearer [a-z]+$"), get("/pets", "Authorization", "Bearer abc"), allow).outcome())
        .isEqualTo(Outcome.ALLOW);
    assertThat(authorize(token(0, "(unclosed"), get("/pets", "Authorization", "x"), allow).outcome())
        .isEqualTo(Outcome.CONFIGURATION_ERROR);
  }

  @Test
  void denialsUnauthorizedAndConfigurationErrors() throws Exception {
    AccessRequest request = get("/pets", "Authorization", "t");
    assertThat(authorize(token(0, null), request, policy("Deny", STAGE_ARN + "/*", null)).outcome())
        .isEqualTo(Outcome.EXPLICIT_DENY);
    assertThat(authorize(token(0, null), request, policy("Allow", STAGE_ARN + "/POST/*", null)).outcome())
        .isEqualTo(Outcome.IMPLICIT_DENY);
    assertThat(authorize(token(0, null), request, FunctionAnswer.failure("Unauthorized")).outcome())
        .isEqualTo(Outcome.UNAUTHORIZED);
    assertThat(authorize(token(0, null), request, FunctionAnswer.failure("boom")).outcome())
        .isEqualTo(Outcome.CONFIGURATION_ERROR);
    assertThat(authorize(token(0, null), request, FunctionAnswer.of("a string")).outcome())
        .isEqualTo(Outcome.CONFIGURATION_ERROR);
    assertThat(authorize(token(0, null), request, FunctionAnswer.of(new JsonObject().put("principalId", "x"))).outcome())
        .isEqualTo(Outcome.CONFIGURATION_ERROR);
    assertThat(authorize(token(0, null), request,
        policy("Allow", "*", new JsonObject().put("nested", new JsonObject()))).outcome()).isEqualTo(Outcome.CONFIGURATION_ERROR);
    // The call itself failing (or timing out) is a configuration error too.
    Verdict failed = await(RestLambdaAuthorizer.of(token(0, null), cache).authorize(request, JsonObject::new,
        event -> Future.failedFuture("no such function")));
    assertThat(failed.outcome()).isEqualTo(Outcome.CONFIGURATION_ERROR);
    // Cognito user pools are no Lambda authorizers.
    assertThat(RestLambdaAuthorizer.of(new JsonObject().put("type", "COGNITO_USER_POOLS"), cache)).isNull();
  }

  @Test
  void aRequestAuthorizerNeedsEveryIdentitySourceAndGetsTheRequestEvent() throws Exception {
    JsonObject authorizer = new JsonObject().put("id", "a2").put("type", "REQUEST").put("authorizerUri", URI)
        .put("identitySource", "method.request.header.X-User, method.request.querystring.tenant, context.httpMethod")
        .put("authorizerResultTtlInSeconds", 0);
    FunctionAnswer allow = policy("Allow", "*", null);
    assertThat(authorize(authorizer, get("/pets", "X-User", "u"), allow).outcome()).isEqualTo(Outcome.UNAUTHORIZED);
    assertThat(events).isEmpty();
    AccessRequest complete = Requests.request("GET", "GET /pets", "/pets", "tenant=t1", headers("X-User", "u"));
    assertThat(authorize(authorizer, complete, allow).outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(events).containsExactly(new JsonObject().put("type", "REQUEST").put("methodArn", STAGE_ARN + "/GET/pets")
        .put("resource", "/pets").put("headers", new JsonObject()));
  }

  @Test
  void theWholePolicyIsCachedAndJudgedAgainForEachMethod() throws Exception {
    JsonObject authorizer = token(60, null);
    FunctionAnswer petsOnly = policy("Allow", STAGE_ARN + "/GET/pets", null);
    assertThat(authorize(authorizer, get("/pets", "Authorization", "t"), petsOnly).outcome()).isEqualTo(Outcome.ALLOW);
    Verdict owners = authorize(authorizer, get("/owners", "Authorization", "t"), petsOnly);
    assertThat(owners.outcome()).isEqualTo(Outcome.IMPLICIT_DENY);
    Verdict again = authorize(authorizer, get("/pets", "Authorization", "t"), petsOnly);
    assertThat(again.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(again.cached()).isTrue();
    assertThat(events).hasSize(1);
    clock.advance(Duration.ofSeconds(60));
    authorize(authorizer, get("/pets", "Authorization", "t"), petsOnly);
    assertThat(events).hasSize(2);
    // Without a TTL nothing is kept.
    authorize(token(0, null), get("/pets", "Authorization", "u"), petsOnly);
    authorize(token(0, null), get("/pets", "Authorization", "u"), petsOnly);
    assertThat(events).hasSize(4);
  }
}
