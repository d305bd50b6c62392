package io.eventplane.functions.mapping;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One shard of a stream mapping, read and processed in order on the lane's context. A chunk of up
 * to BatchSize x ParallelizationFactor records is gathered (within MaximumBatchingWindowInSeconds),
 * split by partition key into ParallelizationFactor lanes that run at once, each lane's batches one
 * after the other; the next chunk is read only when every batch of this one is done, so a failing
 * batch blocks its shard until it succeeds, is retried out (MaximumRetryAttempts) or its records
 * age out (MaximumRecordAgeInSeconds), as on AWS. A failed batch is split in two with
 * BisectBatchOnFunctionError (a split does not count as a retry); with ReportBatchItemFailures the
 * records before the lowest reported sequence number are done and the rest is retried. A discarded
 * batch's record goes to the OnFailure destination before the shard moves past it.
 *
 * <p>The checkpoint is written after each batch (one lane) or each chunk (several lanes); any
 * failure of reading or checkpointing drops what is in memory and reads again after the checkpoint,
 * so nothing acknowledged is delivered again and nothing is skipped.
 *
 * <p>With TumblingWindowInSeconds the shard's records are aggregated in windows of their arrival
 * time, one batch after the other (ParallelizationFactor does not apply): each invocation gets the
 * window and the state the function returned last for it, an answer without a {@code state} is a
 * failed invocation, and the state is checkpointed with the batch. The window's final invocation
 * (no records, {@code isFinalInvokeForWindow}) comes when a record of a later window is read, when
 * the reader has caught up and the window has ended on the service clock, or when the shard ends;
 * it is retried until it succeeds, and the shard waits for it. A state over 1 MB terminates the
 * window early: a final invocation with {@code isWindowTerminatedEarly}, then the window goes on
 * with a fresh state.
 */
final class ShardReader {
  private static final System.Logger LOG = System.getLogger(ShardReader.class.getName());
  /** How long a shard with nothing new waits before the next GetRecords (AWS polls about once a second). */
  static final long IDLE_MILLIS = 250;
  private static final long BACKOFF_MILLIS = 1000;

  private final KinesisPoller poller;
  private final String shardId;
  private String iterator;
  private boolean positioned;
  private boolean stopped;
  private boolean ended;
  /** The open tumbling window (null when none is open or the mapping has none), as of the last batch. */
  private TumblingWindow window;
  /** The age of the last record of the last read (0 when it read nothing new), on the service clock. */
  private long iteratorAgeMillis;

  /** A batch on its way: its records (in shard order), how often it ran, its last invocation. */
  private static final class Pending {
    List<JsonObject> records;
    int invokes;
    int retries;
    int throttles;
    KinesisPoller.Invocation last;

    Pending(List<JsonObject> records) {
      this.records = records;
    }
  }

  ShardReader(KinesisPoller poller, String shardId) {
    this.poller = poller;
    this.shardId = shardId;
  }

  void start() {
    read();
  }

  void stop() {
    stopped = true;
  }

  /** Whether the reader has had its first iterator (for LATEST: the moment from which it reads). */
  boolean positioned() {
    return positioned;
  }

  private int windowSeconds() {
    return poller.settings().tumblingWindowSeconds();
  }

  private void read() {
    if (stopped) return;
    position().compose(v -> gather(new ArrayList<>(), 0)).compose(chunk -> {
      iteratorAgeMillis = chunk.isEmpty() ? 0
          : Math.max(0, poller.clock.millis() - KinesisEvents.arrivalMillis(chunk.get(chunk.size() - 1)));
      if (chunk.isEmpty()) return closeIfOver().map(false);
      return process(chunk).map(true);
    }).onComplete(ar -> {
      if (stopped) return;
      if (ar.failed()) {
        LOG.log(System.Logger.Level.DEBUG, "{0} {1}: {2}", poller.mapping.uuid(), shardId, ar.cause().getMessage());
        // Read again after the durable checkpoint: whatever was in memory was not acknowledged.
        iterator = null;
        ended = false;
        poller.vertx.setTimer(BACKOFF_MILLIS, t -> read());
        return;
      }
      if (ended) {
        // A shard's end closes its window: its children start windows of their own.
        (window == null ? Future.<Void>succeededFuture() : closeWindow(false)).compose(v -> poller.checkpoints.end(shardId))
            .onComplete(done -> {
          if (stopped) return;
          if (done.succeeded()) {
            poller.ended(shardId);
          } else {
            ended = false;
            iterator = null;
            poller.vertx.setTimer(BACKOFF_MILLIS, t -> read());
          }
        });
        return;
      }
      if (ar.result()) read();
      else poller.vertx.setTimer(IDLE_MILLIS, t -> read());
    });
  }

