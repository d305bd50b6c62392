package io.eventplane.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests signed by the SDK and sent over a real socket verify through the Vert.x adapter: what
 * Vert.x hands over as path, query and headers is what was signed.
 */
class VertxSignedRequestsTest {
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
  private static Vertx vertx;
  private static HttpServer server;
  private static Instant now;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req -> req.body().onComplete(body -> {
      String hash = Crypto.hex(Crypto.newSha256().digest(body.result().getBytes()));
      SigV4Verifier verifier = new SigV4Verifier(TestRequests.oneKey(SdkSigned.KEY, SdkSigned.SECRET, null),
          new SigningKeys(16), Clock.fixed(now, java.time.ZoneOffset.UTC));
      AuthResult result = verifier.verify(VertxSignedRequests.of(req, () -> hash), null);
      req.response().setStatusCode(result instanceof Verified ? 200 : 403).end(String.valueOf(result));
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static HttpResponse<String> send(SdkSigned.Signed signed) throws Exception {
    var sdk = signed.sdk();
    HttpRequest.Builder b = HttpRequest.newBuilder(sdk.getUri()).method(sdk.method().name(), signed.body().length == 0
        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(signed.body()));
    sdk.headers().forEach((name, values) -> {
      if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) values.forEach(v -> b.header(name, v));
    });
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void signedRequestsVerifyOverTheWire() throws Exception {
    now = Instant.now();
    String base = "http://127.0.0.1:" + server.actualPort();
    for (SdkSigned.Signed signed : List.of(
        SdkSigned.sign("POST", base + "/", "Action=ListTopics&Version=2010-03-31", "sns", now),
        SdkSigned.sign("GET", base + "/?Action=ListQueues&QueueNamePrefix=a%20b", null, "sqs", now),
        SdkSigned.sign("PUT", base + "/bucket/a%20key/%C3%A9t%C3%A9.txt", "hello", "s3", now),
        SdkSigned.sign("POST", base + "/2015-03-31/functions/my-fn/invocations", "{}", "lambda", now),
        SdkSigned.presign("GET", base + "/bucket/a%20b.jpg", "s3", now, Duration.ofMinutes(5), false))) {
      HttpResponse<String> response = send(signed);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
  }

  @Test
  void aWrongSecretIsRefusedOverTheWire() throws Exception {
    now = Instant.now();
    String base = "http://127.0.0.1:" + server.actualPort();
    SdkSigned.Signed signed = SdkSigned.sign("GET", base + "/?Action=ListQueues", null, "sqs", now);
    String tampered = signed.sdk().getUri().toString().replace("ListQueues", "ListQueue");
    SdkSigned.Signed moved = new SdkSigned.Signed(signed.request(), signed.body(), signed.sdk().toBuilder()
        .uri(URI.create(tampered)).build());
    assertThat(send(moved).statusCode()).isEqualTo(403);
  }
}
