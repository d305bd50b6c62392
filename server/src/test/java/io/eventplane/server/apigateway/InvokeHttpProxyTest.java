package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.eventplane.server.EmbeddedServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/**
 * HTTP_PROXY integrations at the invoke URL: the request reaches an HTTP endpoint the test runs with
 * its method, the greedy path variable in the integration's URL, the query string, headers and
 * body, and header parameter mapping; the endpoint's answer comes back as it is; an endpoint that
 * does not answer within the timeout is 503, one that cannot be reached 500.
 */
class InvokeHttpProxyTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private record Seen(String method, String uri, Map<String, List<String>> headers, String body) {}

  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newFixedThreadPool(4);
  private final CountDownLatch released = new CountDownLatch(1);
  private HttpServer backend;
  private String apiId;

  @BeforeEach
  void start() throws Exception {
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.setExecutor(threads);
    backend.createContext("/", this::answer);
    backend.start();
    apiId = v2.createApi(b -> b.name("proxy").protocolType(ProtocolType.HTTP)).apiId();
    v2.createStage(b -> b.apiId(apiId).stageName("$default").autoDeploy(true));
  }

  @AfterEach
  void stop() {
    v2.close();
    released.countDown();
    backend.stop(0);
    threads.shutdownNow();
  }

  private void answer(HttpExchange exchange) throws java.io.IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders()), body));
    if (exchange.getRequestURI().getPath().startsWith("/slow")) {
      try {
        // Answers only when the test is over (or after 5 s), well past the integration's timeout.
        released.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] out = ("backend saw " + exchange.getRequestMethod() + " " + body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("X-Backend", "yes");
    exchange.getResponseHeaders().add("Content-Type", "text/plain");
    exchange.sendResponseHeaders(201, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  private void route(String key, String uri, int timeout, Map<String, String> parameters) {
    String id = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationMethod("ANY")
        .integrationUri(uri).payloadFormatVersion("1.0").timeoutInMillis(timeout).requestParameters(parameters)).integrationId();
    v2.createRoute(b -> b.apiId(apiId).routeKey(key).target("integrations/" + id));
  }

  @Test
  void theRequestPassesThroughAndTheAnswerBack() throws Exception {
    int port = backend.getAddress().getPort();
    route("ANY /shop/{proxy+}", "http://127.0.0.1:" + port + "/backend/{proxy}", 30_000,
        Map.of("append:header.x-route", "$request.path.proxy"));
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      seen.clear();
      HttpResponse<byte[]> r = send(server.endpoint(node), apiId, "PUT", "/shop/cart/1?x=1&y=two", "hello",
          "X-Custom", "c1", "Content-Type", "text/plain");
      assertThat(r.statusCode()).as(text(r)).isEqualTo(201);
      assertThat(text(r)).isEqualTo("backend saw PUT hello");
      assertThat(r.headers().firstValue("x-backend")).hasValue("yes");
      assertThat(r.headers().firstValue("apigw-requestid")).isPresent();
      assertThat(seen).hasSize(1);
      Seen s = seen.get(0);
      assertThat(s.method()).isEqualTo("PUT");
      assertThat(s.uri()).isEqualTo("/backend/cart/1?x=1&y=two");
      assertThat(s.headers().get("X-custom")).containsExactly("c1");
      assertThat(s.headers().get("X-route")).containsExactly("cart/1");
      assertThat(s.body()).isEqualTo("hello");
    }
  }

  @Test
  void slowAndUnreachableEndpoints() throws Exception {
    int port = backend.getAddress().getPort();
    route("GET /slow", "http://127.0.0.1:" + port + "/slow", 200, Map.of());
    HttpResponse<byte[]> slow = send(server.endpoint(), apiId, "GET", "/slow", null);
    assertThat(slow.statusCode()).isEqualTo(503);
    assertThat(text(slow)).isEqualTo("{\"message\":\"Service Unavailable\"}");

    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    route("GET /gone", "http://127.0.0.1:" + closed + "/", 30_000, Map.of());
    HttpResponse<byte[]> gone = send(server.endpoint(), apiId, "GET", "/gone", null);
    assertThat(gone.statusCode()).isEqualTo(500);
    assertThat(text(gone)).isEqualTo("{\"message\":\"Internal Server Error\"}");
  }

  @Test
  void responseParametersChangeTheEndpointsAnswerByItsStatus() throws Exception {
    int port = backend.getAddress().getPort();
    v2.updateStage(b -> b.apiId(apiId).stageName("$default").stageVariables(Map.of("env", "blue")));
    Map<String, String> on201 = new java.util.LinkedHashMap<>();
    on201.put("overwrite:statuscode", "202");
    on201.put("append:header.x-request", "$context.requestId");
    on201.put("overwrite:header.content-type", "application/x-made");
    on201.put("remove:header.x-backend", "''");
    on201.put("append:header.x-was", "$response.header.X-Backend and ${stageVariables.env}");
    on201.put("append:header.x-static", "fixed");
    on201.put("overwrite:header.x-amzn-custom", "reserved, left alone");
    String id = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.HTTP_PROXY).integrationMethod("ANY")
        .integrationUri("http://127.0.0.1:" + port + "/mapped").payloadFormatVersion("1.0")
        .responseParameters(Map.of("201", on201, "404", Map.of("overwrite:statuscode", "410")))).integrationId();
    v2.createRoute(b -> b.apiId(apiId).routeKey("POST /mapped").target("integrations/" + id));
    // Another status than the ones keyed: the answer as it came.
    route("GET /plain", "http://127.0.0.1:" + port + "/plain", 30_000, Map.of());

    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      HttpResponse<byte[]> r = send(server.endpoint(node), apiId, "POST", "/mapped", "x");
      assertThat(r.statusCode()).as(text(r)).isEqualTo(202);
      assertThat(text(r)).isEqualTo("backend saw POST x");
      assertThat(r.headers().firstValue("x-backend")).isEmpty();
      assertThat(r.headers().firstValue("x-was")).hasValue("yes and blue");
      assertThat(r.headers().firstValue("x-static")).hasValue("fixed");
      assertThat(r.headers().firstValue("content-type")).hasValue("application/x-made");
      assertThat(r.headers().firstValue("x-request")).isEqualTo(r.headers().firstValue("apigw-requestid"));
      assertThat(r.headers().firstValue("x-amzn-custom")).isEmpty();
    }
    HttpResponse<byte[]> plain = send(server.endpoint(), apiId, "GET", "/plain", null);
    assertThat(plain.statusCode()).isEqualTo(201);
    assertThat(plain.headers().firstValue("x-backend")).hasValue("yes");
  }
}