  long iteratorAgeMillis() {
    return iteratorAgeMillis;
  }

  private Future<Void> position() {
    if (iterator != null) return Future.succeededFuture();
    // Reading starts again after the durable checkpoint, so the window is the one saved with it.
    window = windowSeconds() > 0 ? poller.checkpoints.window(shardId) : null;
    JsonObject input = poller.startOf(shardId, !positioned).put("StreamARN", poller.mapping.eventSourceArn())
        .put("ShardId", shardId);
    return poller.kinesis("GetShardIterator", input).map(out -> {
      iterator = out.getString("ShardIterator");
      if (!positioned) {
        positioned = true;
        poller.positioned();
      }
      return null;
    });
  }

  /**
   * GetRecords until the chunk is full, the shard ends, or the batching window that opened with the
   * chunk's first record is over (at once without a window); nothing read ends the gathering at once.
   *
   * @param windowEnds when the window closes (real time), or 0 before the first record
   */
  private Future<List<JsonObject>> gather(List<JsonObject> chunk, long windowEnds) {
    int max = poller.mapping.batchSize() * poller.settings().parallelizationFactor();
    int limit = Math.min(10_000, max - chunk.size());
    return poller.kinesis("GetRecords", new JsonObject().put("ShardIterator", iterator).put("Limit", limit)).compose(out -> {
      out.getJsonArray("Records").forEach(r -> chunk.add((JsonObject) r));
      iterator = out.getString("NextShardIterator");
      if (iterator == null) ended = true;
      long now = System.currentTimeMillis();
      long ends = windowEnds == 0 && !chunk.isEmpty() ? now + poller.mapping.maximumBatchingWindowSeconds() * 1000L : windowEnds;
      if (stopped || ended || chunk.isEmpty() || chunk.size() >= max || now >= ends) return Future.succeededFuture(chunk);
      Promise<List<JsonObject>> later = Promise.promise();
      poller.vertx.setTimer(Math.max(1, Math.min(IDLE_MILLIS, ends - now)), t -> gather(chunk, ends).onComplete(later));
      return later.future();
    });
  }

  /** Runs a chunk's batches: one lane checkpoints after each batch; several lanes checkpoint the chunk at its end. */
  private Future<Void> process(List<JsonObject> chunk) {
    int batch = poller.mapping.batchSize();
    int lanes = poller.settings().parallelizationFactor();
    if (windowSeconds() > 0) return windows(chunk, 0);
    if (lanes == 1) return run(batches(chunk, batch), true);
    Map<Integer, List<JsonObject>> byKey = new LinkedHashMap<>();
    for (JsonObject r : chunk) {
      byKey.computeIfAbsent(Math.floorMod(r.getString("PartitionKey").hashCode(), lanes), k -> new ArrayList<>()).add(r);
    }
    List<Future<Void>> all = new ArrayList<>();
    for (List<JsonObject> lane : byKey.values()) all.add(run(batches(lane, batch), false));
    return Future.all(all).compose(v -> checkpoint(chunk.get(chunk.size() - 1)));
  }

