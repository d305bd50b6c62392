package io.eventplane.kinesis.domain;

/**
 * Counts what a stream takes in and how far its consumers read behind, as CloudWatch's AWS/Kinesis
 * metrics do (IncomingRecords, IncomingBytes, SubscribeToShardEvent.MillisBehindLatest). Called on
 * the lane that owns the stream: puts once committed, reads when an event is made.
 * {@link #NONE} with {@code --metrics off}: nothing is recorded.
 */
public interface StreamMetrics {
  StreamMetrics NONE = new StreamMetrics() {
    @Override
    public void incoming(Stream s, int records, long bytes) {}

    @Override
    public void consumerBehind(Consumer c, int shard, long millis) {}
  };

  /** Records written to the stream and their size (data and partition key, as the shard limits count them). */
  void incoming(Stream s, int records, long bytes);

  /** How far behind the stream's newest record a consumer's last SubscribeToShard event of the shard was. */
  void consumerBehind(Consumer c, int shard, long millis);

  /**
   * A PutRecord committed: {@code bytes} of data and partition key (PutRecord.Success, PutRecord.Bytes),
   * {@code nanos} from its start to its commit (PutRecord.Latency).
   */
  default void putRecord(Stream s, long bytes, long nanos) {}

  /**
   * A PutRecords answered (committed, or every record throttled): its records, those written, those
   * refused by the shards' write limits, the bytes written, and how long it took.
   */
  default void putRecords(Stream s, int total, int written, int throttled, long bytes, long nanos) {}

  /** A PutRecord refused by its shard's write limit (WriteProvisionedThroughputExceeded). */
  default void putRecordThrottled(Stream s) {}

  /**
   * A GetRecords answered {@code records} records of {@code bytes} bytes of data; {@code ageMillis} how
   * old the last of them is (0 when none), {@code nanos} how long the call took: GetRecords.Success,
   * .Records, .Bytes, .IteratorAgeMilliseconds, .Latency.
   */
  default void getRecords(Stream s, int records, long bytes, long ageMillis, long nanos) {}

  /** A GetRecords refused by its shard's read limit (ReadProvisionedThroughputExceeded). */
  default void getRecordsThrottled(Stream s) {}

  /** Both recorders (the node's Prometheus meters and CloudWatch's AWS/Kinesis counts), {@code a} first. */
  static StreamMetrics both(StreamMetrics a, StreamMetrics b) {
    if (a == NONE) return b;
    if (b == NONE) return a;
    return new StreamMetrics() {
      @Override
      public void incoming(Stream s, int records, long bytes) {
        a.incoming(s, records, bytes);
        b.incoming(s, records, bytes);
      }

      @Override
      public void consumerBehind(Consumer c, int shard, long millis) {
        a.consumerBehind(c, shard, millis);
        b.consumerBehind(c, shard, millis);
      }

      @Override
      public void putRecord(Stream s, long bytes, long nanos) {
        a.putRecord(s, bytes, nanos);
        b.putRecord(s, bytes, nanos);
      }

      @Override
      public void putRecords(Stream s, int total, int written, int throttled, long bytes, long nanos) {
        a.putRecords(s, total, written, throttled, bytes, nanos);
        b.putRecords(s, total, written, throttled, bytes, nanos);
      }

      @Override
      public void putRecordThrottled(Stream s) {
        a.putRecordThrottled(s);
        b.putRecordThrottled(s);
      }

      @Override
      public void getRecords(Stream s, int records, long bytes, long ageMillis, long nanos) {
        a.getRecords(s, records, bytes, ageMillis, nanos);
        b.getRecords(s, records, bytes, ageMillis, nanos);
      }

      @Override
      public void getRecordsThrottled(Stream s) {
        a.getRecordsThrottled(s);
        b.getRecordsThrottled(s);
      }
    };
  }
}
