package io.eventplane.firehose.delivery;

import io.eventplane.common.time.MutableClock;
import io.eventplane.firehose.domain.StreamTable;
import io.eventplane.firehose.store.FirehoseStore;
import io.eventplane.firehose.store.FirehoseStore.Buffered;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Delivery of the delivery streams of a lane's partitions: a stream's buffered records become an
 * object in its bucket when they reach BufferingHints.SizeInMBs or the oldest of them is
 * IntervalInSeconds old on the service clock, whichever comes first; one object holds at most
 * SizeInMBs (at least one record). Objects are written through the node's own gateway with an S3
 * PutObject, so they notify like any upload.
 *
 * <p>Each record reaches one object: before writing, the stream durably records the object it is
 * about to write (its key and the last sequence it covers, {@code Pending}); the object is written;
 * then, in one batch, the cursor moves to that sequence, the intent is cleared and the records are
 * deleted. A crash (or failover) between the intent and the cursor writes the same records again
 * under the same key, overwriting the object rather than adding a second one (with a Lambda
 * processor, the function runs again and its answer is what is written). A failed write (bucket
 * gone, denied) is retried every 5 seconds for up to 24 hours, then the records are discarded, as
 * the developer guide says of S3 destinations. Used only on the lane's context.
 */
public final class Deliveries {
  private static final System.Logger LOG = System.getLogger(Deliveries.class.getName());
  private static final long MIB = 1024 * 1024;
  private static final long RETRY_MILLIS = 5_000;
  private static final long GIVE_UP_MILLIS = Duration.ofHours(24).toMillis();
  private static final String PROCESSING_FAILED = "processing-failed";
  private static final String HTTP_ENDPOINT_FAILED = "http-endpoint-failed";
  /** The first wait before an HTTP endpoint delivery is tried again; it doubles with each failure up to the cap. */
  private static final long HTTP_BACKOFF_MILLIS = 1_000;
  private static final long HTTP_BACKOFF_CAP_MILLIS = 30_000;

  private final Vertx vertx;
  private final Context context;
  private final StreamTable table;
  private final FirehoseStore store;
  private final Clock clock;
  private final String gatewayUrl;
  private final io.eventplane.common.secret.GatewaySigner signer;
  private final Supplier<Set<Integer>> owned;
  private final HttpClient http;
  private final LambdaProcessor processor;
  private final HttpEndpointDelivery endpoints;
  private final long timer;
  /** The one-shot timer set for the earliest buffer interval to end (-1: none), so a flush waits for no periodic check. */
  private long nextDueTimer = -1;
  private final Runnable stopListening;
  /** When a failed write may be tried again, by stream (service-clock millis; not kept across restarts). */
  private final Map<String, Long> retryAt = new HashMap<>();
  /**
   * When a failed object write may be tried again by real time ({@link System#nanoTime}), by stream:
   * whichever of the two comes first. A test's clock stands still between its moves, and a transient
   * failure (a busy node, a connection reset) must not wait for a move that never comes.
   */
  private final Map<String, Long> retryAtNanos = new HashMap<>();
  /** The failed attempts of pending HTTP endpoint deliveries, by request id (not kept across restarts). */
  private final Map<String, Attempts> attempts = new HashMap<>();
  private boolean running;
  private boolean again;

  public Deliveries(Vertx vertx, Context context, StreamTable table, Clock clock, String gatewayUrl,
      io.eventplane.common.secret.GatewaySigner signer, Supplier<Set<Integer>> owned) {
    this.signer = signer;
    this.vertx = vertx;
    this.context = context;
    this.table = table;
    this.store = table.store();
    this.clock = clock;
    this.gatewayUrl = gatewayUrl;
    this.owned = owned;
    this.http = vertx.createHttpClient();
    this.processor = new LambdaProcessor(vertx, clock);
    this.endpoints = new HttpEndpointDelivery(vertx, clock);
    // A check every second of real time (work happens only when a buffer is due) besides the timer for the
    // earliest interval's end (scheduleNextDue); a test clock tells us when it moved.
    this.timer = vertx.setPeriodic(1_000, t -> tick());
    this.stopListening = clock instanceof MutableClock moved ? moved.onAdvance(() -> context.runOnContext(v -> tick())) : () -> { };
  }

