package io.eventplane.kinesis;

import io.eventplane.common.cloudwatch.AwsMetricDatum;
import io.eventplane.common.cloudwatch.AwsMetricSets;
import io.eventplane.common.cloudwatch.AwsMetricSource;
import io.eventplane.common.cloudwatch.StatisticSet;
import io.eventplane.kinesis.domain.Consumer;
import io.eventplane.kinesis.domain.Stream;
import io.eventplane.kinesis.domain.StreamMetrics;
import io.eventplane.kinesis.domain.StreamRef;
import java.util.List;
import java.util.Map;

/**
 * One Kinesis lane's streams in CloudWatch's {@code AWS/Kinesis} namespace, dimension
 * {@code StreamName}: the stream-level ("basic") metrics AWS publishes each minute a stream is used.
 * Each call is one sample, as AWS records them: IncomingRecords and IncomingBytes (one value per
 * successful PutRecord or PutRecords: its records, its bytes of data and partition keys),
 * PutRecord.Success and PutRecord.Bytes, PutRecords.Success (1 per PutRecords with a record
 * written, else 0), .TotalRecords, .SuccessfulRecords, .ThrottledRecords, .FailedRecords (always
 * 0: a put either commits whole or fails whole) and .Bytes; GetRecords.Success, .Records, .Bytes
 * (one value per call) and .IteratorAgeMilliseconds (how old the last record a call returned is, 0
 * when it returned none); PutRecord.Latency, PutRecords.Latency and GetRecords.Latency (milliseconds
 * from the call's start at the owning lane to its commit or its records read); Write- and
 * ReadProvisionedThroughputExceeded (a value per refused call: 1
 * per refused PutRecord, a PutRecords' throttled records, 1 per refused GetRecords). Per enhanced
 * fan-out consumer (dimensions StreamName and ConsumerName): SubscribeToShardEvent.MillisBehindLatest,
 * one value per SubscribeToShard event, its MillisBehindLatest (the console's stream page shows a
 * consumer's lag from it). A metric with
 * nothing recorded in a minute is not published, as AWS leaves such minutes empty.
 * Lane-confined: recorded and sampled on the lane's context.
 */
final class StreamCloudWatch implements StreamMetrics, AwsMetricSource {
  static final String NAMESPACE = "AWS/Kinesis";

  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("IncomingRecords", "Count"), Map.entry("IncomingBytes", "Bytes"),
      Map.entry("PutRecord.Success", "Count"), Map.entry("PutRecord.Bytes", "Bytes"),
      Map.entry("PutRecords.Success", "Count"), Map.entry("PutRecords.TotalRecords", "Count"),
      Map.entry("PutRecords.SuccessfulRecords", "Count"), Map.entry("PutRecords.ThrottledRecords", "Count"),
      Map.entry("PutRecords.FailedRecords", "Count"), Map.entry("PutRecords.Bytes", "Bytes"),
      Map.entry("GetRecords.Success", "Count"), Map.entry("GetRecords.Records", "Count"),
      Map.entry("GetRecords.Bytes", "Bytes"), Map.entry("GetRecords.IteratorAgeMilliseconds", "Milliseconds"),
      Map.entry("WriteProvisionedThroughputExceeded", "Count"), Map.entry("ReadProvisionedThroughputExceeded", "Count"),
      Map.entry("PutRecord.Latency", "Milliseconds"), Map.entry("PutRecords.Latency", "Milliseconds"),
      Map.entry("GetRecords.Latency", "Milliseconds"));

  /** What each stream recorded since the last sample. */
  private final AwsMetricSets<StreamRef> sets = new AwsMetricSets<>(NAMESPACE, UNITS);
  /** What each consumer's subscriptions recorded since the last sample. */
  private final AwsMetricSets<Consumer> consumers = new AwsMetricSets<>(NAMESPACE,
      Map.of("SubscribeToShardEvent.MillisBehindLatest", "Milliseconds"));

  private StatisticSet set(Stream s, String metric) {
    return sets.of(s.ref(), metric);
  }

  @Override
  public void incoming(Stream s, int records, long bytes) {
    // Counted by putRecord and putRecords, which know which call it was.
  }

  @Override
  public void consumerBehind(Consumer c, int shard, long millis) {
    consumers.of(c, "SubscribeToShardEvent.MillisBehindLatest").add(millis);
  }

  @Override
  public void putRecord(Stream s, long bytes, long nanos) {
    set(s, "IncomingRecords").add(1);
    set(s, "IncomingBytes").add(bytes);
    set(s, "PutRecord.Success").add(1);
    set(s, "PutRecord.Bytes").add(bytes);
    set(s, "PutRecord.Latency").add(nanos / 1_000_000.0);
  }

  @Override
  public void putRecords(Stream s, int total, int written, int throttled, long bytes, long nanos) {
    if (written > 0) {
      set(s, "IncomingRecords").add(written);
      set(s, "IncomingBytes").add(bytes);
    }
    set(s, "PutRecords.Success").add(written > 0 ? 1 : 0);
    set(s, "PutRecords.TotalRecords").add(total);
    set(s, "PutRecords.SuccessfulRecords").add(written);
    set(s, "PutRecords.ThrottledRecords").add(throttled);
    set(s, "PutRecords.FailedRecords").add(0);
    set(s, "PutRecords.Bytes").add(bytes);
    set(s, "PutRecords.Latency").add(nanos / 1_000_000.0);
    if (throttled > 0) set(s, "WriteProvisionedThroughputExceeded").add(throttled);
  }

  @Override
  public void putRecordThrottled(Stream s) {
    set(s, "WriteProvisionedThroughputExceeded").add(1);
  }

  @Override
  public void getRecords(Stream s, int records, long bytes, long ageMillis, long nanos) {
    set(s, "GetRecords.Success").add(1);
    set(s, "GetRecords.Records").add(records);
    set(s, "GetRecords.Bytes").add(bytes);
    set(s, "GetRecords.IteratorAgeMilliseconds").add(ageMillis);
    set(s, "GetRecords.Latency").add(nanos / 1_000_000.0);
  }

  @Override
  public void getRecordsThrottled(Stream s) {
    set(s, "ReadProvisionedThroughputExceeded").add(1);
  }

  @Override
  public List<AwsMetricDatum> sample(long millis) {
    List<AwsMetricDatum> out = new java.util.ArrayList<>(
        sets.drain(ref -> List.of(new AwsMetricSets.Where(ref.account(), ref.region(), Map.of("StreamName", ref.name())))));
    out.addAll(consumers.drain(c -> List.of(new AwsMetricSets.Where(c.stream().account(), c.stream().region(),
        Map.of("StreamName", c.stream().name(), "ConsumerName", c.name())))));
    return out;
  }
}
