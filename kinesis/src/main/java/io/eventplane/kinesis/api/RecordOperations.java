package io.eventplane.kinesis.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.store.Batch;
import io.eventplane.kinesis.domain.HashKeys;
import io.eventplane.kinesis.domain.KinesisErrors;
import io.eventplane.kinesis.domain.Reshards;
import io.eventplane.kinesis.domain.SequenceNumbers;
import io.eventplane.kinesis.domain.Shard;
import io.eventplane.kinesis.domain.ShardThroughput;
import io.eventplane.kinesis.domain.ShardIterator;
import io.eventplane.kinesis.domain.ShardTail;
import io.eventplane.kinesis.domain.Stream;
import io.eventplane.kinesis.domain.StreamRef;
import io.eventplane.kinesis.domain.Streams;
import io.eventplane.kinesis.store.StoredRecord;
import io.eventplane.kinesis.store.StreamStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writing and reading records. A put takes its positions on the lane (so a shard's order is the
 * order the lane saw the puts in), writes the records and the shards' next positions in one batch
 * and answers once that batch is durable (replicated when clustered). Reads scan the shard's key
 * range on a worker.
 */
final class RecordOperations {
  static final int MAX_RECORD_BYTES = 1024 * 1024;
  static final int MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;
  static final int MAX_GET_RECORDS_BYTES = 10 * 1024 * 1024;
  static final List<String> ITERATOR_TYPES = List.of("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON",
      "LATEST", "AT_TIMESTAMP");

  private final Streams streams;
  private final Clock clock;
  private final ShardThroughput throughput;

  RecordOperations(Streams streams, Clock clock, ShardThroughput throughput) {
    this.streams = streams;
    this.clock = clock;
    this.throughput = throughput;
  }

  /** A record to put, checked: its data, partition key and hash key. */
  private record Entry(byte[] data, String partitionKey, BigInteger hashKey) {}

