package io.eventplane.firehose.delivery;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Batch;
import io.eventplane.firehose.domain.StreamTable;
import io.eventplane.firehose.store.FirehoseStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The delivery streams of a lane's partitions whose source is a Kinesis stream
 * ({@code KinesisStreamAsSource}): each reads its stream's shards over the bus as any client does
 * (ListShards, GetShardIterator, GetRecords on {@code eventplane.kinesis}, with the stream's account
 * and region in the request context) and buffers what it reads like PutRecordBatch would, keeping
 * each record's ApproximateArrivalTimestamp as its arrival.
 *
 * <p>Where reading starts: the developer guide ("Writing to Firehose using Kinesis Data Streams")
 * says Firehose starts at the LATEST position of the stream. The position is fixed at creation
 * (DeliveryStartTimestamp) and a shard without a checkpoint is read AT_TIMESTAMP of it, so a
 * restart before the first read still starts there, and a shard opened later is read whole.
 *
 * <p>Each shard's checkpoint (the last sequence number taken; whether the shard was read to its
 * end) is written in the same batch as the records it moves past, through the partition's writer,
 * so a restart or failover neither loses nor repeats a record. A shard whose parents are not read
 * to their end waits for them (so a key's records stay in order across a reshard). Each shard is
 * read about once a second when idle (as the guide says: "calls GetRecords once per second for
 * each shard"), at once again while records come; a stream whose buffer holds twice its
 * SizeInMBs waits for the delivery. A stream deleted meanwhile stops the reading (logged); the
 * delivery stream stays. Used only on the lane's context.
 */
public final class StreamSources {
  private static final System.Logger LOG = System.getLogger(StreamSources.class.getName());
  public static final String TYPE = "KinesisStreamAsSource";
  private static final long SEND_TIMEOUT_MILLIS = 30_000;
  private static final long SHARDS_REFRESH_MILLIS = 10_000;
  private static final long MIB = 1024 * 1024;

  private final Vertx vertx;
  private final Context context;
  private final StreamTable table;
  private final FirehoseStore store;
  private final Supplier<Set<Integer>> owned;
  private final Consumer<StreamTable.Entry> buffered;
  private final long timer;
  /** What each reading stream knows (by partition \0 stream key); dropped with its partition. */
  private final Map<String, Reader> readers = new HashMap<>();

  /** One delivery stream's reading: its checkpoints, shard list and iterators. */
  private static final class Reader {
    final int partition;
    final StreamTable.Entry entry;
    Map<String, JsonObject> checkpoints;
    List<JsonObject> shards = List.of();
    long shardsAt;
    final Map<String, String> iterators = new HashMap<>();
    boolean running;
    boolean stopped;

    Reader(int partition, StreamTable.Entry entry) {
      this.partition = partition;
      this.entry = entry;
    }
  }

  /** @param buffered told (on the lane's context) of a stream that buffered more records */
  public StreamSources(Vertx vertx, Context context, StreamTable table, Supplier<Set<Integer>> owned,
      Consumer<StreamTable.Entry> buffered) {
    this.vertx = vertx;
    this.context = context;
    this.table = table;
    this.store = table.store();
    this.owned = owned;
    this.buffered = buffered;
    this.timer = vertx.setPeriodic(1_000, t -> tick());
  }

  public void close() {
    vertx.cancelTimer(timer);
  }

  public void clear() {
    readers.values().forEach(r -> r.stopped = true);
    readers.clear();
  }

  public void unload(int partition) {
    readers.entrySet().removeIf(e -> {
      if (e.getValue().partition != partition) return false;
      e.getValue().stopped = true;
      return true;
    });
  }

  /** Starts a read of every source stream not being read now. */
  public void tick() {
    Set<String> live = new HashSet<>();
    for (int partition : owned.get()) {
      for (StreamTable.Entry e : table.all(partition)) {
        if (!TYPE.equals(e.stream().getString("Type"))) continue;
        String key = partition + "\0" + e.stream().getString("ARN");
        live.add(key);
        Reader r = readers.get(key);
        if (r == null || r.entry != e) {
          if (r != null) r.stopped = true;
          r = new Reader(partition, e);
          readers.put(key, r);
        }
        if (!r.running && !r.stopped) read(r);
      }
    }
    readers.entrySet().removeIf(e -> {
      if (live.contains(e.getKey())) return false;
      e.getValue().stopped = true;
      return true;
    });
  }

  private void read(Reader r) {
    r.running = true;
    round(r).onComplete(done -> {
      r.running = false;
      if (done.failed()) {
        if (done.cause() instanceof ServiceException se && "ResourceNotFoundException".equals(se.error().code())) {
          r.stopped = true;
          LOG.log(System.Logger.Level.WARNING, "delivery stream " + name(r) + " stops reading: its source "
              + source(r) + " is gone (" + se.getMessage() + ")");
        } else {
          LOG.log(System.Logger.Level.WARNING, "delivery stream " + name(r) + " could not read " + source(r) + ": " + done.cause());
        }
      } else if (done.result() && !r.stopped) {
        context.runOnContext(v -> {
          if (!r.running && !r.stopped) read(r);
        });
      }
    });
  }

  /** One GetRecords for each readable shard; answers whether any brought records (then another round follows at once). */
  private Future<Boolean> round(Reader r) {
    if (r.entry.bufferedBytes() >= 2 * sizeBytes(r.entry.stream())) return Future.succeededFuture(false);
    Future<Void> ready = r.checkpoints != null ? Future.succeededFuture() : vertx.executeBlocking(() -> store.loadCheckpoints(
        r.partition, account(r), region(r), name(r)), false).map(c -> {
          r.checkpoints = new HashMap<>(c);
          return null;
        });
    return ready.compose(v -> System.currentTimeMillis() - r.shardsAt < SHARDS_REFRESH_MILLIS ? Future.succeededFuture()
        : listShards(r, null, new ArrayList<>())).compose(v -> {
          Future<Boolean> chain = Future.succeededFuture(false);
          for (JsonObject shard : r.shards) {
            String id = shard.getString("ShardId");
            if (ended(r, id) || !parentsEnded(r, shard)) continue;
            chain = chain.compose(any -> r.stopped ? Future.succeededFuture(any) : readShard(r, id).map(got -> any || got));
          }
          return chain;
        });
  }

  private Future<Void> listShards(Reader r, String token, List<JsonObject> into) {
    JsonObject in = token == null ? new JsonObject().put("StreamARN", source(r)) : new JsonObject().put("NextToken", token);
    return call(r, "ListShards", in).compose(out -> {
      for (Object o : out.getJsonArray("Shards", new JsonArray())) into.add((JsonObject) o);
      String next = out.getString("NextToken");
      if (next != null) return listShards(r, next, into);
      r.shards = into;
      r.shardsAt = System.currentTimeMillis();
      return Future.succeededFuture();
    });
  }

  private boolean ended(Reader r, String shardId) {
    JsonObject c = r.checkpoints.get(shardId);
    return c != null && c.getBoolean("Ended", false);
  }

  /** A shard is read once its parents (those still listed) were read to their end. */
  private boolean parentsEnded(Reader r, JsonObject shard) {
    for (String member : List.of("ParentShardId", "AdjacentParentShardId")) {
      String parent = shard.getString(member);
      if (parent == null) continue;
      boolean listed = r.shards.stream().anyMatch(s -> parent.equals(s.getString("ShardId")));
      if (listed && !ended(r, parent)) return false;
    }
    return true;
  }

  /** One GetRecords of a shard; its records and the checkpoint past them are committed in one batch. */
  private Future<Boolean> readShard(Reader r, String shardId) {
    String iterator = r.iterators.get(shardId);
    Future<String> it = iterator != null ? Future.succeededFuture(iterator) : shardIterator(r, shardId);
    return it.compose(i -> call(r, "GetRecords", new JsonObject().put("ShardIterator", i)))
        .recover(x -> {
          if (x instanceof ServiceException se && "ExpiredIteratorException".equals(se.error().code())) {
            r.iterators.remove(shardId);
            return Future.succeededFuture(null);
          }
          return Future.failedFuture(x);
        })
        .compose(out -> {
          if (out == null || r.stopped) return Future.succeededFuture(false);
          JsonArray records = out.getJsonArray("Records", new JsonArray());
          String next = out.getString("NextShardIterator");
          if (records.isEmpty() && next != null) {
            r.iterators.put(shardId, next);
            return Future.succeededFuture(false);
          }
          return take(r, shardId, records, next == null).map(v -> {
            if (next == null) {
              r.iterators.remove(shardId);
              r.shardsAt = 0; // the shard ended: its children are listed at the next round
            } else {
              r.iterators.put(shardId, next);
            }
            return !records.isEmpty();
          });
        });
  }

  private Future<String> shardIterator(Reader r, String shardId) {
    JsonObject c = r.checkpoints.get(shardId);
    JsonObject in = new JsonObject().put("StreamARN", source(r)).put("ShardId", shardId);
    if (c != null && c.getString("After") != null) {
      in.put("ShardIteratorType", "AFTER_SEQUENCE_NUMBER").put("StartingSequenceNumber", c.getString("After"));
    } else {
      long start = sourceConfig(r).getLong("DeliveryStartTimestamp");
      in.put("ShardIteratorType", "AT_TIMESTAMP").put("Timestamp", start / 1000.0);
    }
    return call(r, "GetShardIterator", in).map(out -> out.getString("ShardIterator"));
  }

  /** Buffers the records as the stream's next ones and moves the shard's checkpoint past them, in one batch. */
  private Future<Void> take(Reader r, String shardId, JsonArray records, boolean ended) {
    String account = account(r);
    String region = region(r);
    String name = name(r);
    if (table.get(r.partition, account, region, name) != r.entry) {
      r.stopped = true;
      return Future.succeededFuture();
    }
    JsonObject checkpoint = r.checkpoints.getOrDefault(shardId, new JsonObject()).copy();
    Batch b = store.batch();
    long first = table.reserve(r.entry, records.size());
    long bytes = 0;
    long oldest = -1;
    for (int i = 0; i < records.size(); i++) {
      JsonObject rec = records.getJsonObject(i);
      byte[] data = Base64.getDecoder().decode(rec.getString("Data"));
      long arrival = arrivalMillis(rec.getValue("ApproximateArrivalTimestamp"));
      if (oldest < 0) oldest = arrival;
      store.putRecord(b, r.partition, account, region, name, first + i, arrival, data);
      bytes += data.length;
      checkpoint.put("After", rec.getString("SequenceNumber"));
    }
    if (ended) checkpoint.put("Ended", true);
    store.putCheckpoint(b, r.partition, account, region, name, shardId, checkpoint);
    long total = bytes;
    long firstArrival = oldest;
    return store.commit(r.partition, b, context).map(v -> {
      r.checkpoints.put(shardId, checkpoint);
      if (!records.isEmpty() && table.get(r.partition, account, region, name) == r.entry) {
        table.buffered(r.entry, records.size(), total, firstArrival);
        buffered.accept(r.entry);
      }
      return null;
    });
  }

  private static long arrivalMillis(Object seconds) {
    if (seconds instanceof Number n) return new BigDecimal(n.toString()).movePointRight(3).longValue();
    return System.currentTimeMillis();
  }

  private Future<JsonObject> call(Reader r, String operation, JsonObject input) {
    return kinesis(vertx, context, source(r), operation, input);
  }

  /**
   * One Kinesis call over the bus with the account and region of {@code streamArn} in its context,
   * completing on {@code context}; an AWS error fails it as a ServiceException.
   */
  public static Future<JsonObject> kinesis(Vertx vertx, Context context, String streamArn, String operation, JsonObject input) {
    String[] arn = streamArn.split(":", 6);
    RequestContext ctx = new RequestContext(arn[4], arn[3], UUID.randomUUID().toString(), "http://eventplane.internal");
    return vertx.eventBus().<ApiReply>request(Contracts.KINESIS, new ApiRequest(operation, input, ctx),
        new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS)).transform(done -> {
          Future<JsonObject> out;
          if (done.failed()) {
            out = Future.failedFuture(done.cause());
          } else if (done.result().body().succeeded()) {
            out = Future.succeededFuture(done.result().body().output());
          } else {
            ServiceError error = done.result().body().error();
            out = Future.failedFuture(new ServiceException(error));
          }
          Future<JsonObject> answer = out;
          return Future.<JsonObject>future(p -> context.runOnContext(v -> answer.onComplete(p)));
        });
  }

  private static long sizeBytes(JsonObject stream) {
    JsonObject hints = stream.getJsonObject("Destination", new JsonObject()).getJsonObject("BufferingHints", new JsonObject());
    return hints.getInteger("SizeInMBs", 5) * MIB;
  }

  private static JsonObject sourceConfig(Reader r) {
    return r.entry.stream().getJsonObject("Source");
  }

  private static String source(Reader r) {
    return sourceConfig(r).getString("KinesisStreamARN");
  }

  private static String account(Reader r) {
    return r.entry.stream().getString("Account");
  }

  private static String region(Reader r) {
    return r.entry.stream().getString("Region");
  }

  private static String name(Reader r) {
    return r.entry.stream().getString("Name");
  }
}