  public void close() {
    vertx.cancelTimer(timer);
    if (nextDueTimer >= 0) vertx.cancelTimer(nextDueTimer);
    stopListening.run();
    http.close();
    endpoints.close();
  }

  public void clear() {
    retryAt.clear();
    retryAtNanos.clear();
    attempts.clear();
  }

  /** A stream buffered more records: delivers at once if that made it due (its size reached, or an interval of 0). */
  public void buffered(StreamTable.Entry e) {
    if (due(e, clock.millis())) tick();
  }

  /**
   * A partition was loaded here (a start, a failover): names in the log each object whose intent a
   * crash or the old owner left (written now under its key, whether or not it was written before),
   * then delivers what is due.
   */
  public void resume(int partition) {
    for (StreamTable.Entry e : table.all(partition)) {
      JsonObject pending = e.stream().getJsonObject("Pending");
      if (pending != null) {
        LOG.log(System.Logger.Level.INFO, "delivery stream " + e.stream().getString("Name") + ": resuming the object s3://"
            + pending.getString("Bucket") + "/" + pending.getString("Key") + " intended before this load (records up to "
            + pending.getLong("UpTo") + ")");
      }
    }
    tick();
  }

  /** Delivers what is due, one stream after another; a tick during a delivery runs again after it. */
  public void tick() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    Future<Void> chain = Future.succeededFuture();
    try {
      for (int partition : owned.get()) {
        for (StreamTable.Entry e : table.all(partition)) {
          JsonObject s = e.stream();
          String account = s.getString("Account");
          String region = s.getString("Region");
          String name = s.getString("Name");
          chain = chain.compose(v -> deliver(partition, account, region, name).recover(x -> {
            LOG.log(System.Logger.Level.WARNING, "delivery stream " + name + " not delivered: " + x);
            return Future.succeededFuture();
          }));
        }
      }
    } catch (RuntimeException x) {
      // Never left running: a tick that threw here would otherwise stop every later delivery on this node.
      LOG.log(System.Logger.Level.WARNING, "delivery streams not looked at: " + x);
    }
    chain.onComplete(done -> {
      running = false;
      if (again) tick();
      else scheduleNextDue();
    });
  }

  /**
   * Sets a timer for the moment the earliest buffer's interval ends (real time, as the service clock
   * runs in production), so an interval flush comes within milliseconds of its time instead of at the
   * next once-a-second check (half a second late on average).
   */
  private void scheduleNextDue() {
    if (clock instanceof MutableClock) return;  // a test's clock says when it moved (onAdvance); its time is not real time
    long now = clock.millis();
    long next = Long.MAX_VALUE;
    for (int partition : owned.get()) {
      for (StreamTable.Entry e : table.all(partition)) {
        // A stream with a pending object waits for its retry; one already due was just tried.
        if (e.bufferedRecords() == 0 || e.stream().getJsonObject("Pending") != null) continue;
        next = Math.min(next, intervalEnd(e));
      }
    }
    if (nextDueTimer >= 0) vertx.cancelTimer(nextDueTimer);
    nextDueTimer = -1;
    // Nothing due within the second (the periodic check comes first), or due already and not delivered by
    // this tick (a failure: the periodic check tries again rather than a timer in a tight loop).
    if (next == Long.MAX_VALUE || next - now >= 1_000 || next <= now) return;
    nextDueTimer = vertx.setTimer(next - now, t -> {
      nextDueTimer = -1;
      tick();
    });
  }

  private Future<Void> deliver(int partition, String account, String region, String name) {
    StreamTable.Entry e = table.get(partition, account, region, name);
    if (e == null) return Future.succeededFuture();
    JsonObject stream = e.stream();
    long now = clock.millis();
    if (stream.getJsonObject("Pending") != null) {
      if (retryAt.getOrDefault(stream.getString("ARN"), 0L) > now && !realWaitOver(stream.getString("ARN"))) {
        return Future.succeededFuture();
      }
      return write(partition, account, region, name);
    }
    if (!due(e, now)) return Future.succeededFuture();
    JsonObject destination = stream.getJsonObject("Destination");
    long limit = destination.getJsonObject("BufferingHints").getInteger("SizeInMBs") * MIB;
    long cursor = stream.getLong("Cursor", 0L);
    return vertx.executeBlocking(() -> {
      long[] span = {-1, -1, 0};
      store.scanRecords(partition, account, region, name, cursor, r -> {
        if (span[0] >= 0 && span[2] + r.data().length > limit) return false;
        if (span[0] < 0) span[1] = r.arrival();
        span[0] = r.seq();
        span[2] += r.data().length;
        return true;
      });
      return span;
    }, false).compose(span -> {
      if (span[0] < 0) return Future.succeededFuture();
      JsonObject intent = intent(stream, span[0], span[1], now);
      return table.change(partition, account, region, name, s -> s.put("Pending", intent), null)
          .compose(v -> write(partition, account, region, name));
    });
  }

  /** Whether a failed write's real-time wait is over (false for a wait on the service clock alone, as an HTTP endpoint's back-off). */
  private boolean realWaitOver(String arn) {
    Long at = retryAtNanos.get(arn);
    return at != null && System.nanoTime() - at >= 0;
  }

  private static boolean due(StreamTable.Entry e, long now) {
    if (e.bufferedRecords() == 0) return false;
    return e.bufferedBytes() >= hints(e).getInteger("SizeInMBs") * MIB || now >= intervalEnd(e);
  }

  /** When the buffer's oldest record has waited its IntervalInSeconds (service-clock millis). */
  private static long intervalEnd(StreamTable.Entry e) {
    return e.oldestArrival() + hints(e).getInteger("IntervalInSeconds") * 1000L;
  }

  private static JsonObject hints(StreamTable.Entry e) {
    return e.stream().getJsonObject("Destination").getJsonObject("BufferingHints");
  }

  /** The object a flush of the records up to {@code upTo} (the oldest arrived at {@code oldest}) is going to write. */
  private static JsonObject intent(JsonObject stream, long upTo, long oldest, long now) {
    JsonObject d = stream.getJsonObject("Destination");
    if (HttpEndpointDelivery.is(d)) return httpIntent(stream, d, upTo, oldest, now);
    String suffix = ObjectKeys.suffix(stream.getString("Name"), stream.getInteger("Version"), d, oldest);
    // The destination as it is now goes with the intent: an UpdateDestination meanwhile changes the next object, not this one.
    JsonObject intent = new JsonObject().put("UpTo", upTo).put("Since", now).put("Bucket", bucket(d)).put("Destination", d.copy())
        .put("Key", ObjectKeys.prefix(d, oldest) + suffix)
        .put("ErrorKey", ObjectKeys.errorPrefix(d, oldest, PROCESSING_FAILED) + withoutExtension(suffix, d));
    JsonObject backup = d.getJsonObject("S3BackupDescription");
    if ("Enabled".equals(d.getString("S3BackupMode")) && backup != null) {
      intent.put("BackupBucket", bucket(backup)).put("BackupKey", ObjectKeys.prefix(backup, oldest)
          + withoutExtension(suffix, d) + ObjectKeys.extension(backup));
    }
    return intent;
  }

  /**
   * The HTTP endpoint delivery a flush is going to make: its request id (the same on every attempt,
   * and again after a restart) and the keys in the S3 configuration's bucket of the AllData backup
   * object, of the records the endpoint did not take ({@code http-endpoint-failed}) and of those a
   * Lambda processor failed ({@code processing-failed}).
   */
  private static JsonObject httpIntent(JsonObject stream, JsonObject d, long upTo, long oldest, long now) {
    JsonObject s3 = d.getJsonObject("S3DestinationDescription");
    String suffix = ObjectKeys.suffix(stream.getString("Name"), stream.getInteger("Version"), s3, oldest);
    String bare = withoutExtension(suffix, s3);
    return new JsonObject().put("UpTo", upTo).put("Since", now).put("Destination", d.copy())
        .put("RequestId", UUID.randomUUID().toString()).put("Bucket", bucket(s3)).put("Key", ObjectKeys.prefix(s3, oldest) + suffix)
        .put("FailedKey", ObjectKeys.errorPrefix(s3, oldest, HTTP_ENDPOINT_FAILED) + bare)
        .put("ErrorKey", ObjectKeys.errorPrefix(s3, oldest, PROCESSING_FAILED) + bare);
  }

  /** Writes the stream's pending object (and its backup and error objects), then moves its cursor. */
  private Future<Void> write(int partition, String account, String region, String name) {
    StreamTable.Entry e = table.get(partition, account, region, name);
    if (e == null || e.stream().getJsonObject("Pending") == null) return Future.succeededFuture();
    JsonObject stream = e.stream();
    JsonObject pending = stream.getJsonObject("Pending");
    JsonObject d = pending.getJsonObject("Destination", stream.getJsonObject("Destination"));
    long cursor = stream.getLong("Cursor", 0L);
    long upTo = pending.getLong("UpTo");
    return vertx.executeBlocking(() -> {
      List<Buffered> records = new ArrayList<>();
      store.scanRecords(partition, account, region, name, cursor, r -> {
        if (r.seq() > upTo) return false;
        records.add(r);
        return true;
      });
      return records;
    }, false).compose(records -> {
      JsonObject lambda = LambdaProcessor.lambdaParameters(d);
      Future<LambdaProcessor.Outcome> processed = lambda == null
          ? Future.succeededFuture(new LambdaProcessor.Outcome(records.stream().map(Buffered::data).toList(), List.of(), false))
          : processor.process(lambda, stream.getString("ARN"), region, records);
      Future<Void> delivered = processed.compose(outcome -> HttpEndpointDelivery.is(d)
          ? http(partition, stream, pending, d, records, outcome) : put(pending, d, records, outcome));
      return delivered.transform(done -> {
        if (done.succeeded()) return advance(partition, e, upTo, records);
        long now = clock.millis();
        if (done.cause() instanceof RetryLater later) {
          retryAt.put(stream.getString("ARN"), later.at());
          retryAtNanos.remove(stream.getString("ARN"));
          return Future.failedFuture(done.cause());
        }
        if (now - pending.getLong("Since", now) < GIVE_UP_MILLIS) {
          retryAt.put(stream.getString("ARN"), now + RETRY_MILLIS);
          retryAtNanos.put(stream.getString("ARN"), System.nanoTime() + RETRY_MILLIS * 1_000_000L);
          return Future.failedFuture(done.cause());
        }
        LOG.log(System.Logger.Level.WARNING, "delivery stream " + name + " gave up after 24 hours of failed writes: "
            + records.size() + " records discarded (" + done.cause() + ")");
        return advance(partition, e, upTo, records);
      });
    });
  }

  private Future<Void> put(JsonObject pending, JsonObject d, List<Buffered> records, LambdaProcessor.Outcome outcome) {
    String key = pending.getString("Key");
    return vertx.executeBlocking(() -> {
      List<ObjectPut> objects = new ArrayList<>();
      if (!outcome.ok().isEmpty()) {
        objects.add(new ObjectPut(pending.getString("Bucket"), key, Compression.body(d.getString("CompressionFormat"), outcome.ok(),
            entryName(key, d))));
      }
      if (pending.getString("BackupKey") != null && !records.isEmpty()) {
        JsonObject backup = d.getJsonObject("S3BackupDescription");
        String backupKey = pending.getString("BackupKey");
        objects.add(new ObjectPut(pending.getString("BackupBucket"), backupKey, Compression.body(backup.getString("CompressionFormat"),
            records.stream().map(Buffered::data).toList(), entryName(backupKey, backup))));
      }
      if (!outcome.failed().isEmpty()) {
        objects.add(new ObjectPut(pending.getString("Bucket"), pending.getString("ErrorKey"),
            Compression.body("UNCOMPRESSED", outcome.failed(), "")));
      }
      return objects;
    }, false).compose(objects -> {
      Future<Void> chain = Future.succeededFuture();
      for (ObjectPut o : objects) chain = chain.compose(v -> putObject(o.bucket(), o.key(), o.body()));
      return chain;
    });
  }

  private record ObjectPut(String bucket, String key, byte[] body) {}

  /** A stream's failed HTTP endpoint attempts: how many, and when the first failed (service clock). */
  private static final class Attempts {
    int failed;
    long firstFailure;
  }

  /** The pending HTTP endpoint delivery is to be tried again at {@code at} (service-clock millis). */
  private static final class RetryLater extends RuntimeException {
    private final long at;

    RetryLater(long at, String reason) {
      super(reason, null, false, false);
      this.at = at;
    }

    long at() {
      return at;
    }
  }

  /**
   * Delivers a pending batch to its HTTP endpoint: posts the records the processor kept (unless an
   * earlier run already settled the batch: its {@code Sent} outcome is in the intent), retrying with
   * back-off on the service clock until RetryOptions.DurationInSeconds after the first failure is used
   * up; then writes the S3 objects: with AllData every batch's source records under the S3
   * configuration's Prefix, the records the endpoint did not take as error records under the
   * {@code http-endpoint-failed} error prefix, Lambda's failures under {@code processing-failed}.
   * The outcome is made durable before the objects are written, so a failed object write retries
   * the write, not the endpoint.
   */
  private Future<Void> http(int partition, JsonObject stream, JsonObject pending, JsonObject d, List<Buffered> records,
      LambdaProcessor.Outcome outcome) {
    String arn = stream.getString("ARN");
    String requestId = pending.getString("RequestId");
    Future<JsonObject> settled;
    if (pending.getJsonObject("Sent") != null) {
      settled = Future.succeededFuture(pending.getJsonObject("Sent"));
    } else if (outcome.ok().isEmpty()) {
      settled = Future.succeededFuture(new JsonObject().put("Delivered", true).put("Attempts", 0));
    } else {
      settled = endpoints.post(d, arn, requestId, outcome.ok()).compose(result -> {
        long now = clock.millis();
        Attempts tried = attempts.computeIfAbsent(requestId, k -> new Attempts());
        JsonObject sent;
        if (result.delivered()) {
          sent = new JsonObject().put("Delivered", true).put("Attempts", tried.failed + 1);
        } else {
          if (tried.failed++ == 0) tried.firstFailure = now;
          long window = d.getJsonObject("RetryOptions").getInteger("DurationInSeconds") * 1000L;
          if (now - tried.firstFailure < window) {
            long backoff = Math.min(HTTP_BACKOFF_CAP_MILLIS, HTTP_BACKOFF_MILLIS << Math.min(tried.failed - 1, 20));
            return Future.failedFuture(new RetryLater(Math.min(now + backoff, tried.firstFailure + window),
                result.errorCode() + ": " + result.errorMessage()));
          }
          sent = new JsonObject().put("Delivered", false).put("Attempts", tried.failed).put("ErrorCode", result.errorCode())
              .put("ErrorMessage", result.errorMessage()).put("EndedAt", now);
        }
        attempts.remove(requestId);
        return table.change(partition, stream.getString("Account"), stream.getString("Region"), stream.getString("Name"),
            s -> {
              JsonObject p = s.getJsonObject("Pending");
              if (p != null) p.put("Sent", sent);
            }, null).map(sent);
      });
    }
    return settled.compose(sent -> vertx.executeBlocking(() -> {
      JsonObject s3 = d.getJsonObject("S3DestinationDescription");
      String bucket = pending.getString("Bucket");
      List<ObjectPut> objects = new ArrayList<>();
      if ("AllData".equals(d.getString("S3BackupMode")) && !records.isEmpty()) {
        String key = pending.getString("Key");
        objects.add(new ObjectPut(bucket, key, Compression.body(s3.getString("CompressionFormat"),
            records.stream().map(Buffered::data).toList(), entryName(key, s3))));
      }
      if (!sent.getBoolean("Delivered") && !outcome.ok().isEmpty()) {
        objects.add(new ObjectPut(bucket, pending.getString("FailedKey"), Compression.body("UNCOMPRESSED",
            failedRecords(sent, records, outcome), "")));
      }
      if (!outcome.failed().isEmpty()) {
        objects.add(new ObjectPut(bucket, pending.getString("ErrorKey"), Compression.body("UNCOMPRESSED", outcome.failed(), "")));
      }
      return objects;
    }, false)).compose(objects -> {
      Future<Void> chain = Future.succeededFuture();
      for (ObjectPut o : objects) chain = chain.compose(v -> putObject(o.bucket(), o.key(), o.body()));
      return chain;
    });
  }

  /**
   * The error records of a batch the endpoint did not take, one JSON document a line as Firehose
   * writes failed records (attemptsMade, arrivalTimestamp, errorCode, errorMessage,
   * attemptEndingTimestamp, rawData). Without a processor the records are the source records with
   * their own arrival; after one, each carries the batch's oldest arrival.
   */
  private static List<byte[]> failedRecords(JsonObject sent, List<Buffered> records, LambdaProcessor.Outcome outcome) {
    boolean same = outcome.ok().size() == records.size();
    long oldest = records.isEmpty() ? sent.getLong("EndedAt") : records.get(0).arrival();
    List<byte[]> lines = new ArrayList<>();
    Base64.Encoder base64 = Base64.getEncoder();
    for (int i = 0; i < outcome.ok().size(); i++) {
      lines.add((new JsonObject().put("attemptsMade", sent.getInteger("Attempts"))
          .put("arrivalTimestamp", same ? records.get(i).arrival() : oldest).put("errorCode", sent.getString("ErrorCode"))
          .put("errorMessage", sent.getString("ErrorMessage")).put("attemptEndingTimestamp", sent.getLong("EndedAt"))
          .put("rawData", base64.encodeToString(outcome.ok().get(i))).encode() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return lines;
  }

  /** The cursor moves past {@code upTo}, the intent is cleared and the records deleted, in one batch. */
  private Future<Void> advance(int partition, StreamTable.Entry e, long upTo, List<Buffered> records) {
    JsonObject s = e.stream();
    String account = s.getString("Account");
    String region = s.getString("Region");
    String name = s.getString("Name");
    long bytes = records.stream().mapToLong(r -> r.data().length).sum();
    return table.change(partition, account, region, name, st -> st.put("Cursor", upTo).remove("Pending"),
            b -> store.deleteRecords(b, partition, account, region, name, upTo))
        .compose(v -> vertx.executeBlocking(() -> {
          long[] next = {-1};
          store.scanRecords(partition, account, region, name, upTo, r -> {
            next[0] = r.arrival();
            return false;
          });
          return next[0];
        }, false))
        .map(nextArrival -> {
          long now = clock.millis();
          retryAt.remove(s.getString("ARN"));
          retryAtNanos.remove(s.getString("ARN"));
          if (table.get(partition, account, region, name) == e) {
            table.delivered(e, records.size(), bytes, nextArrival, now);
            if (due(e, now)) again = true;
          }
          return null;
        });
  }

  private Future<Void> putObject(String bucket, String key, byte[] body) {
    String url = gatewayUrl + "/" + bucket + "/" + path(key);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT).setAbsoluteURI(url)
        .putHeader("Content-Type", "application/octet-stream").setTimeout(60_000);
    signer.asDefaultAccount("PUT", java.net.URI.create(url)).forEach(options::putHeader);
    return http.request(options).compose(req -> req.send(Buffer.buffer(body))).compose(resp -> resp.body().compose(b -> {
      if (resp.statusCode() == 200) return Future.succeededFuture();
      String text = b.toString(StandardCharsets.UTF_8);
      int at = text.indexOf("<Code>");
      String code = at < 0 ? "HTTP " + resp.statusCode() : text.substring(at + 6, Math.max(at + 6, text.indexOf("</Code>")));
      return Future.<Void>failedFuture(new IllegalStateException(code + " writing s3://" + bucket + "/" + key));
    }));
  }

  /** A key as a URL path: each segment percent-encoded, the slashes kept. */
  private static String path(String key) {
    List<String> segments = new ArrayList<>();
    for (String segment : key.split("/", -1)) segments.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
    return String.join("/", segments);
  }

  private static String bucket(JsonObject destination) {
    String arn = destination.getString("BucketARN");
    int at = arn.indexOf(":::");
    return at < 0 ? arn : arn.substring(at + 3);
  }

  private static String withoutExtension(String suffix, JsonObject d) {
    String ext = ObjectKeys.extension(d);
    return ext.isEmpty() || !suffix.endsWith(ext) ? suffix : suffix.substring(0, suffix.length() - ext.length());
  }

  /** The name of a ZIP object's one entry: the object's name without its extension. */
  private static String entryName(String key, JsonObject d) {
    String last = key.substring(key.lastIndexOf('/') + 1);
    return withoutExtension(last, d);
  }
}
