package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The REST API (v1) management API on the wire: statuses of success (201 created, 202 deleted),
 * list bodies in {@code item}, epoch-second dates, and errors with only {@code {"message"}} in the
 * body and the code in {@code x-amzn-ErrorType}, for unknown resources, unknown paths, malformed,
 * mistyped and oversized bodies.
 */
class RestApiErrorsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.endpoint() + path)).header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String assertError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue(code);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.fieldNames()).containsExactly("message");
    return body.getString("message");
  }

  private String createApi() throws Exception {
    HttpResponse<String> r = send("POST", "/restapis", "{\"name\": \"wire\"}");
    assertThat(r.statusCode()).isEqualTo(201);
    return new JsonObject(r.body()).getString("id");
  }

  @Test
  void successesAsApiGatewayAnswers() throws Exception {
    HttpResponse<String> created = send("POST", "/restapis", "{\"name\": \"wire\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject api = new JsonObject(created.body());
    assertThat(api.getValue("createdDate")).isInstanceOf(Number.class);
    assertThat(api.getLong("createdDate")).isLessThanOrEqualTo(server.clock().millis() / 1000);
    HttpResponse<String> list = send("GET", "/restapis?limit=10", null);
    assertThat(list.statusCode()).isEqualTo(200);
    JsonObject page = new JsonObject(list.body());
    assertThat(page.fieldNames()).containsExactly("item");
    assertThat(page.getJsonArray("item")).hasSize(1);
    HttpResponse<String> resources = send("GET", "/restapis/" + api.getString("id") + "/resources?embed=methods", null);
    assertThat(new JsonObject(resources.body()).getJsonArray("item").getJsonObject(0).getString("path")).isEqualTo("/");
    HttpResponse<String> deleted = send("DELETE", "/restapis/" + api.getString("id"), null);
    assertThat(deleted.statusCode()).isEqualTo(202);
  }

  @Test
  void unknownResourcesAreNotFound() throws Exception {
    assertThat(assertError(send("GET", "/restapis/0000000000", null), 404, "NotFoundException"))
        .isEqualTo("Invalid API identifier specified 000000000000:0000000000");
    String id = createApi();
    assertThat(assertError(send("GET", "/restapis/" + id + "/resources/nosuch", null), 404, "NotFoundException"))
        .isEqualTo("Invalid Resource identifier specified");
    assertThat(assertError(send("GET", "/restapis/" + id + "/stages/nosuch", null), 404, "NotFoundException"))
        .isEqualTo("Invalid Stage identifier specified");
    assertError(send("GET", "/restapis/" + id + "/deployments/nosuch", null), 404, "NotFoundException");
    assertError(send("GET", "/restapis/" + id + "/authorizers/nosuch", null), 404, "NotFoundException");
    assertError(send("GET", "/restapis/" + id + "/requestvalidators/nosuch", null), 404, "NotFoundException");
    assertError(send("GET", "/restapis/" + id + "/models/Nosuch", null), 404, "NotFoundException");
    assertError(send("GET", "/apikeys/nosuch", null), 404, "NotFoundException");
    assertError(send("GET", "/usageplans/nosuch", null), 404, "NotFoundException");
  }

  @Test
  void unknownPathsAreNotFound() throws Exception {
    assertError(send("GET", "/restapis/abc/nothing-here", null), 404, "NotFoundException");
    assertError(send("PUT", "/restapis", "{}"), 404, "NotFoundException");
  }

  @Test
  void malformedAndMistypedBodiesAreBadRequests() throws Exception {
    assertError(send("POST", "/restapis", "{\"name\": "), 400, "BadRequestException");
    assertError(send("POST", "/restapis", "[1, 2]"), 400, "BadRequestException");
    assertError(send("POST", "/restapis", "{\"name\": 5}"), 400, "BadRequestException");
    assertError(send("POST", "/restapis", "{}"), 400, "BadRequestException");
    assertError(send("POST", "/restapis", "{\"name\": \"x\", \"binaryMediaTypes\": \"image/png\"}"), 400, "BadRequestException");
    String id = createApi();
    assertError(send("PATCH", "/restapis/" + id, "{\"patchOperations\": \"replace\"}"), 400, "BadRequestException");
    HttpResponse<String> invalid = send("PATCH", "/restapis/" + id, "{\"patchOperations\": [{\"op\": \"frobnicate\", \"path\": \"/name\"}]}");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.headers().firstValue("x-amzn-ErrorType")).hasValue("ValidationException");
    assertThat(new JsonObject(invalid.body()).fieldNames()).containsExactly("Message");
    assertError(send("PATCH", "/restapis/" + id, "{\"patchOperations\": [{\"op\": \"replace\", \"path\": \"/name\"}]}"),
        400, "BadRequestException");
    assertError(send("GET", "/restapis?limit=zero", null), 400, "BadRequestException");
    assertError(send("GET", "/restapis?position=***", null), 400, "BadRequestException");
  }

  @Test
  void anOversizedBodyIsRefused() throws Exception {
    HttpResponse<String> r = send("POST", "/restapis", "{\"description\": \"" + "x".repeat(7 * 1024 * 1024) + "\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("BadRequestException");
  }
}
