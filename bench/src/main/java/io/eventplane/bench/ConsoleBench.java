package io.eventplane.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web console on many queues (issue 18: "fast on 10,000 queues (paged)"): the packaged server
 * ({@code server/target/eventplane.jar}, {@code --auth off}) answers the console's pages with 10
 * queues, then again once it has {@code --queues} of them: the overview, the queue list's first page,
 * a page deep in the list (reached by following the Next links once, then timed by itself), the list
 * filtered by a prefix, and one queue's page. Each page is asked {@code --requests} times one after
 * another after {@code --warmup} unmeasured asks; the report gives the median, p90 and maximum wall
 * time per page and the page's size. The server process is stopped and its temp dir deleted.
 *
 * <pre>
 * java -cp bench/target/eventplane-bench.jar io.eventplane.bench.ConsoleBench --root . \
 *   [--queues 10000] [--requests 50] [--warmup 10] [--deep-page 100]
 * </pre>
 */
public final class ConsoleBench {
  private static final String CONSOLE = "/_eventplane/console/";
  private static final Pattern NEXT = Pattern.compile("href=\"([^\"]*token=[^\"]+)\">Next page</a>");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** One page's timings. */
  record Timing(String page, long[] nanos, int bytes) {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(".");
    int queues = 10_000;
    int requests = 50;
    int warmup = 10;
    int deepPage = 100;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--root" -> root = Path.of(value);
        case "--queues" -> queues = Integer.parseInt(value);
        case "--requests" -> requests = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--deep-page" -> deepPage = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path jar = root.toAbsolutePath().normalize().resolve("server/target/eventplane.jar");
    if (!Files.exists(jar)) throw new IllegalStateException("missing " + jar + ": build the server first");
    new ConsoleBench().run(jar, queues, requests, warmup, deepPage);
  }

  private void run(Path jar, int queues, int requests, int warmup, int deepPage) throws Exception {
    Path work = Files.createTempDirectory("eventplane-console-bench-");
    Map<String, List<Timing>> results = new LinkedHashMap<>();
    try (StartupBench.Child child = StartupBench.Child.start(jar, List.of("-Xmx1g"), Files.createDirectories(work.resolve("data")),
        work)) {
      child.awaitFirstRequest(http);
      String base = "http://127.0.0.1:" + child.port;
      createQueues(base, 0, 10);
      results.put("10 queues", measure(base, requests, warmup, 1));
      createQueues(base, 10, queues);
      results.put(String.format(Locale.ROOT, "%,d queues", queues), measure(base, requests, warmup, deepPage));
    } finally {
      TempDirs.delete(work);
    }
    System.out.println(report(results, requests, warmup, deepPage));
  }

  private List<Timing> measure(String base, int requests, int warmup, int deepPage) throws Exception {
    String deep = CONSOLE + "queues";
    for (int p = 1; p < deepPage; p++) {
      Matcher m = NEXT.matcher(get(base + deep).body());
      if (!m.find()) break;
      deep = m.group(1).replace("&amp;", "&");
    }
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("overview", CONSOLE);
    pages.put("queue list, first page", CONSOLE + "queues");
    pages.put("queue list, page " + deepPage + " (by its token)", deep);
    pages.put("queue list, prefix console-bench-99", CONSOLE + "queues?prefix=console-bench-99");
    pages.put("one queue's page", CONSOLE + "queues/console-bench-5");
    List<Timing> out = new ArrayList<>();
    for (Map.Entry<String, String> page : pages.entrySet()) {
      String url = base + page.getValue();
      int bytes = 0;
      for (int i = 0; i < warmup; i++) get(url);
      long[] nanos = new long[requests];
      for (int i = 0; i < requests; i++) {
        long start = System.nanoTime();
        HttpResponse<String> r = get(url);
        nanos[i] = System.nanoTime() - start;
        bytes = r.body().length();
      }
      out.add(new Timing(page.getKey(), nanos, bytes));
    }
    return out;
  }

  private HttpResponse<String> get(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("GET " + url + " answered " + r.statusCode());
    return r;
  }

  private void createQueues(String base, int from, int to) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int q = from; q < to; q++) {
        String name = "console-bench-" + q;
        done.add(pool.submit(() -> {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/")).timeout(Duration.ofSeconds(30))
              .header("X-Amz-Target", "AmazonSQS.CreateQueue").header("Content-Type", "application/x-amz-json-1.0")
              .POST(HttpRequest.BodyPublishers.ofString("{\"QueueName\":\"" + name + "\"}")).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) throw new IllegalStateException("CreateQueue answered " + r.statusCode() + " " + r.body());
          return null;
        }));
      }
      for (Future<?> f : done) f.get();
    } finally {
      pool.shutdownNow();
    }
  }

  private static String report(Map<String, List<Timing>> results, int requests, int warmup, int deepPage) {
    StringBuilder b = new StringBuilder("## The console's pages on 10 and on many queues\n\n");
    b.append(String.format(Locale.ROOT, "Machine: nproc %d, `%s`; %d sequential GETs per page after %d unmeasured; wall time "
        + "from request to the whole body.%n%n", Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
        requests, warmup));
    b.append("| queues | page | median ms | p90 ms | max ms | KiB |\n|---|---|---:|---:|---:|---:|\n");
    for (Map.Entry<String, List<Timing>> e : results.entrySet()) {
      for (Timing t : e.getValue()) {
        long[] sorted = t.nanos().clone();
        java.util.Arrays.sort(sorted);
        b.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f |%n", e.getKey(), t.page(),
            sorted[sorted.length / 2] / 1e6, sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)] / 1e6,
            sorted[sorted.length - 1] / 1e6, t.bytes() / 1024.0));
      }
    }
    return b.toString();
  }
}
