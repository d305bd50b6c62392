package io.eventplane.cloudtrail.delivery;

import io.eventplane.cloudtrail.api.AuditPartitions;
import io.eventplane.cloudtrail.api.Selectors;
import io.eventplane.cloudtrail.api.Trails;
import io.eventplane.cloudtrail.store.AuditStore;
import io.eventplane.common.time.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Log files of the logging trails of a lane's partitions: every {@code interval} of the service
 * clock, the records a trail selects that came since its cursor go, gzipped as
 * {@code {"Records":[...]}}, to its bucket under
 * {@code [prefix/]AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz},
 * through the node's own gateway (an S3 PutObject like any client's).
 *
 * <p>Each record reaches exactly one file: before writing, the trail durably records the file it is
 * about to write (its key and the sequence range {@code (Cursor, UpTo]}); the object is written; then
 * the cursor moves to {@code UpTo} and the intent is cleared. A crash (or a failed write) between the
 * intent and the cursor writes the same range again under the same key after the restart or
 * failover, overwriting the object rather than adding a second one. Records are found by sequence
 * within their partition and by time no older than five minutes before the cursor was set: a record
 * that reached its partition more than five minutes after its call is not delivered (the gateway
 * sends records within milliseconds). Used only on the lane's context.
 */
public final class LogFiles {
  private static final System.Logger LOG = System.getLogger(LogFiles.class.getName());
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final long LATE_MILLIS = Duration.ofMinutes(5).toMillis();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Context context;
  private final AuditStore store;
  private final Trails trails;
  private final Clock clock;
  private final String gatewayUrl;
  private final io.eventplane.common.secret.GatewaySigner signer;
  private final long interval;
  private final Supplier<Set<Integer>> owned;
  private final HttpClient http;
  private final long timer;
  private final Runnable stopListening;
  private boolean running;

  public LogFiles(Vertx vertx, Context context, AuditStore store, Trails trails, Clock clock, String gatewayUrl,
      io.eventplane.common.secret.GatewaySigner signer, Duration interval, Supplier<Set<Integer>> owned) {
    this.signer = signer;
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.trails = trails;
    this.clock = clock;
    this.gatewayUrl = gatewayUrl;
    this.interval = interval.toMillis();
    this.owned = owned;
    this.http = vertx.createHttpClient();
    // A slow check (the work happens only when a trail is due); a test clock tells us when it moved.
    this.timer = vertx.setPeriodic(5_000, t -> tick());
    this.stopListening = clock instanceof MutableClock moved ? moved.onAdvance(() -> context.runOnContext(v -> tick())) : () -> { };
  }

  public void close() {
    vertx.cancelTimer(timer);
    stopListening.run();
    http.close();
  }

  /** Delivers what is due, one trail after another; a tick during a delivery is folded into it. */
  void tick() {
    if (running) return;
    running = true;
    Future<Void> chain;
    try {
      chain = deliverAll();
    } catch (RuntimeException e) {
      chain = Future.failedFuture(e);
    }
    chain.onComplete(done -> {
      running = false;
      if (done.failed()) LOG.log(System.Logger.Level.WARNING, "log files not delivered this tick: " + done.cause());
    });
  }

  /** One tick's deliveries, one trail after another; a trail that fails does not stop the others. */
  private Future<Void> deliverAll() {
    Future<Void> chain = Future.succeededFuture();
    for (int partition : owned.get()) {
      for (JsonObject trail : trails.all(partition)) {
        chain = chain.compose(v -> {
          Future<Void> delivered;
          try {
            delivered = deliver(trail);
          } catch (RuntimeException e) {
            delivered = Future.failedFuture(e);
          }
          return delivered.recover(e -> {
            LOG.log(System.Logger.Level.WARNING, "log file of trail " + trail.getString("Name") + " not delivered: " + e);
            return Future.succeededFuture();
          });
        });
      }
    }
    return chain;
  }

