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
}
