package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.BadRequestException;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/**
 * API Gateway v2's errors on the wire: only {@code {"message": ...}} in the body, the code in
 * {@code x-amzn-ErrorType}, AWS's statuses; malformed, mistyped and oversized input, unknown paths.
 */
class ApiGatewayErrorsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final HttpClient http = HttpClient.newHttpClient();
  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);

  @AfterEach
  void close() {
    v2.close();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.endpoint() + path)).header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue(code);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.fieldNames()).containsExactly("message");
    assertThat(body.getString("message")).isNotBlank();
  }

  @Test
  void unknownApisAreNotFound() throws Exception {
    HttpResponse<String> r = send("GET", "/v2/apis/0000000000", null);
    assertError(r, 404, "NotFoundException");
    assertThat(new JsonObject(r.body()).getString("message")).isEqualTo("Invalid API identifier specified 000000000000:0000000000");
    assertError(send("GET", "/v2/apis/x/routes/y", null), 404, "NotFoundException");
  }

  @Test
  void unknownPathsAreNotFound() throws Exception {
    assertError(send("GET", "/v2/nothing-here", null), 404, "NotFoundException");
    assertError(send("POST", "/v2/apis/0000000000", "{}"), 404, "NotFoundException");
  }

  @Test
  void malformedAndMistypedBodiesAreBadRequests() throws Exception {
    assertError(send("POST", "/v2/apis", "{\"name\": "), 400, "BadRequestException");
    assertError(send("POST", "/v2/apis", "[1, 2]"), 400, "BadRequestException");
    assertError(send("POST", "/v2/apis", "{\"name\": 5, \"protocolType\": \"HTTP\"}"), 400, "BadRequestException");
    assertError(send("POST", "/v2/apis", "{\"name\": \"x\", \"protocolType\": \"GRPC\"}"), 400, "BadRequestException");
    assertError(send("POST", "/v2/apis", "{\"name\": \"x\", \"protocolType\": \"HTTP\", \"disableExecuteApiEndpoint\": \"yes\"}"),
        400, "BadRequestException");
  }

  @Test
  void anOversizedBodyIsRefused() throws Exception {
    HttpResponse<String> r = send("POST", "/v2/apis", "{\"description\": \"" + "x".repeat(7 * 1024 * 1024) + "\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
  }

  @Test
  void theWireSpeaksLowerCamelCase() throws Exception {
    HttpResponse<String> r = send("POST", "/v2/apis", "{\"name\": \"wire\", \"protocolType\": \"HTTP\", \"tags\": {\"Team\": \"A\"}}");
    assertThat(r.statusCode()).isEqualTo(201);
    JsonObject api = new JsonObject(r.body());
    assertThat(api.getString("apiId")).matches("[a-z0-9]{10}");
    assertThat(api.getString("protocolType")).isEqualTo("HTTP");
    assertThat(api.getJsonObject("tags").getString("Team")).isEqualTo("A");
    assertThat(api.containsKey("ApiId")).isFalse();
    HttpResponse<String> deleted = send("DELETE", "/v2/apis/" + api.getString("apiId"), null);
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
  }

  @Test
  void corsIsCheckedAsAwsDoes() {
    assertThatThrownBy(() -> v2.createApi(b -> b.name("cors").protocolType(ProtocolType.HTTP)
        .corsConfiguration(c -> c.allowCredentials(true).allowOrigins("*")))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.createApi(b -> b.name("cors").protocolType(ProtocolType.HTTP)
        .corsConfiguration(c -> c.maxAge(86401)))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.createApi(b -> b.name("cors").protocolType(ProtocolType.HTTP)
        .corsConfiguration(c -> c.allowMethods("FETCH")))).isInstanceOf(BadRequestException.class);
    var api = v2.createApi(b -> b.name("cors").protocolType(ProtocolType.HTTP)
        .corsConfiguration(c -> c.allowOrigins("https://example.com").allowMethods("GET", "POST").maxAge(300)
            .allowCredentials(true).allowHeaders("content-type").exposeHeaders("x-id")));
    assertThat(api.corsConfiguration().allowOrigins()).containsExactly("https://example.com");
    assertThat(api.corsConfiguration().maxAge()).isEqualTo(300);
    v2.deleteCorsConfiguration(b -> b.apiId(api.apiId()));
    assertThat(v2.getApi(b -> b.apiId(api.apiId())).corsConfiguration()).isNull();
  }
}
