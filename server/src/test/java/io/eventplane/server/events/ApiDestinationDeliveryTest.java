package io.eventplane.server.events;

import static io.eventplane.server.events.EventBusAnswersTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.partition.Partitions;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ApiDestinationHttpMethod;
import software.amazon.awssdk.services.eventbridge.model.ConnectionAuthorizationType;
import software.amazon.awssdk.services.eventbridge.model.ConnectionState;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Rules delivering to API destinations over HTTP, against a Vert.x HTTP server this test starts on
 * an ephemeral loopback port (http to loopback is what Eventplane takes besides https): each auth
 * type's header, the target's HttpParameters and the connection's invocation parameters, OAuth
 * tokens fetched, cached and fetched again after a 401, retries of a 503 on the injected clock,
 * a 400 to the dead-letter queue at once, the rate limit per second of the injected clock (also for
 * rules on two buses in different partitions sharing a destination), and a
 * deauthorized connection failing deliveries.
 */
class ApiDestinationDeliveryTest {
  private static final String ROLE = "arn:aws:iam::000000000000:role/invoke-api-destinations";

  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  /** One request the test server saw. */
  record Seen(String method, String path, String query, MultiMap headers, String body) {}

  private static Vertx vertx;
  private static HttpServer http;
  private static int port;
  private static final List<Seen> seen = new CopyOnWriteArrayList<>();
  private static final List<Seen> tokenRequests = new CopyOnWriteArrayList<>();
  private static final AtomicInteger tokensIssued = new AtomicInteger();
  /** Tokens numbered below this are refused with 401. */
  private static final AtomicInteger firstValidToken = new AtomicInteger(1);
  private static volatile Function<Seen, Integer> answer = s -> 200;

  @BeforeAll
  static void startEndpoint() throws Exception {
    vertx = Vertx.vertx();
    http = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      Seen s = new Seen(req.method().name(), req.path(), req.query(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
          body.toString(StandardCharsets.UTF_8));
      if (req.path().equals("/token")) {
        tokenRequests.add(s);
        String token = "tok-" + tokensIssued.incrementAndGet();
        req.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("access_token", token).put("token_type", "Bearer").put("expires_in", 3600).encode());
        return;
      }
      seen.add(s);
      if (req.path().equals("/silent")) return; // never answers: EventBridge gives up after five seconds
      req.response().setStatusCode(answer.apply(s)).end();
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    port = http.actualPort();
  }

