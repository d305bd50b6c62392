package io.eventplane.server;

import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.time.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A real Eventplane server in this JVM on an ephemeral port with a temp data dir and a clock the
 * test moves; state is reset before each test. Use with {@code @RegisterExtension static}.
 */
public final class EmbeddedServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private final MutableClock clock = new MutableClock();
  private Path dataDir;
  private EventplaneServer server;
  private SqsClient sqs;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("eventplane-test");
    server = EventplaneServer.start(EventplaneConfig.defaults().withPort(0).withDataDir(dataDir), clock);
    sqs = SqsClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
        .build();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(endpoint().resolve("/_eventplane/reset")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("reset failed: " + r.statusCode() + " " + r.body());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (sqs != null) sqs.close();
    if (server != null) server.close();
    deleteRecursively(dataDir);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  public SqsClient sqs() {
    return sqs;
  }

  public MutableClock clock() {
    return clock;
  }

  public void advance(Duration d) {
    clock.advance(d);
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