  /**
   * Runs the chunk's records from {@code from} on, window by window: a record of another window than
   * the open one closes it first.
   */
  private Future<Void> windows(List<JsonObject> chunk, int from) {
    if (from >= chunk.size()) return Future.succeededFuture();
    int seconds = windowSeconds();
    long start = TumblingWindow.startOf(KinesisEvents.arrivalMillis(chunk.get(from)), seconds);
    int to = from;
    while (to < chunk.size() && TumblingWindow.startOf(KinesisEvents.arrivalMillis(chunk.get(to)), seconds) == start) to++;
    List<JsonObject> segment = chunk.subList(from, to);
    int next = to;
    Future<Void> closed = window != null && window.start() != start ? closeWindow(false) : Future.succeededFuture();
    return closed.compose(v -> {
      if (window == null) window = TumblingWindow.of(start, seconds);
      return run(batches(segment, poller.mapping.batchSize()), true);
    }).compose(v -> windows(chunk, next));
  }

  /** Closes the open window once it has ended on the service clock (called when the reader has caught up). */
  private Future<Void> closeIfOver() {
    if (window == null || poller.clock.millis() < window.end()) return Future.succeededFuture();
    return closeWindow(false);
  }

  /** The open window's final invocation, then the window is closed durably. */
  private Future<Void> closeWindow(boolean early) {
    TumblingWindow closing = window;
    return finalInvoke(closing, early, 0).compose(v -> poller.checkpoints.window(shardId, null)).map(v -> {
      window = null;
      return null;
    });
  }

  /**
   * A window's final invocation (no records): retried until it succeeds, as the shard's processing
   * waits for it.
   */
  private Future<Void> finalInvoke(TumblingWindow closing, boolean early, int attempt) {
    if (stopped) return Future.failedFuture("stopped");
    return poller.invoke(List.of(), shardId, closing, true, early).compose(inv -> {
      if (inv.invoked()) poller.result(inv.functionError() == null);
      if (inv.invoked() && inv.functionError() == null) return Future.succeededFuture();
      Promise<Void> later = Promise.promise();
      poller.vertx.setTimer(delay(attempt + 1), t -> finalInvoke(closing, early, attempt + 1).onComplete(later));
      return later.future();
    });
  }

  private static Deque<Pending> batches(List<JsonObject> records, int size) {
    Deque<Pending> out = new ArrayDeque<>();
    for (int i = 0; i < records.size(); i += size) {
      out.add(new Pending(new ArrayList<>(records.subList(i, Math.min(records.size(), i + size)))));
    }
    return out;
  }

  private Future<Void> run(Deque<Pending> queue, boolean checkpointEach) {
    Promise<Void> done = Promise.promise();
    step(queue, checkpointEach, done);
    return done.future();
  }

  private void step(Deque<Pending> queue, boolean checkpointEach, Promise<Void> done) {
    if (stopped) {
      done.tryFail("stopped");
      return;
    }
    Pending head = queue.peek();
    if (head == null) {
      done.tryComplete();
      return;
    }
    int expired = expiredPrefix(head.records);
    if (expired > 0) {
      List<JsonObject> old = head.records.subList(0, expired);
      poller.discard(old, shardId, "RecordAgeExceeded", head.invokes, head.last)
          .compose(v -> checkpointEach ? checkpoint(old.get(old.size() - 1)) : Future.succeededFuture())
          .onSuccess(v -> {
            head.records = new ArrayList<>(head.records.subList(expired, head.records.size()));
            if (head.records.isEmpty()) queue.poll();
            step(queue, checkpointEach, done);
          })
          .onFailure(done::tryFail);
      return;
    }
    poller.invoke(head.records, shardId, window, false, false).onComplete(ar -> {
      KinesisPoller.Invocation inv = ar.result();
      if (!inv.invoked()) {
        // Throttled or not invocable: retried until the records expire, without counting as a retry.
        poller.vertx.setTimer(delay(++head.throttles), t -> step(queue, checkpointEach, done));
        return;
      }
      head.invokes++;
      head.last = inv;
      int failedFrom = failedFrom(head, inv);
      if (failedFrom < 0) {
        settle(head.records, checkpointEach).onSuccess(v -> {
          // Shown once the checkpoint is durable: a client that sees OK knows the batch will not come again.
          poller.result(true);
          queue.poll();
          step(queue, checkpointEach, done);
        }).onFailure(done::tryFail);
        return;
      }
      poller.result(false);
      List<JsonObject> succeeded = head.records.subList(0, failedFrom);
      settle(succeeded, checkpointEach).onSuccess(v -> {
        head.records = new ArrayList<>(head.records.subList(failedFrom, head.records.size()));
        failed(queue, head, checkpointEach, done);
      }).onFailure(done::tryFail);
    });
  }

