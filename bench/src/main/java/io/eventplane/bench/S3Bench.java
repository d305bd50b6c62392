package io.eventplane.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The S3 benchmark: Eventplane (fsync) and S3Proxy 4.1.0 (filesystem provider) side by side in one
 * run, on loopback, unsigned path-style requests from {@code --clients} threads of Java's HTTP client:
 * 4 KiB PutObject and GetObject ops/s, 256 MiB PutObject/GetObject MB/s next to a plain fsynced
 * file copy on the same disk, PutObject -> SQS notification receivable latency at 200 puts/s
 * (Eventplane only: S3Proxy has no notifications), and the server's heap limit and peak RSS during
 * a 5 GiB upload and download. Usage: {@code bench/run-s3-bench.sh [--runs 3] [--seconds 10] [--clients 16]}.
 */
public final class S3Bench {
  private static final int SMALL = 4 * 1024;
  private static final long LARGE = 256L << 20;
  private static final long HUGE = 5L << 30;

  private final Path root;
  private final Path work;
  // Daemon threads: the client's pool must not keep the JVM alive once the run is over.
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .executor(Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "bench-http");
        t.setDaemon(true);
        return t;
      })).build();

  private S3Bench(Path root, Path work) {
    this.root = root;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(".");
    int runs = 3;
    int seconds = 10;
    int clients = 16;
    boolean huge = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--root" -> root = Path.of(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--no-5gib" -> huge = false;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory(Path.of("/tmp"), "eventplane-s3-bench");
    try {
      new S3Bench(root.toAbsolutePath(), work).run(runs, seconds, clients, huge);
    } finally {
      // The servers' data dirs and the 256 MiB file live here: gigabytes once a run is over.
      try (var paths = Files.walk(work)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private record Server(String name, Process process, String url) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
  }

  private void run(int runs, int seconds, int clients, boolean huge) throws Exception {
    Path large = work.resolve("large.bin");
    writeRandom(large, LARGE);
    System.out.printf(Locale.ROOT, "machine: %d cores, %s; java %s%n", Runtime.getRuntime().availableProcessors(),
        Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "), System.getProperty("java.version"));
    List<String> rows = new ArrayList<>();
    try (Server eventplane = eventplane("eventplane-fsync", List.of("-Xmx1g"));
        Server s3proxy = s3proxy()) {
      for (int r = 1; r <= runs; r++) {
        for (Server s : List.of(eventplane, s3proxy)) {
          String bucket = "bench-" + r;
          put(s.url() + "/" + bucket, HttpRequest.BodyPublishers.noBody(), 200);
          double putOps = smallPuts(s.url() + "/" + bucket, seconds, clients);
          double getOps = smallGets(s.url() + "/" + bucket, seconds, clients);
          double largePut = mbPerSecond(LARGE, () -> put(s.url() + "/" + bucket + "/large",
              HttpRequest.BodyPublishers.ofFile(large), 200));
          double largeGet = mbPerSecond(LARGE, () -> getDiscarding(s.url() + "/" + bucket + "/large"));
          String row = String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.0f | %.0f |", r, s.name(), putOps, getOps,
              largePut, largeGet);
          rows.add(row);
          System.out.println(row);
        }
        double copy = mbPerSecond(LARGE, () -> copyFile(large, work.resolve("copy.bin")));
        String row = String.format(Locale.ROOT, "| %d | file copy + fsync | | | %.0f | |", r, copy);
        rows.add(row);
        System.out.println(row);
        // A single PUT's ETag is the MD5 of its bytes, one digest over the whole body: one core's MD5 bounds it.
        double md5 = mbPerSecond(LARGE, () -> md5Of(large));
        row = String.format(Locale.ROOT, "| %d | MD5 of the file, one core | | | %.0f | |", r, md5);
        rows.add(row);
        System.out.println(row);
      }
      System.out.println("\n| run | target | 4 KiB PUT ops/s | 4 KiB GET ops/s | 256 MiB PUT MB/s | 256 MiB GET MB/s |");
      System.out.println("|---|---|---|---|---|---|");
      rows.forEach(System.out::println);
      for (int r = 1; r <= runs; r++) notificationLatency(eventplane, r);
    }
    if (huge) hugeUpload();
  }

  private Server eventplane(String name, List<String> jvm) throws Exception {
    int port = freePort();
    List<String> cmd = new ArrayList<>(List.of("java"));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-jar", root.resolve("server/target/eventplane.jar").toString(), "--port", Integer.toString(port),
        "--data-dir", Files.createTempDirectory(work, name).toString(), "--durability", "fsync"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile()).start();
    String url = "http://127.0.0.1:" + port;
    awaitStatus(url + "/_eventplane/health", 200);
    return new Server(name, p, url);
  }

  private Server s3proxy() throws Exception {
    int port = freePort();
    Path conf = work.resolve("s3proxy.conf");
    Path data = Files.createDirectories(work.resolve("s3proxy-data"));
    Files.writeString(conf, "s3proxy.authorization=none\ns3proxy.endpoint=http://127.0.0.1:" + port
        + "\njclouds.provider=filesystem\njclouds.filesystem.basedir=" + data + "\n");
    Process p = new ProcessBuilder("java", "-Xmx1g", "-DLOG_LEVEL=warn", "-cp", root.resolve("bench/target/s3proxy-lib") + "/*",
        "org.gaul.s3proxy.Main", "--properties", conf.toString()).redirectErrorStream(true)
        .redirectOutput(work.resolve("s3proxy.log").toFile()).start();
    String url = "http://127.0.0.1:" + port;
    awaitStatus(url + "/", 200);
    return new Server("s3proxy-filesystem", p, url);
  }

  private double smallPuts(String bucketUrl, int seconds, int clients) throws Exception {
    byte[] body = new byte[SMALL];
    ThreadLocalRandom.current().nextBytes(body);
    return closedLoop(seconds, clients, (thread, n) -> put(bucketUrl + "/s/" + thread + "/" + (n % 200),
        HttpRequest.BodyPublishers.ofByteArray(body), 200));
  }

  private double smallGets(String bucketUrl, int seconds, int clients) throws Exception {
    return closedLoop(seconds, clients, (thread, n) -> {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(bucketUrl + "/s/" + thread + "/" + (n % 20))).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200 || r.body().length != SMALL) throw new IllegalStateException("GET answered " + r.statusCode());
    });
  }

  private interface Call {
    void run(int thread, long n) throws Exception;
  }

  /** Ops/s of {@code clients} threads calling as fast as answers come, after a warm-up of a third of the time. */
  private double closedLoop(int seconds, int clients, Call call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    List<java.util.concurrent.Future<?>> all = new ArrayList<>();
    for (int t = 0; t < clients; t++) {
      int thread = t;
      all.add(pool.submit(() -> {
        for (long n = 0; !stop.get(); n++) {
          call.run(thread, n);
          if (measuring.get()) done.incrementAndGet();
        }
        return null;
      }));
    }
    Thread.sleep(Math.max(1, seconds / 3) * 1000L);
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    long count = done.get();
    double elapsed = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    for (var f : all) f.get();
    pool.shutdown();
    return count / elapsed;
  }

  private interface Timed {
    void run() throws Exception;
  }

  private static double mbPerSecond(long bytes, Timed work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
  }

  private void put(String url, HttpRequest.BodyPublisher body, int expected) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).PUT(body).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) throw new IllegalStateException("PUT " + url + " answered " + r.statusCode() + " " + r.body());
  }

  private long getDiscarding(String url) throws Exception {
    HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    long total = 0;
    try (var in = r.body()) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) total += n;
    }
    if (r.statusCode() != 200) throw new IllegalStateException("GET " + url + " answered " + r.statusCode());
    return total;
  }

  private static void md5Of(Path file) throws Exception {
    java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
      while (ch.read(buf) > 0) {
        buf.flip();
        md5.update(buf);
        buf.clear();
      }
    }
    md5.digest();
  }

  private static void copyFile(Path from, Path to) throws IOException {
    Files.deleteIfExists(to);
    Files.copy(from, to);
    try (FileChannel ch = FileChannel.open(to, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /** PutObject -> notification receivable in SQS, open loop at 200 PUTs/s for 15 s. */
  private void notificationLatency(Server s, int run) throws Exception {
    String bucket = "latency-" + run;
    String queue = "latency-" + run;
    sqs(s.url(), "CreateQueue", "{\"QueueName\":\"" + queue + "\"}");
    put(s.url() + "/" + bucket, HttpRequest.BodyPublishers.noBody(), 200);
    put(s.url() + "/" + bucket + "?notification", HttpRequest.BodyPublishers.ofString("<NotificationConfiguration>"
        + "<QueueConfiguration><Id>n</Id><Queue>arn:aws:sqs:us-east-1:000000000000:" + queue + "</Queue>"
        + "<Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>"), 200);
    String queueUrl = s.url() + "/000000000000/" + queue;
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService receivers = Executors.newFixedThreadPool(4);
    Pattern key = Pattern.compile("\\\\\"key\\\\\":\\\\\"k-(\\d+)\\\\\"");
    for (int i = 0; i < 4; i++) {
      receivers.submit(() -> {
        while (!stop.get()) {
          String out = sqs(s.url(), "ReceiveMessage", "{\"QueueUrl\":\"" + queueUrl
              + "\",\"MaxNumberOfMessages\":10,\"WaitTimeSeconds\":1}");
          long now = System.nanoTime();
          Matcher m = key.matcher(out);
          while (m.find()) latencies.add(now - Long.parseLong(m.group(1)));
        }
        return null;
      });
    }
    ScheduledExecutorService senders = Executors.newScheduledThreadPool(8);
    byte[] body = new byte[1024];
    AtomicLong sent = new AtomicLong();
    var task = senders.scheduleAtFixedRate(() -> {
      try {
        put(s.url() + "/" + bucket + "/k-" + System.nanoTime(), HttpRequest.BodyPublishers.ofByteArray(body), 200);
        sent.incrementAndGet();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, 0, 5, TimeUnit.MILLISECONDS);
    Thread.sleep(15_000);
    task.cancel(false);
    senders.shutdown();
    senders.awaitTermination(30, TimeUnit.SECONDS);
    long deadline = System.currentTimeMillis() + 20_000;
    while (latencies.size() < sent.get() && System.currentTimeMillis() < deadline) Thread.sleep(100);
    stop.set(true);
    receivers.shutdown();
    receivers.awaitTermination(30, TimeUnit.SECONDS);
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    // The first seconds warm the JIT: measure the last two thirds.
    List<Long> measured = sorted.isEmpty() ? sorted : new ArrayList<>(latencies).subList(latencies.size() / 3, latencies.size());
    Collections.sort(measured);
    System.out.printf(Locale.ROOT, "notification latency run %d: %d PUTs, %d notified; p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        run, sent.get(), latencies.size(), pct(measured, 0.50), pct(measured, 0.99), pct(measured, 1.0));
  }

  private static double pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) return Double.NaN;
    int i = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
    return sorted.get(Math.max(0, i)) / 1e6;
  }

  private String sqs(String url, String op, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/")).header("X-Amz-Target", "AmazonSQS." + op)
        .header("Content-Type", "application/x-amz-json-1.0").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException(op + " answered " + r.statusCode() + " " + r.body());
    return r.body();
  }

  /** A 5 GiB object through a server with a 256 MiB heap: up and down, generated and checked while streaming. */
  private void hugeUpload() throws Exception {
    try (Server s = eventplane("eventplane-256m", List.of("-Xmx256m"))) {
      long pid = s.process().pid();
      AtomicLong peakRss = new AtomicLong();
      AtomicBoolean sampling = new AtomicBoolean(true);
      Thread sampler = new Thread(() -> {
        while (sampling.get()) {
          peakRss.accumulateAndGet(rssKib(pid), Math::max);
          try {
            Thread.sleep(200);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      sampler.start();
      long idle = rssKib(pid);
      put(s.url() + "/huge", HttpRequest.BodyPublishers.noBody(), 200);
      MessageDigest sent = MessageDigest.getInstance("MD5");
      double up = mbPerSecond(HUGE, () -> put(s.url() + "/huge/five-gib", HttpRequest.BodyPublishers.fromPublisher(
          new Generated(HUGE, sent), HUGE), 200));
      MessageDigest received = MessageDigest.getInstance("MD5");
      double down = mbPerSecond(HUGE, () -> {
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(s.url() + "/huge/five-gib")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        long total = 0;
        try (var in = r.body()) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; ) {
            received.update(buf, 0, n);
            total += n;
          }
        }
        if (total != HUGE) throw new IllegalStateException("read " + total + " bytes");
      });
      sampling.set(false);
      sampler.join();
      boolean same = MessageDigest.isEqual(sent.digest(), received.digest());
      System.out.printf(Locale.ROOT, "5 GiB with -Xmx256m: PUT %.0f MB/s, GET %.0f MB/s, bytes identical: %s, "
          + "server RSS idle %d MiB, peak %d MiB%n", up, down, same, idle / 1024, peakRss.get() / 1024);
    }
  }

  private static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  /** {@code size} pseudo-random bytes made on demand (a 64 KiB block, varied per chunk), digested as they go. */
  private static final class Generated implements Flow.Publisher<ByteBuffer> {
    private final long size;
    private final MessageDigest digest;

    Generated(long size, MessageDigest digest) {
      this.size = size;
      this.digest = digest;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      byte[] block = new byte[1 << 16];
      ThreadLocalRandom.current().nextBytes(block);
      subscriber.onSubscribe(new Flow.Subscription() {
        long sent;
        long demand;
        boolean emitting;
        boolean cancelled;

        @Override
        public synchronized void request(long n) {
          demand += n;
          if (emitting) return;
          emitting = true;
          while (demand > 0 && sent < size && !cancelled) {
            int len = (int) Math.min(block.length, size - sent);
            block[(int) (sent / block.length) % block.length] ^= 1;
            digest.update(block, 0, len);
            sent += len;
            demand--;
            subscriber.onNext(ByteBuffer.wrap(block.clone(), 0, len));
          }
          emitting = false;
          if (sent >= size && !cancelled) {
            cancelled = true;
            subscriber.onComplete();
          }
        }

        @Override
        public synchronized void cancel() {
          cancelled = true;
        }
      });
    }
  }

  private void writeRandom(Path file, long bytes) throws IOException {
    byte[] block = new byte[1 << 20];
    try (var out = Files.newOutputStream(file)) {
      for (long done = 0; done < bytes; done += block.length) {
        ThreadLocalRandom.current().nextBytes(block);
        out.write(block);
      }
    }
  }

  private void awaitStatus(String url, int status) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == status) return;
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(url + " did not answer " + status + " within 60 s");
  }

  private static int freePort() throws IOException {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
