package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.CompressionFormat;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponseEntry;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What Firehose producers were told, and the check of a bucket's objects against it, for the tests
 * that kill servers while delivery streams buffer.
 *
 * <p>Producer {@code p} sends PutRecordBatch calls of 1 to 25 records, each record
 * {@code f<p>-<n>:<padding>\n} with its own number n. A record is answered when the call was
 * answered and its RequestResponses entry has a RecordId and no ErrorCode. Firehose concatenates
 * records with no delimiter, so an object is split back into records by a pattern that matches a
 * whole record ({@link #RECORD} here; a Kinesis source's records have theirs): an object whose body
 * is not exactly a run of such records (or, GZIP-compressed, does not decompress) is corrupt or
 * partial. {@link #check} then holds what the bucket holds against what was answered and sent.
 */
public final class FirehoseLedger {
  /** One record of a producer here, as delivered. */
  public static final Pattern RECORD = Pattern.compile("f\\d+-\\d+:x{100}\n");
  private static final String PADDING = "x".repeat(100);
  private static final int MAX_BATCH = 25;
  /** The role a test's delivery streams name (never assumed). */
  public static final String ROLE = "arn:aws:iam::000000000000:role/firehose";

  /** A bucket read back: how often each record was delivered, and what was wrong with objects. */
  public record Delivered(int objects, Map<String, Integer> records, List<String> problems) {}

  /** How a bucket held up: answered records, objects, distinct records delivered, of unanswered puts, delivered twice. */
  public record Summary(int answered, int objects, int delivered, int unanswered, int duplicates) {}

  private final Set<String> answered = ConcurrentHashMap.newKeySet();
  private final Set<String> attempted = ConcurrentHashMap.newKeySet();

  /** How many records were answered (with a RecordId and no ErrorCode). */
  public int answered() {
    return answered.size();
  }

  /** Creates a DirectPut delivery stream into {@code bucket} (GZIP, 1 MiB, {@code interval} seconds). */
  public static void createDirectPut(FirehoseClient client, String stream, String bucket, int interval) {
    client.createDeliveryStream(b -> b.deliveryStreamName(stream).extendedS3DestinationConfiguration(d -> d
        .roleARN(ROLE).bucketARN("arn:aws:s3:::" + bucket).prefix("fh/").compressionFormat(CompressionFormat.GZIP)
        .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(interval))));
  }

  /** A producer of its own records into {@code stream} through {@code client}. Not thread-safe. */
  public Producer producer(int id, FirehoseClient client, String stream) {
    return new Producer(id, client, stream);
  }

  /** One producer; each {@link #put} is one PutRecordBatch, throwing whatever the call threw (no answer: no promise). */
  public final class Producer {
    private final int id;
    private final FirehoseClient client;
    private final String stream;
    private int next;

    private Producer(int id, FirehoseClient client, String stream) {
      this.id = id;
      this.client = client;
      this.stream = stream;
    }

    public void put() {
      int n = 1 + ThreadLocalRandom.current().nextInt(MAX_BATCH);
      List<String> sent = new ArrayList<>(n);
      List<Record> records = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String data = "f" + id + "-" + next++ + ":" + PADDING + "\n";
        attempted.add(data);
        sent.add(data);
        records.add(Record.builder().data(SdkBytes.fromString(data, StandardCharsets.UTF_8)).build());
      }
      PutRecordBatchResponse r = client.putRecordBatch(b -> b.deliveryStreamName(stream).records(records));
      assertThat(r.requestResponses()).as("PutRecordBatch RequestResponses").hasSize(n);
      for (int i = 0; i < n; i++) {
        PutRecordBatchResponseEntry e = r.requestResponses().get(i);
        if (e.errorCode() == null && e.recordId() != null) answered.add(sent.get(i));
      }
    }
  }

  /**
   * Every object of the bucket (GZIP-decompressed when {@code gzip}), split into records by
   * {@code record}; an object that does not decompress, or whose body is not exactly a run of
   * records, is noted as a problem.
   */
  public static Delivered read(S3Client s3, String bucket, boolean gzip, Pattern record) {
    Map<String, Integer> records = new HashMap<>();
    List<String> problems = new ArrayList<>();
    List<S3Object> objects = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(objects::add);
    for (S3Object o : objects) {
      byte[] body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray();
      String text;
      try {
        text = new String(gzip ? gunzip(body) : body, StandardCharsets.UTF_8);
      } catch (IOException e) {
        problems.add(o.key() + " (" + body.length + " bytes) does not decompress: " + e);
        continue;
      }
      Matcher m = record.matcher(text);
      int at = 0;
      while (m.find() && m.start() == at) {
        records.merge(m.group(), 1, Integer::sum);
        at = m.end();
      }
      if (at != text.length() || text.isEmpty()) {
        problems.add(o.key() + ": not a run of whole records from offset " + at + " of " + text.length() + ": "
            + text.substring(at, Math.min(text.length(), at + 60)));
      }
    }
    return new Delivered(objects.size(), records, problems);
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  /** Reads the bucket until every answered record is there or {@code within} has passed; answers the last read. */
  public Delivered awaitDelivered(S3Client s3, String bucket, boolean gzip, Pattern record, Duration within) {
    return awaitDelivered(s3, bucket, gzip, record, answered, within);
  }

  /** As {@link #awaitDelivered(S3Client, String, boolean, Pattern, Duration)}, for records answered elsewhere. */
  public static Delivered awaitDelivered(S3Client s3, String bucket, boolean gzip, Pattern record, Set<String> expected,
      Duration within) {
    Delivered[] last = {null};
    try {
      Awaitility.await("answered records delivered to " + bucket).atMost(within).pollInterval(Duration.ofMillis(250))
          .until(() -> {
            last[0] = read(s3, bucket, gzip, record);
            return last[0].records().keySet().containsAll(expected);
          });
    } catch (ConditionTimeoutException e) {
      // check() names what is missing
    }
    return last[0] != null ? last[0] : read(s3, bucket, gzip, record);
  }

  /**
   * Holds a bucket against this ledger: no corrupt or partial object; nothing nobody sent; every
   * answered record delivered. Duplicates are counted, and failed on only when {@code duplicatesAllowed}
   * is false.
   */
  public Summary check(Delivered d, boolean duplicatesAllowed) {
    return check(d, answered, attempted, duplicatesAllowed);
  }

  /** As {@link #check(Delivered, boolean)}, for records answered and sent elsewhere (a Kinesis stream's). */
  public static Summary check(Delivered d, Set<String> answered, Set<String> attempted, boolean duplicatesAllowed) {
    List<String> problems = new ArrayList<>(d.problems());
    int unanswered = 0;
    Map<String, Integer> duplicates = new TreeMap<>();
    for (Map.Entry<String, Integer> r : d.records().entrySet()) {
      String name = named(r.getKey());
      if (!attempted.contains(r.getKey())) problems.add("a record nobody sent: " + name);
      if (!answered.contains(r.getKey())) unanswered++;
      if (r.getValue() > 1) duplicates.put(name, r.getValue());
    }
    Set<String> missing = new HashSet<>(answered);
    missing.removeAll(d.records().keySet());
    for (String m : missing) problems.add("answered, not delivered: " + named(m));
    if (!duplicatesAllowed && !duplicates.isEmpty()) problems.add(duplicates.size() + " records delivered more than once: " + duplicates);
    assertThat(problems).as("%d problems with %d answered records in %d objects (first 30): %s", problems.size(),
        answered.size(), d.objects(), problems.subList(0, Math.min(30, problems.size()))).isEmpty();
    return new Summary(answered.size(), d.objects(), d.records().size(), unanswered, duplicates.size());
  }

  /** A record without its padding. */
  private static String named(String data) {
    int end = data.indexOf(":x");
    return end < 0 ? data.strip() : data.substring(0, end);
  }
}
