package io.eventplane.kinesis.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * AWS's per-shard throughput limits, when turned on ({@code --kinesis-shard-limits on}): writes of
 * 1 MiB or 1,000 records per second (data plus partition key), reads of 2 MiB and 5 GetRecords calls
 * per second. Each is a token bucket refilled continuously on the service clock, so a test that
 * holds the clock still sees exact counts and one that moves it sees the refill. Reads are charged
 * after the fact and may run the byte bucket into debt: a GetRecords that returned more than the
 * shard's second's worth makes the next calls fail until the debt is repaid (AWS: a 10 MiB answer
 * blocks reads for seconds).
 *
 * <p>Confined to its lane, like the streams it meters. The buckets are rates, not data: they live
 * in memory on the lane that owns the stream, and a partition that moves starts with full buckets.
 */
public final class ShardThroughput {
  static final double WRITE_BYTES = 1024 * 1024;
  static final double WRITE_RECORDS = 1_000;
  static final double READ_BYTES = 2 * 1024 * 1024;
  static final double READ_CALLS = 5;
  /** Above this many metered shards, the idle ones (full buckets) are forgotten. */
  private static final int PRUNE_ABOVE = 4_096;

  private final Clock clock;
  private final boolean on;
  private final Map<Key, Buckets> shards = new HashMap<>();

  public ShardThroughput(Clock clock, boolean on) {
    this.clock = clock;
    this.on = on;
  }

  private record Key(long streamId, int shard) {}

  /** A rate: {@code capacity} tokens, refilled at {@code capacity} per second. */
  private static final class Bucket {
    private final double capacity;
    private double tokens;
    private long at;

    Bucket(double capacity, long now) {
      this.capacity = capacity;
      this.tokens = capacity;
      this.at = now;
    }

    double refill(long now) {
      if (now > at) tokens = Math.min(capacity, tokens + (now - at) * capacity / 1000.0);
      at = Math.max(at, now);
      return tokens;
    }

    boolean full(long now) {
      return refill(now) >= capacity;
    }
  }

  private static final class Buckets {
    final Bucket writeBytes;
    final Bucket writeRecords;
    final Bucket readBytes;
    final Bucket readCalls;

    Buckets(long now) {
      writeBytes = new Bucket(WRITE_BYTES, now);
      writeRecords = new Bucket(WRITE_RECORDS, now);
      readBytes = new Bucket(READ_BYTES, now);
      readCalls = new Bucket(READ_CALLS, now);
    }

    boolean idle(long now) {
      return writeBytes.full(now) && writeRecords.full(now) && readBytes.full(now) && readCalls.full(now);
    }
  }

  public boolean enabled() {
    return on;
  }

  /** Whether a record of {@code bytes} (data plus partition key) may go to the shard now; if so it is counted. */
  public boolean admitWrite(long streamId, int shard, long bytes) {
    if (!on) return true;
    long now = clock.millis();
    Buckets b = buckets(streamId, shard, now);
    if (b.writeRecords.refill(now) < 1 || b.writeBytes.refill(now) < bytes) return false;
    b.writeRecords.tokens -= 1;
    b.writeBytes.tokens -= bytes;
    return true;
  }

  /** Whether a GetRecords call may read the shard now; if so the call is counted. */
  public boolean admitRead(long streamId, int shard) {
    if (!on) return true;
    long now = clock.millis();
    Buckets b = buckets(streamId, shard, now);
    if (b.readCalls.refill(now) < 1 || b.readBytes.refill(now) <= 0) return false;
    b.readCalls.tokens -= 1;
    return true;
  }

  /** Charges the data a GetRecords call returned from the shard. */
  public void read(long streamId, int shard, long bytes) {
    if (!on) return;
    long now = clock.millis();
    Buckets b = buckets(streamId, shard, now);
    b.readBytes.refill(now);
    b.readBytes.tokens -= bytes;
  }

  /** AWS's message for a write over a shard's rate (PutRecord's error, PutRecords' per-record ErrorMessage). */
  public static String writeMessage(StreamRef stream, String shardId) {
    return "Rate exceeded for shard " + shardId + " in stream " + stream.name() + " under account " + stream.account() + ".";
  }

  public static ServiceException writeExceeded(StreamRef stream, String shardId) {
    return exceeded(writeMessage(stream, shardId));
  }

  /** AWS's GetRecords refusal: "Rate exceeded for Shard - account/stream/shard". */
  public static ServiceException readExceeded(StreamRef stream, String shardId) {
    return exceeded("Rate exceeded for Shard - " + stream.account() + "/" + stream.name() + "/" + shardId);
  }

  private static ServiceException exceeded(String message) {
    return new ServiceException(ServiceError.sender("ProvisionedThroughputExceededException", message));
  }

  private Buckets buckets(long streamId, int shard, long now) {
    Key key = new Key(streamId, shard);
    Buckets b = shards.get(key);
    if (b == null) {
      if (shards.size() >= PRUNE_ABOVE) shards.values().removeIf(x -> x.idle(now));
      b = new Buckets(now);
      shards.put(key, b);
    }
    return b;
  }
}
