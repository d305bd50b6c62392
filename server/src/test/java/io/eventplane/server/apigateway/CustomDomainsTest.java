package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.EndpointType;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/**
 * Custom domain names: v1's domain names and base path mappings with the SDK's {@code apigateway}
 * client, seen by v2's {@code apigatewayv2} client (one namespace, across accounts too), and
 * requests sent to {@code Host: api.example.com} served by the mappings (longest key first, the key
 * taken off the path, 403 Forbidden when none takes it) from every node.
 */
class CustomDomainsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String CERT = "arn:aws:acm:us-east-1:000000000000:certificate/abc";

  private final ApiGatewayClient v1 = RestApiClients.v1(server);
  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private HttpServer backend;

  @BeforeEach
  void setUp() throws Exception {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext("/", exchange -> {
      byte[] out = new JsonObject().put("backendSaw", exchange.getRequestURI().toString()).put("method", exchange.getRequestMethod())
          .put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).encode()
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    backend.start();
  }

  @AfterEach
  void close() {
    backend.stop(0);
    v1.close();
    v2.close();
  }

  @Test
  void v1DomainNamesAnswerAwsShapesAndShareTheirNamesWithV2() {
    var edge = v1.createDomainName(b -> b.domainName("Api.Example.com").certificateArn(CERT));
    assertThat(edge.domainName()).isEqualTo("api.example.com");
    assertThat(edge.distributionDomainName()).matches("d[a-z0-9]{13}\\.cloudfront\\.net");
    assertThat(edge.distributionHostedZoneId()).isEqualTo("Z2FDTNDATAQYW2");
    assertThat(edge.certificateArn()).isEqualTo(CERT);
    assertThat(edge.endpointConfiguration().types()).containsExactly(EndpointType.EDGE);
    assertThat(edge.domainNameStatusAsString()).isEqualTo("AVAILABLE");
    assertThat(edge.securityPolicyAsString()).isEqualTo("TLS_1_2");
    assertThat(edge.regionalDomainName()).isNull();

    var regional = v1.createDomainName(b -> b.domainName("regional.example.com").regionalCertificateArn(CERT)
        .endpointConfiguration(e -> e.types(EndpointType.REGIONAL)).tags(Map.of("team", "a")));
    assertThat(regional.regionalDomainName()).matches("d-[a-z0-9]{10}\\.execute-api\\.us-east-1\\.amazonaws\\.com");
    assertThat(regional.regionalHostedZoneId()).isEqualTo("Z1UJRXOUMOOFQ8");
    assertThat(regional.regionalCertificateArn()).isEqualTo(CERT);
    assertThat(regional.distributionDomainName()).isNull();
    assertThat(regional.tags()).isEqualTo(Map.of("team", "a"));

    assertThat(v1.getDomainNames(b -> {}).items()).extracting(d -> d.domainName())
        .containsExactly("api.example.com", "regional.example.com");
    assertThat(v1.getDomainNames(b -> b.resourceOwner("OTHER_ACCOUNTS")).items()).isEmpty();
    assertThat(v1.getDomainName(b -> b.domainName("regional.example.com")).regionalDomainName())
        .isEqualTo(regional.regionalDomainName());
    var seenByV2 = v2.getDomainName(b -> b.domainName("regional.example.com"));
    assertThat(seenByV2.domainNameConfigurations().get(0).apiGatewayDomainName()).isEqualTo(regional.regionalDomainName());
    assertThat(seenByV2.domainNameConfigurations().get(0).hostedZoneId()).isEqualTo("Z1UJRXOUMOOFQ8");
    assertThat(v2.getDomainNames(b -> {}).items()).hasSize(2);

    // One namespace: v2 cannot make v1's name, nor can another account.
    assertThatThrownBy(() -> v2.createDomainName(b -> b.domainName("api.example.com")))
        .isInstanceOf(software.amazon.awssdk.services.apigatewayv2.model.ConflictException.class);
    try (ApiGatewayClient other = RestApiClients.v1(server.endpoint(), "111122223333", Region.US_EAST_1)) {
      assertThatThrownBy(() -> other.createDomainName(b -> b.domainName("api.example.com").certificateArn(CERT)))
          .isInstanceOf(ConflictException.class).hasMessageContaining("The domain name you provided already exists.");
      assertThat(other.getDomainNames(b -> {}).items()).isEmpty();
      assertThatThrownBy(() -> other.getDomainName(b -> b.domainName("api.example.com")))
          .isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid domain name identifier specified");
    }
    assertThatThrownBy(() -> v1.createDomainName(b -> b.domainName("api.example.com").certificateArn(CERT)))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> v1.createDomainName(b -> b.domainName("not a name").certificateArn(CERT)))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v1.getDomainName(b -> b.domainName("nothing.example.com")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid domain name identifier specified");

    var updated = v1.updateDomainName(b -> b.domainName("api.example.com").patchOperations(
        p -> p.op(Op.REPLACE).path("/certificateArn").value(CERT + "2")));
    assertThat(updated.certificateArn()).isEqualTo(CERT + "2");
    assertThat(v2.getDomainName(b -> b.domainName("api.example.com")).domainNameConfigurations().get(0).certificateArn())
        .isEqualTo(CERT + "2");
    assertThatThrownBy(() -> v1.updateDomainName(b -> b.domainName("api.example.com").patchOperations(
        p -> p.op(Op.REPLACE).path("/nope").value("x")))).isInstanceOf(BadRequestException.class);

    // Deleted by v2, the name is gone for v1 and free for anyone.
    v2.deleteDomainName(b -> b.domainName("api.example.com"));
    assertThatThrownBy(() -> v1.getDomainName(b -> b.domainName("api.example.com"))).isInstanceOf(NotFoundException.class);
    try (ApiGatewayClient other = RestApiClients.v1(server.endpoint(), "111122223333", Region.US_EAST_1)) {
      other.createDomainName(b -> b.domainName("api.example.com").certificateArn(CERT));
      other.deleteDomainName(b -> b.domainName("api.example.com"));
    }
  }

  @Test
  void basePathMappingsAreCheckedAsAwsDoes() {
    String restApiId = restApi();
    v1.createDomainName(b -> b.domainName("api.example.com").certificateArn(CERT));
    var none = v1.createBasePathMapping(b -> b.domainName("api.example.com").restApiId(restApiId).stage("dev"));
    assertThat(none.basePath()).isEqualTo("(none)");
    assertThat(none.restApiId()).isEqualTo(restApiId);
    assertThat(none.stage()).isEqualTo("dev");
    v1.createBasePathMapping(b -> b.domainName("api.example.com").restApiId(restApiId).stage("dev").basePath("admin"));
    assertThatThrownBy(() -> v1.createBasePathMapping(b -> b.domainName("api.example.com").restApiId(restApiId).basePath("(none)")))
        .isInstanceOf(ConflictException.class).hasMessageContaining("Base path already exists for this domain name");
    assertThatThrownBy(() -> v1.createBasePathMapping(b -> b.domainName("api.example.com").restApiId(restApiId).basePath("a/b")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("API Gateway V1 doesn't support the slash character (/)");
    assertThatThrownBy(() -> v1.createBasePathMapping(b -> b.domainName("api.example.com").restApiId("0000000000").basePath("x")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("Invalid REST API identifier specified");
    assertThatThrownBy(() -> v1.createBasePathMapping(b -> b.domainName("api.example.com").restApiId(restApiId).stage("prod")
        .basePath("x"))).isInstanceOf(BadRequestException.class).hasMessageContaining("Invalid stage identifier specified");
    assertThatThrownBy(() -> v1.createBasePathMapping(b -> b.domainName("nothing.example.com").restApiId(restApiId)))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid domain name identifier specified");

    assertThat(v1.getBasePathMappings(b -> b.domainName("api.example.com")).items()).extracting(m -> m.basePath())
        .containsExactly("(none)", "admin");
    assertThat(v2.getApiMappings(b -> b.domainName("api.example.com")).items()).extracting(m -> m.apiMappingKey())
        .containsExactlyInAnyOrder("", "admin");
    assertThat(v1.getBasePathMapping(b -> b.domainName("api.example.com").basePath("admin")).stage()).isEqualTo("dev");
    var moved = v1.updateBasePathMapping(b -> b.domainName("api.example.com").basePath("admin")
        .patchOperations(p -> p.op(Op.REPLACE).path("/basePath").value("ops")));
    assertThat(moved.basePath()).isEqualTo("ops");
    assertThatThrownBy(() -> v1.getBasePathMapping(b -> b.domainName("api.example.com").basePath("admin")))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("Invalid base path mapping identifier specified");
    v1.deleteBasePathMapping(b -> b.domainName("api.example.com").basePath("(none)"));
    assertThat(v1.getBasePathMappings(b -> b.domainName("api.example.com")).items()).extracting(m -> m.basePath())
        .containsExactly("ops");
    v1.deleteDomainName(b -> b.domainName("api.example.com"));
  }

  @Test
  void requestsByHostAreServedByTheLongestMatchingMapping() throws Exception {
    String restApiId = restApi();
    String httpApiId = v2.createApi(b -> b.name("shop").protocolType(ProtocolType.HTTP)).apiId();
    v2.createStage(b -> b.apiId(httpApiId).stageName("$default").autoDeploy(true));
    String integration = v2.createIntegration(b -> b.apiId(httpApiId)
        .integrationType(software.amazon.awssdk.services.apigatewayv2.model.IntegrationType.HTTP_PROXY).integrationMethod("ANY")
        .integrationUri("http://127.0.0.1:" + backend.getAddress().getPort() + "/items/{id}").payloadFormatVersion("1.0"))
        .integrationId();
    v2.createRoute(b -> b.apiId(httpApiId).routeKey("GET /items/{id}").target("integrations/" + integration));
    v2.createRoute(b -> b.apiId(httpApiId).routeKey("POST /items/{id}").target("integrations/" + integration));

    v2.createDomainName(b -> b.domainName("api.example.com").domainNameConfigurations(c -> c.certificateArn(CERT)));
    v1.createBasePathMapping(b -> b.domainName("api.example.com").restApiId(restApiId).stage("dev"));
    v1.createBasePathMapping(b -> b.domainName("api.example.com").restApiId(restApiId).stage("dev").basePath("shop"));
    String shopV2 = v2.createApiMapping(b -> b.domainName("api.example.com").apiId(httpApiId).stage("$default")
        .apiMappingKey("shop/v2")).apiMappingId();
    // v2 maps a REST API under a multi-level key, which v1 cannot.
    v2.createApiMapping(b -> b.domainName("api.example.com").apiId(restApiId).stage("dev").apiMappingKey("legacy/v1"));
    v1.createDomainName(b -> b.domainName("narrow.example.com").certificateArn(CERT));
    v1.createBasePathMapping(b -> b.domainName("narrow.example.com").restApiId(restApiId).stage("dev").basePath("v1"));

    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      URI endpoint = server.endpoint(node);
      Answer rest = get(endpoint, "api.example.com", "/health");
      assertThat(rest.status()).as(rest.body()).isEqualTo(200);
      assertThat(new JsonObject(rest.body())).isEqualTo(new JsonObject().put("api", "rest").put("stage", "dev"));
      Answer http = get(endpoint, "API.example.com:" + endpoint.getPort(), "/shop/v2/items/7");
      assertThat(http.status()).as(http.body()).isEqualTo(200);
      assertThat(new JsonObject(http.body()).getString("backendSaw")).isEqualTo("/items/7");
      Answer shop = get(endpoint, "api.example.com", "/shop/health");
      assertThat(shop.status()).as(shop.body()).isEqualTo(200);
      assertThat(new JsonObject(shop.body()).getString("api")).isEqualTo("rest");
      // A key matches whole segments only: /shopping is the empty key's /shopping.
      Answer shopping = get(endpoint, "api.example.com", "/shopping");
      assertThat(shopping.status()).isEqualTo(403);
      assertThat(new JsonObject(shopping.body()).getString("message")).isEqualTo("Missing Authentication Token");
      Answer forbidden = get(endpoint, "narrow.example.com", "/v2/health");
      assertThat(forbidden.status()).isEqualTo(403);
      assertThat(new JsonObject(forbidden.body())).isEqualTo(new JsonObject().put("message", "Forbidden"));
      assertThat(forbidden.headers().get("x-amzn-errortype")).isEqualTo("ForbiddenException");
      Answer narrow = get(endpoint, "narrow.example.com", "/v1/health");
      assertThat(narrow.status()).isEqualTo(200);
      Answer legacy = get(endpoint, "api.example.com", "/legacy/v1/health");
      assertThat(legacy.status()).as(legacy.body()).isEqualTo(200);
      assertThat(new JsonObject(legacy.body()).getString("api")).isEqualTo("rest");
    }

    // A mapping's removal reaches every node's cache: /shop/v2/... now falls to the shop mapping.
    v2.deleteApiMapping(b -> b.domainName("api.example.com").apiMappingId(shopV2));
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      URI endpoint = server.endpoint(node);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        Answer gone = get(endpoint, "api.example.com", "/shop/v2/items/7");
        assertThat(gone.status()).isEqualTo(403);
        assertThat(new JsonObject(gone.body()).getString("message")).isEqualTo("Missing Authentication Token");
      });
    }
    // A deleted domain name is no longer served: the host is routed as any other request.
    v1.deleteDomainName(b -> b.domainName("narrow.example.com"));
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      URI endpoint = server.endpoint(node);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        Answer gone = get(endpoint, "narrow.example.com", "/v1/health");
        assertThat(gone.body()).doesNotContain("\"Forbidden\"").doesNotContain("\"rest\"");
      });
    }
  }

  @Test
  void bodiesSurviveTheFirstLookupOfAHostWhetherItIsADomainOrNot() throws Exception {
    String httpApiId = v2.createApi(b -> b.name("orders").protocolType(ProtocolType.HTTP)).apiId();
    v2.createStage(b -> b.apiId(httpApiId).stageName("live"));
    String integration = v2.createIntegration(b -> b.apiId(httpApiId)
        .integrationType(software.amazon.awssdk.services.apigatewayv2.model.IntegrationType.HTTP_PROXY).integrationMethod("ANY")
        .integrationUri("http://127.0.0.1:" + backend.getAddress().getPort() + "/orders").payloadFormatVersion("1.0"))
        .integrationId();
    v2.createRoute(b -> b.apiId(httpApiId).routeKey("POST /orders").target("integrations/" + integration));
    v2.createDeployment(b -> b.apiId(httpApiId).stageName("live"));
    v2.createDomainName(b -> b.domainName("orders.example.com").domainNameConfigurations(c -> c.certificateArn(CERT)));
    v2.createApiMapping(b -> b.domainName("orders.example.com").apiId(httpApiId).stage("live"));
    String body = "{\"order\": \"" + "x".repeat(200_000) + "\"}";
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      // Each node's first request for the host waits for the lookup with its body held back.
      Answer posted = send(server.endpoint(node), "orders.example.com", "POST", "/orders", "application/json", body);
      assertThat(posted.status()).as(posted.body()).isEqualTo(200);
      assertThat(new JsonObject(posted.body()).getString("body")).isEqualTo(body);
      // A host that is no domain name here goes to the services as before: an unsigned SQS Query call.
      Answer query = send(server.endpoint(node), "queues-" + node + ".example.org", "POST", "/",
          "application/x-www-form-urlencoded", "Action=ListQueues&Version=2012-11-05");
      assertThat(query.status()).as(query.body()).isEqualTo(200);
      assertThat(query.body()).contains("ListQueuesResponse");
    }
    // An API that turns its execute-api endpoint off is still served by its custom domain name.
    v2.updateApi(b -> b.apiId(httpApiId).disableExecuteApiEndpoint(true));
    v2.createDeployment(b -> b.apiId(httpApiId).stageName("live"));
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      URI endpoint = server.endpoint(node);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(Invocations.send(endpoint, httpApiId, "POST", "/live/orders", "{}").statusCode()).isEqualTo(403));
      assertThat(send(endpoint, "orders.example.com", "POST", "/orders", "application/json", "{}").status()).isEqualTo(200);
    }
  }

  /** A REST API with {@code GET /health} answering {@code {"api": "rest", "stage": <stage>}} by MOCK, deployed to dev. */
  private String restApi() {
    var api = v1.createRestApi(b -> b.name("rest-behind-a-domain"));
    String health = v1.createResource(b -> b.restApiId(api.id()).parentId(api.rootResourceId()).pathPart("health")).id();
    v1.putMethod(b -> b.restApiId(api.id()).resourceId(health).httpMethod("GET").authorizationType("NONE"));
    v1.putIntegration(b -> b.restApiId(api.id()).resourceId(health).httpMethod("GET").type(IntegrationType.MOCK)
        .requestTemplates(Map.of("application/json", "{\"statusCode\": 200}")));
    v1.putMethodResponse(b -> b.restApiId(api.id()).resourceId(health).httpMethod("GET").statusCode("200"));
    v1.putIntegrationResponse(b -> b.restApiId(api.id()).resourceId(health).httpMethod("GET").statusCode("200")
        .responseTemplates(Map.of("application/json", "{\"api\": \"rest\", \"stage\": \"$context.stage\"}")));
    v1.createDeployment(b -> b.restApiId(api.id()).stageName("dev"));
    return api.id();
  }

  record Answer(int status, Map<String, String> headers, String body) {}

  /**
   * A GET with the Host header a client of the custom domain sends (Java's HTTP client will not set
   * Host), over HTTP/1.1 with {@code Connection: close}.
   */
  static Answer get(URI endpoint, String host, String path) throws Exception {
    return send(endpoint, host, "GET", path, null, null);
  }

  static Answer send(URI endpoint, String host, String method, String path, String contentType, String body) throws Exception {
    try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      String request = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\nConnection: close\r\n"
          + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
          + (body == null ? "" : "Content-Length: " + content.length + "\r\n") + "\r\n";
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.write(content);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] all = in.readAllBytes();
      String text = new String(all, StandardCharsets.UTF_8);
      int headEnd = text.indexOf("\r\n\r\n");
      String[] head = text.substring(0, headEnd).split("\r\n");
      int status = Integer.parseInt(head[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
      }
      String answer = text.substring(headEnd + 4);
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) answer = unchunk(answer);
      return new Answer(status, headers, answer);
    }
  }

  private static String unchunk(String chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
      if (size == 0) break;
      out.writeBytes(chunked.substring(lineEnd + 2, lineEnd + 2 + size).getBytes(StandardCharsets.UTF_8));
      at = lineEnd + 2 + size + 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