  private Future<Void> deliver(JsonObject seen) {
    String account = seen.getString("Account");
    String region = seen.getString("Region");
    String name = seen.getString("Name");
    JsonObject trail = trails.current(account, region, name);
    if (trail == null) return Future.succeededFuture();
    long now = clock.millis();
    JsonObject pending = trail.getJsonObject("Pending");
    if (pending == null) {
      if (!trail.getBoolean("IsLogging", false)) return Future.succeededFuture();
      if (now - trail.getLong("LastAttempt", trail.getLong("CursorTime", 0L)) < interval) return Future.succeededFuture();
      long upTo = trails.sequence(AuditPartitions.of(account, region));
      if (upTo <= trail.getLong("Cursor", 0L)) return Future.succeededFuture();
      JsonObject intent = new JsonObject().put("UpTo", upTo).put("Time", now).put("Key", key(trail, now));
      return trails.change(account, region, name, t -> t.put("Pending", intent).put("LastAttempt", now))
          .compose(v -> write(account, region, name));
    }
    if (now - trail.getLong("LastAttempt", 0L) < interval && trail.getString("LatestDeliveryError") != null) {
      return Future.succeededFuture();
    }
    return write(account, region, name);
  }

  /** Writes the trail's pending file, then moves its cursor. */
  private Future<Void> write(String account, String region, String name) {
    JsonObject trail = trails.current(account, region, name);
    if (trail == null || trail.getJsonObject("Pending") == null) return Future.succeededFuture();
    JsonObject pending = trail.getJsonObject("Pending");
    long cursor = trail.getLong("Cursor", 0L);
    long upTo = pending.getLong("UpTo");
    long since = trail.getLong("CursorTime", 0L) - LATE_MILLIS;
    int partition = AuditPartitions.of(account, region);
    return vertx.executeBlocking(() -> {
      List<JsonObject> found = new ArrayList<>();
      store.scanRecords(AuditStore.recordsFrom(partition, account, region, Long.MAX_VALUE / 2),
          AuditStore.recordsUntil(partition, account, region, Math.max(0, since)), (k, stored) -> {
            long seq = stored.getLong("seq", 0L);
            if (seq > cursor && seq <= upTo && Selectors.selects(trail, stored.getJsonObject("record"))) found.add(stored);
            return true;
          });
      found.sort(Comparator.comparingLong(s -> s.getLong("seq")));
      JsonArray records = new JsonArray();
      for (JsonObject s : found) records.add(s.getJsonObject("record"));
      return records.isEmpty() ? null : gzip(new JsonObject().put("Records", records).encode());
    }, false).compose(body -> body == null ? Future.succeededFuture() : put(trail.getString("S3BucketName"), pending.getString("Key"), body))
        .transform(done -> {
          long now = clock.millis();
          if (done.failed()) {
            String error = done.cause().getMessage();
            return trails.change(account, region, name, t -> t.put("LatestDeliveryError", error).put("LastAttempt", now))
                .compose(v -> Future.failedFuture(done.cause()));
          }
          return trails.change(account, region, name, t -> {
            t.put("Cursor", upTo).put("CursorTime", pending.getLong("Time")).remove("Pending");
            t.remove("LatestDeliveryError");
            t.put("LatestDeliveryTime", now);
          });
        });
  }

  private Future<Void> put(String bucket, String key, Buffer body) {
    String url = gatewayUrl + "/" + bucket + "/" + key;
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.PUT).setAbsoluteURI(url)
        .putHeader("Content-Type", "application/x-gzip").setTimeout(30_000);
    signer.asDefaultAccount("PUT", java.net.URI.create(url)).forEach(options::putHeader);
    return http.request(options).compose(req -> req.send(body)).compose(resp -> resp.body().compose(b -> {
      if (resp.statusCode() == 200) return Future.succeededFuture();
      String text = b.toString(StandardCharsets.UTF_8);
      int at = text.indexOf("<Code>");
      String code = at < 0 ? "HTTP " + resp.statusCode() : text.substring(at + 6, Math.max(at + 6, text.indexOf("</Code>")));
      return Future.<Void>failedFuture(new IllegalStateException(code));
    }));
  }

  static String key(JsonObject trail, long now) {
    String account = trail.getString("Account");
    String region = trail.getString("Region");
    Instant at = Instant.ofEpochMilli(now);
    StringBuilder id = new StringBuilder(16);
    for (int i = 0; i < 16; i++) id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    String prefix = trail.getString("S3KeyPrefix");
    return (prefix == null || prefix.isEmpty() ? "" : prefix + "/") + "AWSLogs/" + account + "/CloudTrail/" + region + "/"
        + DAY.format(at) + "/" + account + "_CloudTrail_" + region + "_" + STAMP.format(at) + "_" + id + ".json.gz";
  }

  private static Buffer gzip(String json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }
}
