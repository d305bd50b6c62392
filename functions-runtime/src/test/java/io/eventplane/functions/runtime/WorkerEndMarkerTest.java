package io.eventplane.functions.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.logs.LogStream;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An invocation's end waits for its output, however late the reader of the process's output
 * delivers it: the worker runs {@link ScriptedRuntime}, which answers and then marks the end, and
 * reads its output through a tap that holds every read back (far beyond the 250 ms an unmarked
 * runtime's end waits) or hands it over a few bytes at a time (the marker split across reads).
 */
class WorkerEndMarkerTest {
  private static final String REQUEST = "6f1d9c2e-4b7a-4e0f-9a51-2c8d7e3b1a90";
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  /** A recording log stream: what CloudWatch Logs would get. */
  private static final class Recorded implements LogStream {
    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public String streamName() {
      return "test";
    }

    @Override
    public void write(String message) {
      messages.add(message);
    }

    @Override
    public void write(long timestamp, String message) {
      messages.add(message);
    }

    @Override
    public void close() {}
  }

  /** Reads at most {@code chunk} bytes at a time, each after {@code lagMillis}: a reader thread starved under load. */
  private static UnaryOperator<InputStream> lagging(long lagMillis, int chunk) {
    return in -> new FilterInputStream(in) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          Thread.sleep(lagMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  private static InvocationResult invoke(Path dir, Recorded logs, UnaryOperator<InputStream> tap) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Launch launch = new Launch(List.of(java, "-cp", System.getProperty("java.class.path"), ScriptedRuntime.class.getName()),
        dir, Map.of("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"),
        "arn:aws:lambda:us-east-1:000000000000:function:scripted", null, true);
    Context context = vertx.getOrCreateContext();
    CompletableFuture<InvocationResult> result = new CompletableFuture<>();
    Worker[] worker = new Worker[1];
    Worker.Events events = new Worker.Events() {
      @Override
      public void available(Worker w) {}

      @Override
      public void gone(Worker w) {}
    };
    context.runOnContext(v -> {
      worker[0] = new Worker(vertx, context, "t" + System.nanoTime(), launch, 60, logs, events, tap);
      Invocation in = new Invocation(REQUEST, "{}".getBytes(StandardCharsets.UTF_8), null);
      worker[0].start();
      worker[0].assign(in);
      in.result().onComplete(ar -> {
        if (ar.succeeded()) result.complete(ar.result());
        else result.completeExceptionally(ar.cause());
      });
    });
    try {
      return result.get(30, TimeUnit.SECONDS);
    } finally {
      CompletableFuture<Void> stopped = new CompletableFuture<>();
      context.runOnContext(v -> {
        worker[0].stop();
        stopped.complete(null);
      });
      stopped.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theEndWaitsForALaggingReaderAndTheTailHasTheHandlersLines(@TempDir Path dir) throws Exception {
    Recorded logs = new Recorded();
    long started = System.nanoTime();
    InvocationResult r = invoke(dir, logs, lagging(700, 8192));
    assertThat(r.failed()).isFalse();
    assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
    List<String> lines = r.log().lines().toList();
    assertThat(lines.get(0)).isEqualTo("START RequestId: " + REQUEST + " Version: $LATEST");
    assertThat(lines.subList(1, lines.size() - 2)).containsExactly("handler line 1", "on stderr", "", "no newline");
    assertThat(lines.get(lines.size() - 2)).isEqualTo("END RequestId: " + REQUEST);
    assertThat(lines.get(lines.size() - 1)).startsWith("REPORT RequestId: " + REQUEST);
    assertThat(r.log()).doesNotContain("\u0000").doesNotContain("invocation-end");
    assertThat(logs.messages).containsExactlyElementsOf(lines);
    // The reader's first read alone took longer than an unmarked runtime's end would have waited.
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isGreaterThan(700);
  }

  @Test
  void aMarkerSplitAcrossReadsIsNeverLogged(@TempDir Path dir) throws Exception {
    Recorded logs = new Recorded();
    InvocationResult r = invoke(dir, logs, lagging(1, 3));
    List<String> lines = r.log().lines().toList();
    assertThat(lines.subList(1, lines.size() - 2)).containsExactly("handler line 1", "on stderr", "", "no newline");
    assertThat(logs.messages).containsExactlyElementsOf(lines).noneMatch(m -> m.contains("\u0000"));
  }
}