  @AfterAll
  static void stopEndpoint() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @BeforeEach
  void clean() {
    seen.clear();
    tokenRequests.clear();
    tokensIssued.set(0);
    firstValidToken.set(1);
    answer = s -> 200;
  }

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  private SqsClient sqs() {
    return server.sqs();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private String apiKeyConnection(String name) {
    return events().createConnection(b -> b.name(name).authorizationType(ConnectionAuthorizationType.API_KEY)
        .authParameters(a -> a.apiKeyAuthParameters(k -> k.apiKeyName("x-api-key").apiKeyValue("k-1")))).connectionArn();
  }

  private String destination(String name, String connection, String path, ApiDestinationHttpMethod method, Integer rate) {
    return events().createApiDestination(b -> b.name(name).connectionArn(connection).invocationEndpoint(url(path))
        .httpMethod(method).invocationRateLimitPerSecond(rate)).apiDestinationArn();
  }

  /** A rule for source {@code source} with one target: the destination, with the given target settings. */
  private String rule(String source, String destination, java.util.function.Consumer<Target.Builder> target) {
    String ruleArn = events().putRule(b -> b.name("to-" + source).eventPattern("{\"source\":[\"" + source + "\"]}")).ruleArn();
    Target.Builder t = Target.builder().id("http").arn(destination).roleArn(ROLE);
    target.accept(t);
    events().putTargets(b -> b.rule("to-" + source).targets(t.build()));
    return ruleArn;
  }

  private String put(String source, String detail) {
    return events().putEvents(b -> b.entries(PutEventsRequestEntry.builder().source(source).detailType("t").detail(detail).build()))
        .entries().get(0).eventId();
  }

  @Test
  void anApiKeyConnectionSendsItsKeyTheInputAndBothKindsOfParameters() {
    String connection = events().createConnection(b -> b.name("keyed").authorizationType(ConnectionAuthorizationType.API_KEY)
        .authParameters(a -> a.apiKeyAuthParameters(k -> k.apiKeyName("x-api-key").apiKeyValue("k-1"))
            .invocationHttpParameters(h -> h
                .headerParameters(p -> p.key("x-connection").value("c").isValueSecret(true))
                .queryStringParameters(p -> p.key("shared").value("from-connection"))
                .bodyParameters(p -> p.key("fromConnection").value("yes"))))).connectionArn();
    String dest = destination("orders", connection, "/orders/*/items/*", ApiDestinationHttpMethod.POST, null);
    rule("shop", dest, t -> t.httpParameters(h -> h.pathParameterValues("o-42", "line 1")
        .headerParameters(Map.of("x-target", "t")).queryStringParameters(Map.of("shared", "from-target", "page", "2"))));
    String id = put("shop", "{\"order\":42}");

    await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 1);
    Seen s = seen.get(0);
    assertThat(s.method()).isEqualTo("POST");
    assertThat(s.path()).isEqualTo("/orders/o-42/items/line%201");
    assertThat(s.query()).contains("page=2").contains("shared=from-connection").doesNotContain("from-target");
    assertThat(s.headers().get("x-api-key")).isEqualTo("k-1");
    assertThat(s.headers().get("x-connection")).isEqualTo("c");
    assertThat(s.headers().get("x-target")).isEqualTo("t");
    assertThat(s.headers().get("User-Agent")).isEqualTo("Amazon/EventBridge/ApiDestinations");
    assertThat(s.headers().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
    JsonObject body = new JsonObject(s.body());
    assertThat(body.getString("id")).isEqualTo(id);
    assertThat(body.getJsonObject("detail").getInteger("order")).isEqualTo(42);
    assertThat(body.getString("fromConnection")).isEqualTo("yes");
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 1);
  }