  /** Checks one record's members into {@code in} (paths under {@code prefix}); null when a violation was found. */
  private static Entry entry(JsonObject record, Inputs in, String prefix) {
    Inputs r = new Inputs(record);
    String data = r.string("Data");
    String key = r.string("PartitionKey");
    String explicit = r.string("ExplicitHashKey");
    in.required(data, prefix + "data");
    in.required(key, prefix + "partitionKey");
    in.length(key, prefix + "partitionKey", 1, 256);
    in.pattern(explicit, prefix + "explicitHashKey", Inputs.HASH_KEY_PATTERN);
    if (data == null || key == null || key.isEmpty()) return null;
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw KinesisErrors.serialization("Base64 encoded data for " + prefix + "data is not valid.");
    }
    if (bytes.length > MAX_RECORD_BYTES) {
      in.add("Value at '" + prefix + "data' failed to satisfy constraint: Member must have length less than or equal to "
          + MAX_RECORD_BYTES);
      return null;
    }
    BigInteger hash = HashKeys.of(key);
    if (explicit != null && explicit.matches(Inputs.HASH_KEY_PATTERN)) {
      hash = new BigInteger(explicit);
      if (hash.compareTo(HashKeys.MAX) > 0) {
        throw KinesisErrors.invalidArgument("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
            + "Specified value was " + explicit);
      }
    }
    return new Entry(bytes, key, hash);
  }

  private static int size(Entry e) {
    return e.data.length + e.partitionKey.getBytes(StandardCharsets.UTF_8).length;
  }

  Future<JsonObject> put(ApiRequest request) {
    long started = System.nanoTime();
    Inputs in = new Inputs(request.input());
    StreamRef ref = in.stream(request);
    String ordering = in.string("SequenceNumberForOrdering");
    in.pattern(ordering, "sequenceNumberForOrdering", Inputs.SEQUENCE_PATTERN);
    Entry e = entry(request.input(), in, "");
    in.check();
    if (size(e) > MAX_RECORD_BYTES) {
      throw KinesisErrors.invalidArgument("Record size exceeds " + MAX_RECORD_BYTES + " bytes (data plus partition key).");
    }
    Streams.Live live = streams.require(ref);
    Stream s = live.stream();
    Shard shard = s.shardFor(e.hashKey);
    if (!throughput.admitWrite(s.id(), shard.index(), size(e))) {
      streams.metrics().putRecordThrottled(s);
      throw ShardThroughput.writeExceeded(ref, shard.id());
    }
    long now = clock.millis();
    ShardTail tail = live.tail(shard.index());
    long position = tail.take();
    StoredRecord record = new StoredRecord(position, now, isKms(s), e.partitionKey, e.data);
    StreamStore store = streams.store();
    Batch b = store.batch();
    store.putRecord(b, ref.partition(), s.id(), shard.index(), record);
    store.putNext(b, ref.partition(), s.id(), shard.index(), position + 1);
    int bytes = size(e);
    return streams.commit(ref.partition(), b).onComplete(ar -> {
      if (ar.succeeded()) {
        tail.committed(record);
        streams.metrics().incoming(s, 1, bytes);
        streams.metrics().putRecord(s, bytes, System.nanoTime() - started);
      } else {
        tail.failed(position);
      }
    }).map(v -> new JsonObject().put("ShardId", shard.id())
        .put("SequenceNumber", SequenceNumbers.of(s.id(), shard.index(), position)).put("EncryptionType", s.encryptionType()));
  }

  private static boolean isKms(Stream s) {
    return "KMS".equals(s.encryptionType());
  }

  Future<JsonObject> putRecords(ApiRequest request) {
    long started = System.nanoTime();
    Inputs in = new Inputs(request.input());
    StreamRef ref = in.stream(request);
    JsonArray records = in.array("Records");
    in.required(records, "records");
    in.size(records, "records", 1, 500);
    Entry[] entries = new Entry[records == null ? 0 : records.size()];
    long total = 0;
    for (int i = 0; i < entries.length; i++) {
      if (!(records.getValue(i) instanceof JsonObject r)) throw Inputs.wrongType("Records", "a list of structures");
      entries[i] = entry(r, in, "records." + (i + 1) + ".member.");
      if (entries[i] != null) total += size(entries[i]);
    }
    in.check();
    for (Entry e : entries) {
      if (size(e) > MAX_RECORD_BYTES) {
        throw KinesisErrors.invalidArgument("Record size exceeds " + MAX_RECORD_BYTES + " bytes (data plus partition key).");
      }
    }
    if (total > MAX_PUT_RECORDS_BYTES) throw KinesisErrors.invalidArgument("Records size exceeds 5 MB limit");
    Streams.Live live = streams.require(ref);
    Stream s = live.stream();
    long now = clock.millis();
    StreamStore store = streams.store();
    Batch b = store.batch();
    JsonArray results = new JsonArray();
    Map<Integer, Long> next = new HashMap<>();
    List<ShardTail> tails = new ArrayList<>();
    List<StoredRecord> written = new ArrayList<>();
    long writtenBytes = 0;
    int failed = 0;
    for (Entry e : entries) {
      Shard shard = s.shardFor(e.hashKey);
      if (!throughput.admitWrite(s.id(), shard.index(), size(e))) {
        results.add(new JsonObject().put("ErrorCode", "ProvisionedThroughputExceededException")
            .put("ErrorMessage", ShardThroughput.writeMessage(ref, shard.id())));
        failed++;
        continue;
      }
      ShardTail tail = live.tail(shard.index());
      long position = tail.take();
      StoredRecord record = new StoredRecord(position, now, isKms(s), e.partitionKey, e.data);
      store.putRecord(b, ref.partition(), s.id(), shard.index(), record);
      tails.add(tail);
      written.add(record);
      writtenBytes += size(e);
      next.put(shard.index(), position + 1);
      results.add(new JsonObject().put("SequenceNumber", SequenceNumbers.of(s.id(), shard.index(), position))
          .put("ShardId", shard.id()));
    }
    next.forEach((shard, n) -> store.putNext(b, ref.partition(), s.id(), shard, n));
    int failedCount = failed;
    long bytes = writtenBytes;
    return streams.commit(ref.partition(), b).onComplete(ar -> {
      if (ar.succeeded() && !written.isEmpty()) streams.metrics().incoming(s, written.size(), bytes);
      if (ar.succeeded()) {
        streams.metrics().putRecords(s, entries.length, written.size(), failedCount, bytes, System.nanoTime() - started);
      }
      for (int i = 0; i < written.size(); i++) {
        if (ar.succeeded()) tails.get(i).committed(written.get(i));
        else tails.get(i).failed(written.get(i).position());
      }
    }).map(v -> new JsonObject().put("FailedRecordCount", failedCount).put("Records", results)
        .put("EncryptionType", s.encryptionType()));
  }

  Future<JsonObject> shardIterator(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = in.stream(request);
    String shardId = in.string("ShardId");
    String type = in.string("ShardIteratorType");
    String seq = in.string("StartingSequenceNumber");
    Long timestamp = in.timestamp("Timestamp");
    in.required(shardId, "shardId");
    in.length(shardId, "shardId", 1, 128);
    in.pattern(shardId, "shardId", Inputs.NAME_PATTERN);
    in.required(type, "shardIteratorType");
    in.oneOf(type, "shardIteratorType", ITERATOR_TYPES);
    in.pattern(seq, "startingSequenceNumber", Inputs.SEQUENCE_PATTERN);
    in.check();
    boolean bySequence = type.equals("AT_SEQUENCE_NUMBER") || type.equals("AFTER_SEQUENCE_NUMBER");
    if (bySequence != (seq != null)) {
      throw KinesisErrors.invalidArgument("Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
          + "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified "
          + type + " and " + (seq == null ? "no StartingSequenceNumber" : "also a StartingSequenceNumber") + ".");
    }
    long now = clock.millis();
    if (type.equals("AT_TIMESTAMP") && timestamp == null) {
      throw KinesisErrors.invalidArgument("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. "
          + "Current request has no timestamp parameter.");
    }
    if (type.equals("AT_TIMESTAMP") && timestamp > now) {
      throw KinesisErrors.invalidArgument("The timestampInMillis parameter cannot be greater than the "
          + "currentTimestampInMillis. timestampInMillis: " + timestamp + ", currentTimestampInMillis: " + now);
    }
    Streams.Live live = streams.require(ref);
    Stream s = Reshards.listed(live.stream(), now);
    int index = Shard.indexOf(shardId);
    Shard shard = index < 0 ? null : s.shard(index);
    if (shard == null) throw KinesisErrors.shardNotFound(ref, shardId);
    long end = shard.open() ? live.next(index) : shard.endingPosition() + 1;
    return switch (type) {
      case "TRIM_HORIZON" -> answer(ref, s, index, shard.startingPosition(), now);
      case "LATEST" -> answer(ref, s, index, end, now);
      case "AT_TIMESTAMP" -> streams.blocking(() -> streams.store().firstAtOrAfter(ref.partition(), s.id(), index, timestamp))
          .map(p -> iterator(ref, s, index, p < 0 ? Math.max(end, live.next(index)) : p, now));
      default -> {
        SequenceNumbers.Position p = SequenceNumbers.parse(seq);
        if (p == null) {
          throw KinesisErrors.invalidArgument("StartingSequenceNumber " + seq + " used in GetShardIterator on shard "
              + shardId + " in stream " + ref.name() + " under account " + ref.account() + " is invalid.");
        }
        if (p.streamId() != s.id() || p.shard() != index) {
          throw KinesisErrors.invalidArgument("StartingSequenceNumber " + seq + " used in GetShardIterator on shard "
              + shardId + " in stream " + ref.name() + " under account " + ref.account()
              + " is invalid because it did not come from this stream.");
        }
        yield answer(ref, s, index, type.equals("AT_SEQUENCE_NUMBER") ? p.position() : p.position() + 1, now);
      }
    };
  }

  private static Future<JsonObject> answer(StreamRef ref, Stream s, int shard, long position, long now) {
    return Future.succeededFuture(iterator(ref, s, shard, position, now));
  }

  private static JsonObject iterator(StreamRef ref, Stream s, int shard, long position, long now) {
    return new JsonObject().put("ShardIterator", new ShardIterator(ref, s.id(), shard, position, now).encode());
  }

  Future<JsonObject> getRecords(ApiRequest request) {
    long started = System.nanoTime();
    Inputs in = new Inputs(request.input());
    String text = in.string("ShardIterator");
    Integer limit = in.integer("Limit");
    in.required(text, "shardIterator");
    in.length(text, "shardIterator", 1, 512);
    in.range(limit, "limit", 1, 10000);
    in.check();
    ShardIterator it = ShardIterator.decode(text);
    if (it == null) throw KinesisErrors.invalidArgument("Invalid ShardIterator.");
    long now = clock.millis();
    if (now - it.createdMillis() > KinesisErrors.ITERATOR_MILLIS) throw KinesisErrors.expiredIterator(it.createdMillis(), now);
    Streams.Live live = streams.get(it.stream());
    if (live == null || live.stream().id() != it.streamId()) throw KinesisErrors.notFound(it.stream());
    Stream s = live.stream();
    Shard shard = s.shard(it.shard());
    if (shard == null) throw KinesisErrors.shardNotFound(it.stream(), Shard.id(it.shard()));
    if (!throughput.admitRead(s.id(), shard.index())) {
      streams.metrics().getRecordsThrottled(s);
      throw ShardThroughput.readExceeded(it.stream(), shard.id());
    }
    long cutoff = now - s.retentionMillis();
    int max = limit == null ? 10000 : limit;
    int partition = it.stream().partition();
    ShardTail tail = live.tail(shard.index());
    long until = tail.visible();
    ShardTail.Page cached = tail.read(it.position(), max, MAX_GET_RECORDS_BYTES, cutoff);
    Future<ShardTail.Page> read = cached != null ? Future.succeededFuture(cached) : streams.blocking(() -> {
      StreamStore.Page p = streams.store().read(partition, s.id(), shard.index(), it.position(), until, max,
          MAX_GET_RECORDS_BYTES, cutoff);
      return new ShardTail.Page(p.records(), p.more());
    });
    return read.map(page -> {
          JsonArray records = new JsonArray();
          long next = it.position();
          long bytes = 0;
          for (StoredRecord r : page.records()) {
            bytes += r.data().length;
            records.add(record(s, shard.index(), r));
            next = r.position() + 1;
          }
          throughput.read(s.id(), shard.index(), bytes);
          streams.metrics().getRecords(s, page.records().size(), bytes,
              page.records().isEmpty() ? 0 : Math.max(0, now - page.records().get(page.records().size() - 1).arrivalMillis()),
              System.nanoTime() - started);
          long behind = page.more() ? Math.max(0, now - page.records().get(page.records().size() - 1).arrivalMillis()) : 0;
          JsonObject out = new JsonObject().put("Records", records).put("MillisBehindLatest", behind);
          if (!shard.open() && !page.more() && next > shard.endingPosition()) {
            return out.put("ChildShards", children(s, shard));
          }
          return out.put("NextShardIterator", new ShardIterator(it.stream(), s.id(), shard.index(), next, now).encode());
        });
  }

  /** A record as GetRecords (and SubscribeToShard's events) answer it. */
  static JsonObject record(Stream s, int shard, StoredRecord r) {
    JsonObject out = new JsonObject().put("SequenceNumber", SequenceNumbers.of(s.id(), shard, r.position()))
        .put("ApproximateArrivalTimestamp", Wire.seconds(r.arrivalMillis()))
        .put("Data", Base64.getEncoder().encodeToString(r.data())).put("PartitionKey", r.partitionKey());
    if (r.encrypted()) out.put("EncryptionType", "KMS");
    return out;
  }

  /** The shards a closed shard's hash keys went to, as GetRecords names them at its end. */
  static JsonArray children(Stream s, Shard parent) {
    JsonArray out = new JsonArray();
    for (Shard c : s.shards()) {
      boolean child = Integer.valueOf(parent.index()).equals(c.parent()) || Integer.valueOf(parent.index()).equals(c.adjacentParent());
      if (!child) continue;
      JsonArray parents = new JsonArray().add(Shard.id(c.parent()));
      if (c.adjacentParent() != null) parents.add(Shard.id(c.adjacentParent()));
      out.add(new JsonObject().put("ShardId", c.id()).put("ParentShards", parents).put("HashKeyRange", new JsonObject()
          .put("StartingHashKey", c.startingHashKey().toString()).put("EndingHashKey", c.endingHashKey().toString())));
    }
    return out;
  }

  /** The retention sweep of one partition: each shard's records older than its stream's retention go, one range per shard. */
  Future<Void> sweep(int partition) {
    long now = clock.millis();
    Future<Void> all = Future.succeededFuture();
    for (Streams.Live live : streams.all(partition)) {
      Stream s = live.stream();
      long cutoff = now - s.retentionMillis();
      for (Shard shard : s.shards()) live.tail(shard.index()).expire(cutoff);
      all = all.compose(v -> streams.blocking(() -> {
        Batch b = streams.store().batch();
        boolean any = false;
        for (Shard shard : s.shards()) any |= streams.store().trim(b, partition, s.id(), shard.index(), cutoff);
        return any ? b : null;
      })).compose(b -> b == null ? Future.succeededFuture() : streams.commit(partition, b));
    }
    return all;
  }
}