  /** A batch whose invocation failed: split, retried later, or discarded. */
  private void failed(Deque<Pending> queue, Pending head, boolean checkpointEach, Promise<Void> done) {
    StreamSettings s = poller.settings();
    if (s.bisectBatchOnFunctionError() && head.records.size() > 1) {
      int half = head.records.size() / 2;
      queue.poll();
      queue.addFirst(new Pending(new ArrayList<>(head.records.subList(half, head.records.size()))));
      queue.addFirst(new Pending(new ArrayList<>(head.records.subList(0, half))));
      step(queue, checkpointEach, done);
      return;
    }
    head.retries++;
    if (s.maximumRetryAttempts() >= 0 && head.retries > s.maximumRetryAttempts()) {
      poller.discard(head.records, shardId, "RetryAttemptsExhausted", head.invokes, head.last)
          .compose(v -> settle(head.records, checkpointEach))
          .onSuccess(v -> {
            queue.poll();
            step(queue, checkpointEach, done);
          })
          .onFailure(done::tryFail);
      return;
    }
    poller.vertx.setTimer(delay(head.retries), t -> step(queue, checkpointEach, done));
  }

  /**
   * Where the records to retry begin: -1 when the batch succeeded; 0 on a function error or an
   * invalid partial response; else the index of the lowest sequence number a
   * ReportBatchItemFailures response names.
   */
  private int failedFrom(Pending head, KinesisPoller.Invocation inv) {
    if (inv.functionError() != null) return 0;
    if (window != null) {
      JsonObject state = TumblingWindow.stateOf(inv.payload());
      if (state == null) return 0;
      // The function's answer is the window's state from here on, also when it reports failed items.
      window = window.withState(state);
    }
    if (!poller.mapping.reportBatchItemFailures()) return -1;
    Set<String> ids = new HashSet<>();
    for (JsonObject r : head.records) ids.add(r.getString("SequenceNumber"));
    Set<String> failed = SqsPoller.failures(inv.payload(), ids);
    if (failed == null) return 0;
    for (int i = 0; i < head.records.size(); i++) {
      if (failed.contains(head.records.get(i).getString("SequenceNumber"))) return i;
    }
    return -1;
  }

  /** How many of the batch's first records are older than MaximumRecordAgeInSeconds (on the server's clock). */
  private int expiredPrefix(List<JsonObject> records) {
    int age = poller.settings().maximumRecordAgeSeconds();
    if (age < 0) return 0;
    long now = poller.clock.millis();
    int n = 0;
    while (n < records.size() && now - KinesisEvents.arrivalMillis(records.get(n)) > age * 1000L) n++;
    return n;
  }

  private Future<Void> settle(List<JsonObject> records, boolean checkpointEach) {
    if (window != null && window.oversized()) {
      // Terminated early: the big state goes to a final invocation and is never stored; the window
      // goes on with a fresh state (a crash before the checkpoint runs the batch again, at least once).
      TumblingWindow big = window;
      return finalInvoke(big, true, 0).compose(v -> {
        window = big.fresh();
        return records.isEmpty() ? poller.checkpoints.window(shardId, window) : checkpoint(records.get(records.size() - 1));
      });
    }
    if (records.isEmpty() || !checkpointEach) return Future.succeededFuture();
    return checkpoint(records.get(records.size() - 1));
  }

  private Future<Void> checkpoint(JsonObject record) {
    if (stopped) return Future.failedFuture("stopped");
    if (windowSeconds() > 0) return poller.checkpoints.processed(shardId, record.getString("SequenceNumber"), window);
    return poller.checkpoints.processed(shardId, record.getString("SequenceNumber"));
  }

  private static long delay(int attempt) {
    return Math.min(2000, 250L << Math.min(attempt, 4));
  }
}