  @Test
  void aBasicConnectionSendsBasicAuthorizationAndATransformedInput() {
    String connection = events().createConnection(b -> b.name("basic").authorizationType(ConnectionAuthorizationType.BASIC)
        .authParameters(a -> a.basicAuthParameters(p -> p.username("user").password("pass")))).connectionArn();
    String dest = destination("basic-put", connection, "/things", ApiDestinationHttpMethod.PUT, null);
    rule("basic", dest, t -> t.inputPath("$.detail"));
    put("basic", "{\"thing\":\"x\"}");
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 1);
    Seen s = seen.get(0);
    assertThat(s.method()).isEqualTo("PUT");
    assertThat(s.headers().get("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.UTF_8)));
    assertThat(new JsonObject(s.body())).isEqualTo(new JsonObject().put("thing", "x"));
  }

  @Test
  void anOAuthTokenIsFetchedWithTheClientCredentialsCachedAndFetchedAgainAfterA401() {
    String connection = events().createConnection(b -> b.name("oauth")
        .authorizationType(ConnectionAuthorizationType.OAUTH_CLIENT_CREDENTIALS)
        .authParameters(a -> a.oAuthParameters(o -> o.authorizationEndpoint(url("/token")).httpMethod("POST")
            .clientParameters(c -> c.clientID("client").clientSecret("s3cret"))
            .oAuthHttpParameters(h -> h.bodyParameters(p -> p.key("grant_type").value("client_credentials"))
                .headerParameters(p -> p.key("x-oauth").value("o")))))).connectionArn();
    await().atMost(Duration.ofSeconds(20)).until(() ->
        events().describeConnection(b -> b.name("oauth")).connectionState() == ConnectionState.AUTHORIZED);
    Seen tokenRequest = tokenRequests.get(0);
    assertThat(tokenRequest.method()).isEqualTo("POST");
    assertThat(tokenRequest.headers().get("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("client:s3cret".getBytes(StandardCharsets.UTF_8)));
    assertThat(tokenRequest.headers().get("x-oauth")).isEqualTo("o");
    assertThat(tokenRequest.body()).isEqualTo("grant_type=client_credentials");

    answer = s -> {
      String bearer = s.headers().get("Authorization");
      int n = bearer != null && bearer.startsWith("Bearer tok-") ? Integer.parseInt(bearer.substring("Bearer tok-".length())) : 0;
      return n >= firstValidToken.get() ? 200 : 401;
    };
    String dest = destination("oauth-dest", connection, "/secured", ApiDestinationHttpMethod.POST, null);
    rule("oauth", dest, t -> { });
    put("oauth", "{}");
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 1);
    put("oauth", "{}");
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 2);
    int issued = tokensIssued.get();
    assertThat(seen).extracting(s -> s.headers().get("Authorization")).containsOnly("Bearer tok-" + issued);

    // The endpoint stops taking the token: the next delivery is refused once, fetches a new token and is sent again.
    firstValidToken.set(issued + 1);
    put("oauth", "{}");
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 4);
    assertThat(seen.get(2).headers().get("Authorization")).isEqualTo("Bearer tok-" + issued);
    assertThat(seen.get(3).headers().get("Authorization")).isEqualTo("Bearer tok-" + (issued + 1));
    assertThat(tokensIssued.get()).isEqualTo(issued + 1);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> seen.size() == 4);
  }

  @Test
  void aRetryableStatusIsRetriedOnTheClockAndTheEventDeliveredOnce() {
    AtomicInteger calls = new AtomicInteger();
    answer = s -> calls.incrementAndGet() <= 3 ? 503 : 200;
    String dlq = sqs().createQueue(b -> b.queueName("http-retry-dlq")).queueUrl();
    String dest = destination("flaky", apiKeyConnection("flaky"), "/flaky", ApiDestinationHttpMethod.POST, null);
    rule("flaky", dest, t -> t.deadLetterConfig(d -> d.arn(queueArn(dlq))));
    put("flaky", "{}");
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 1);
    // The retry waits for the service's clock, not for wall time.
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> seen.size() == 1);
    for (int attempt = 2; attempt <= 4; attempt++) {
      Duration backoff = Duration.ofSeconds(1L << (attempt - 2));
      int expected = attempt;
      // The endpoint sees an attempt before the server has read its 503 and set the next one's time
      // (now + back-off): a move of the clock in between would come too early, so move it again.
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
        if (seen.size() < expected) server.advance(backoff);
        return seen.size() >= expected;
      });
      assertThat(seen).hasSize(expected);
    }
    server.advance(Duration.ofMinutes(10));
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> seen.size() == 4);
    assertThat(sqs().receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(0)).messages()).isEmpty();
  }

  @Test
  void aClientErrorStatusSendsTheEventToTheDeadLetterQueueAtOnce() {
    answer = s -> 400;
    String dlq = sqs().createQueue(b -> b.queueName("http-dlq")).queueUrl();
    String dest = destination("refusing", apiKeyConnection("refusing"), "/refuse", ApiDestinationHttpMethod.POST, null);
    String ruleArn = rule("refuse", dest, t -> t.deadLetterConfig(d -> d.arn(queueArn(dlq))));
    String id = put("refuse", "{}");
    Message m = receive(dlq, 1).get(0);
    assertThat(new JsonObject(m.body()).getString("id")).isEqualTo(id);
    Map<String, MessageAttributeValue> attrs = m.messageAttributes();
    assertThat(attrs.get("RULE_ARN").stringValue()).isEqualTo(ruleArn);
    assertThat(attrs.get("TARGET_ARN").stringValue()).isEqualTo(dest);
    assertThat(attrs.get("ERROR_CODE").stringValue()).isEqualTo("SDK_CLIENT_ERROR");
    assertThat(attrs.get("ERROR_MESSAGE").stringValue())
        .isEqualTo("Unable to invoke ApiDestination endpoint: The endpoint answered HTTP status 400.");
    assertThat(attrs).doesNotContainKeys("EXHAUSTED_RETRY_CONDITION", "RETRY_ATTEMPTS");
    assertThat(seen).hasSize(1);
  }

  /**
   * {@code total} requests reach the endpoint two per second of the injected clock: two arrive, no
   * third while the clock stands still, the next two once it moved a second, and so on.
   */
  private static void arriveTwoPerSecond(int total) {
    for (int expected = 2; ; expected += 2) {
      int now = Math.min(expected, total);
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == now);
      if (now == total) return;
      await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(3)).until(() -> seen.size() == now);
      server.advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void theRateLimitHoldsPerSecondOfTheClockAndTheExcessWaits() {
    String dest = destination("limited", apiKeyConnection("limited"), "/limited", ApiDestinationHttpMethod.POST, 2);
    rule("limited", dest, t -> { });
    List<PutEventsRequestEntry> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) five.add(PutEventsRequestEntry.builder().source("limited").detailType("t").detail("{\"n\":" + i + "}").build());
    events().putEvents(b -> b.entries(five));
    arriveTwoPerSecond(5);
    assertThat(seen).extracting(s -> new JsonObject(s.body()).getJsonObject("detail").getInteger("n"))
        .containsExactlyInAnyOrder(0, 1, 2, 3, 4);
  }

  /**
   * Rules on two buses whose partitions have different parity (different lanes of a node, mostly
   * different nodes of three) share one destination: the limit holds for both together, since both
   * lanes take their start times from the destination's owner.
   */
  @Test
  void theRateLimitHoldsAcrossBusesOnDifferentLanes() {
    String dest = destination("shared-limit", apiKeyConnection("shared-limit"), "/shared", ApiDestinationHttpMethod.POST, 2);
    String first = "limit-bus-0";
    int p0 = Partitions.of("events", "000000000000", first);
    String second = null;
    for (int i = 1; second == null; i++) {
      if (Partitions.of("events", "000000000000", "limit-bus-" + i) % 2 != p0 % 2) second = "limit-bus-" + i;
    }
    List<PutEventsRequestEntry> entries = new ArrayList<>();
    for (String bus : List.of(first, second)) {
      events().createEventBus(b -> b.name(bus));
      events().putRule(b -> b.name("shared").eventBusName(bus).eventPattern("{\"source\":[\"shared\"]}"));
      events().putTargets(b -> b.rule("shared").eventBusName(bus)
          .targets(Target.builder().id("http").arn(dest).roleArn(ROLE).build()));
      for (int i = 0; i < 3; i++) {
        entries.add(PutEventsRequestEntry.builder().eventBusName(bus).source("shared").detailType("t")
            .detail("{\"bus\":\"" + bus + "\",\"n\":" + i + "}").build());
      }
    }
    assertThat(events().putEvents(b -> b.entries(entries)).failedEntryCount()).isZero();
    arriveTwoPerSecond(6);
    assertThat(seen).extracting(s -> new JsonObject(s.body()).getJsonObject("detail").getString("bus"))
        .containsOnly(first, second).hasSize(6);
  }

  @Test
  void aDeauthorizedConnectionFailsDeliveries() {
    String dlq = sqs().createQueue(b -> b.queueName("deauthorized-dlq")).queueUrl();
    String dest = destination("deauthorized", apiKeyConnection("deauthorized"), "/x", ApiDestinationHttpMethod.POST, null);
    rule("deauth", dest, t -> t.deadLetterConfig(d -> d.arn(queueArn(dlq))));
    put("deauth", "{}");
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 1);
    events().deauthorizeConnection(b -> b.name("deauthorized"));
    put("deauth", "{}");
    Message m = receive(dlq, 1).get(0);
    assertThat(m.messageAttributes().get("TARGET_ARN").stringValue()).isEqualTo(dest);
    assertThat(m.messageAttributes().get("ERROR_CODE").stringValue()).isEqualTo("SDK_CLIENT_ERROR");
    assertThat(m.messageAttributes().get("ERROR_MESSAGE").stringValue())
        .isEqualTo("Unable to invoke ApiDestination endpoint: The connection is DEAUTHORIZED.");
    assertThat(seen).hasSize(1);
  }

  @Test
  void noAnswerWithinFiveSecondsAndAnUnreachableEndpointAreRetryableFailures() {
    String dlq = sqs().createQueue(b -> b.queueName("no-answer-dlq")).queueUrl();
    String connection = apiKeyConnection("no-answer");
    String silent = destination("silent", connection, "/silent", ApiDestinationHttpMethod.POST, null);
    // Nothing listens on port 9 of the loopback.
    String closed = events().createApiDestination(b -> b.name("closed").connectionArn(connection)
        .invocationEndpoint("http://127.0.0.1:9/x").httpMethod(ApiDestinationHttpMethod.POST)).apiDestinationArn();
    events().putRule(b -> b.name("no-answer").eventPattern("{\"source\":[\"no-answer\"]}"));
    events().putTargets(b -> b.rule("no-answer").targets(
        Target.builder().id("silent").arn(silent).roleArn(ROLE).retryPolicy(r -> r.maximumRetryAttempts(0))
            .deadLetterConfig(d -> d.arn(queueArn(dlq))).build(),
        Target.builder().id("closed").arn(closed).roleArn(ROLE).retryPolicy(r -> r.maximumRetryAttempts(0))
            .deadLetterConfig(d -> d.arn(queueArn(dlq))).build()));
    long start = System.nanoTime();
    put("no-answer", "{}");
    List<Message> dead = receive(dlq, 2);
    Map<String, Map<String, MessageAttributeValue>> byTarget = new java.util.HashMap<>();
    for (Message m : dead) byTarget.put(m.messageAttributes().get("TARGET_ARN").stringValue(), m.messageAttributes());
    assertThat(byTarget.get(silent).get("ERROR_CODE").stringValue()).isEqualTo("UNKNOWN");
    assertThat(byTarget.get(silent).get("ERROR_MESSAGE").stringValue())
        .isEqualTo("Unable to invoke ApiDestination endpoint: Timeout calling endpoint for API Destination: socket closed.");
    assertThat(byTarget.get(silent).get("EXHAUSTED_RETRY_CONDITION").stringValue()).isEqualTo("MaximumRetryAttemptsExhausted");
    assertThat(byTarget.get(closed).get("ERROR_CODE").stringValue()).isEqualTo("SDK_CLIENT_ERROR");
    assertThat(byTarget.get(closed).get("ERROR_MESSAGE").stringValue())
        .isEqualTo("Unable to invoke ApiDestination endpoint: API destination endpoint cannot be reached.");
    assertThat(byTarget.get(closed).get("EXHAUSTED_RETRY_CONDITION").stringValue()).isEqualTo("MaximumRetryAttemptsExhausted");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(4_900));
  }

  @Test
  void anUpdatedDestinationHoldsFromTheNextDelivery() {
    String dest = destination("moving", apiKeyConnection("moving"), "/old", ApiDestinationHttpMethod.POST, null);
    rule("moving", dest, t -> { });
    put("moving", "{}");
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 1);
    events().updateApiDestination(b -> b.name("moving").invocationEndpoint(url("/new")).httpMethod(ApiDestinationHttpMethod.PATCH));
    put("moving", "{}");
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 2);
    assertThat(seen).extracting(Seen::method, Seen::path)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", "/old"), org.assertj.core.groups.Tuple.tuple("PATCH", "/new"));
  }

  @Test
  void anApiDestinationTargetNeedsARole() {
    String dest = destination("roleless", apiKeyConnection("roleless"), "/x", ApiDestinationHttpMethod.POST, null);
    events().putRule(b -> b.name("roleless").eventPattern("{\"source\":[\"r\"]}"));
    assertThatThrownBy(() -> events().putTargets(b -> b.rule("roleless").targets(Target.builder().id("t").arn(dest).build())))
        .satisfies(t -> assertError(t, "ValidationException", 400, "Parameter(s) RoleArn must be specified for target: t."));
  }

  String queueArn(String url) {
    return EventQueues.queueArn(sqs(), url);
  }

  List<Message> receive(String url, int expected) {
    return EventQueues.receive(sqs(), url, expected);
  }
}
