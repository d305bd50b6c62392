package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamDescription;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kinesis.model.UpdateShardCountResponse;
import software.amazon.awssdk.services.kinesis.model.ValidationException;

/**
 * SplitShard, MergeShards and UpdateShardCount with the SDK v2 (CBOR, and JSON where the test says
 * so): the lineage they leave, their refusals, UPDATING, GetRecords' ChildShards at a closed shard's
 * end, ListShards' filters over closed shards and closed shards leaving listings past retention.
 */
class KinesisReshardTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String ACCOUNT = "000000000000";
  private static final BigInteger HALF = BigInteger.ONE.shiftLeft(127);
  private static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private static KinesisClient kinesis() {
    return server.kinesis();
  }

  private static KinesisClient client(boolean cbor) {
    return cbor ? server.kinesis() : server.kinesisJson();
  }

  private static SdkBytes bytes(String s) {
    return SdkBytes.fromUtf8String(s);
  }

  private static String id(int i) {
    return String.format("shardId-%012d", i);
  }

  private static List<Shard> shards(String stream) {
    return kinesis().listShards(b -> b.streamName(stream)).shards();
  }

  private static Shard shard(List<Shard> shards, int i) {
    return shards.stream().filter(s -> s.shardId().equals(id(i))).findFirst().orElseThrow();
  }

  private static String put(String stream, BigInteger hashKey, String data) {
    return kinesis().putRecord(b -> b.streamName(stream).partitionKey("k").explicitHashKey(hashKey.toString()).data(bytes(data)))
        .shardId();
  }

  private static String iterator(String stream, String shardId) {
    return kinesis().getShardIterator(b -> b.streamName(stream).shardId(shardId).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
        .shardIterator();
  }

  private static void afterUpdate() {
    server.advance(Duration.ofSeconds(1));
  }

  private static void assertError(Runnable call, Class<? extends KinesisException> type, String message) {
    assertThatThrownBy(call::run).isInstanceOf(type)
        .satisfies(e -> assertThat(((KinesisException) e).awsErrorDetails().errorMessage()).isEqualTo(message));
  }

  @ParameterizedTest(name = "cbor={0}")
  @ValueSource(booleans = {true, false})
  void splitShardClosesTheParentAndOpensTwoChildren(boolean cbor) {
    KinesisClient k = client(cbor);
    String name = "split-" + cbor;
    k.createStream(b -> b.streamName(name).shardCount(1));
    String before = k.putRecord(b -> b.streamName(name).partitionKey("k").explicitHashKey("10").data(bytes("before")))
        .sequenceNumber();
    k.splitShard(b -> b.streamName(name).shardToSplit(id(0)).newStartingHashKey(HALF.toString()));

    StreamDescription d = k.describeStream(b -> b.streamName(name)).streamDescription();
    assertThat(d.streamStatus()).isEqualTo(StreamStatus.UPDATING);
    assertThat(d.shards()).extracting(Shard::shardId).containsExactly(id(0), id(1), id(2));
    Shard parent = d.shards().get(0);
    assertThat(parent.sequenceNumberRange().endingSequenceNumber()).isEqualTo(before);
    assertThat(parent.parentShardId()).isNull();
    Shard lower = d.shards().get(1);
    Shard upper = d.shards().get(2);
    assertThat(lower.parentShardId()).isEqualTo(id(0));
    assertThat(lower.adjacentParentShardId()).isNull();
    assertThat(lower.hashKeyRange().startingHashKey()).isEqualTo("0");
    assertThat(lower.hashKeyRange().endingHashKey()).isEqualTo(HALF.subtract(BigInteger.ONE).toString());
    assertThat(upper.parentShardId()).isEqualTo(id(0));
    assertThat(upper.hashKeyRange().startingHashKey()).isEqualTo(HALF.toString());
    assertThat(upper.hashKeyRange().endingHashKey()).isEqualTo(MAX.toString());
    assertThat(lower.sequenceNumberRange().endingSequenceNumber()).isNull();
    assertThat(new BigInteger(lower.sequenceNumberRange().startingSequenceNumber())).isGreaterThan(new BigInteger(before));
    assertThat(k.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().openShardCount()).isEqualTo(2);

    // Writes go to the child whose range holds the hash key, at once.
    assertThat(put(name, BigInteger.TEN, "low")).isEqualTo(id(1));
    assertThat(put(name, HALF, "high")).isEqualTo(id(2));
    assertThat(put(name, MAX, "top")).isEqualTo(id(2));

    assertError(() -> k.splitShard(b -> b.streamName(name).shardToSplit(id(1)).newStartingHashKey("1000")),
        ResourceInUseException.class, "Stream " + name + " under account " + ACCOUNT + " not ACTIVE, instead in state UPDATING");
    afterUpdate();
    assertThat(k.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus())
        .isEqualTo(StreamStatus.ACTIVE);
    assertThat(k.listStreams(b -> b.limit(100)).streamSummaries()).filteredOn(s -> s.streamName().equals(name))
        .extracting(s -> s.streamStatus()).containsExactly(StreamStatus.ACTIVE);
  }

  @Test
  void splitShardRefusals() {
    kinesis().createStream(b -> b.streamName("split-bad").shardCount(2));
    List<Shard> shards = shards("split-bad");
    String start = shards.get(1).hashKeyRange().startingHashKey();
    String end = shards.get(1).hashKeyRange().endingHashKey();
    String notInside = "NewStartingHashKey %s used in SplitShard() on shard " + id(1) + " in stream split-bad under account "
        + ACCOUNT + " is not both greater than one plus the shard's StartingHashKey " + start
        + " and less than the shard's EndingHashKey " + end + ".";
    for (String key : List.of(start, new BigInteger(start).add(BigInteger.ONE).toString(), end, "1")) {
      assertError(() -> kinesis().splitShard(b -> b.streamName("split-bad").shardToSplit(id(1)).newStartingHashKey(key)),
          InvalidArgumentException.class, String.format(notInside, key));
    }
    assertError(() -> kinesis().splitShard(b -> b.streamName("split-bad").shardToSplit(id(7)).newStartingHashKey("5")),
        ResourceNotFoundException.class, "Could not find shard " + id(7) + " in stream split-bad under account " + ACCOUNT + ".");
    assertError(() -> kinesis().splitShard(b -> b.streamName("split-bad").shardToSplit(id(0)).newStartingHashKey("12a")),
        ValidationException.class, "1 validation error detected: Value '12a' at 'newStartingHashKey' failed to satisfy "
            + "constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})");
    assertError(() -> kinesis().splitShard(b -> b.streamName("nope").shardToSplit(id(0)).newStartingHashKey("5")),
        ResourceNotFoundException.class, "Stream nope under account " + ACCOUNT + " not found.");

    kinesis().splitShard(b -> b.streamName("split-bad").shardToSplit(id(0)).newStartingHashKey("1000"));
    afterUpdate();
    assertError(() -> kinesis().splitShard(b -> b.streamName("split-bad").shardToSplit(id(0)).newStartingHashKey("2000")),
        InvalidArgumentException.class, "Shard " + id(0) + " in stream split-bad under account " + ACCOUNT
            + " has already been merged or split, and thus is not eligible for merging or splitting.");

    kinesis().createStream(b -> b.streamName("split-od").streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
    assertError(() -> kinesis().splitShard(b -> b.streamName("split-od").shardToSplit(id(0)).newStartingHashKey("1000")),
        ValidationException.class, "Request is invalid. Stream split-od under account " + ACCOUNT + " is in On-Demand mode.");
  }

  @ParameterizedTest(name = "cbor={0}")
  @ValueSource(booleans = {true, false})
  void mergeShardsJoinsTwoAdjacentShards(boolean cbor) {
    KinesisClient k = client(cbor);
    String name = "merge-" + cbor;
    k.createStream(b -> b.streamName(name).shardCount(3));
    List<Shard> before = shards(name);
    assertError(() -> k.mergeShards(b -> b.streamName(name).shardToMerge(id(0)).adjacentShardToMerge(id(2))),
        InvalidArgumentException.class, "Shards " + id(0) + " and " + id(2) + " in stream " + name + " under account " + ACCOUNT
            + " are not an adjacent pair of shards eligible for merging");
    k.mergeShards(b -> b.streamName(name).shardToMerge(id(1)).adjacentShardToMerge(id(0)));

    List<Shard> after = shards(name);
    assertThat(after).extracting(Shard::shardId).containsExactly(id(0), id(1), id(2), id(3));
    Shard child = shard(after, 3);
    assertThat(child.parentShardId()).isEqualTo(id(1));
    assertThat(child.adjacentParentShardId()).isEqualTo(id(0));
    assertThat(child.hashKeyRange().startingHashKey()).isEqualTo(before.get(0).hashKeyRange().startingHashKey());
    assertThat(child.hashKeyRange().endingHashKey()).isEqualTo(before.get(1).hashKeyRange().endingHashKey());
    assertThat(shard(after, 0).sequenceNumberRange().endingSequenceNumber()).isNotNull();
    assertThat(shard(after, 1).sequenceNumberRange().endingSequenceNumber()).isNotNull();
    assertThat(shard(after, 2).sequenceNumberRange().endingSequenceNumber()).isNull();
    assertThat(put(name, BigInteger.ZERO, "x")).isEqualTo(id(3));

    assertError(() -> k.mergeShards(b -> b.streamName(name).shardToMerge(id(3)).adjacentShardToMerge(id(2))),
        ResourceInUseException.class, "Stream " + name + " under account " + ACCOUNT + " not ACTIVE, instead in state UPDATING");
    afterUpdate();
    assertError(() -> k.mergeShards(b -> b.streamName(name).shardToMerge(id(1)).adjacentShardToMerge(id(2))),
        InvalidArgumentException.class, "Shard " + id(1) + " in stream " + name + " under account " + ACCOUNT
            + " has already been merged or split, and thus is not eligible for merging or splitting.");
    assertError(() -> k.mergeShards(b -> b.streamName(name).shardToMerge(id(3)).adjacentShardToMerge(id(9))),
        ResourceNotFoundException.class, "Could not find shard " + id(9) + " in stream " + name + " under account " + ACCOUNT + ".");
  }

  @Test
  void updateShardCountReachesUniformRangesBySplitsAndMerges() {
    kinesis().createStream(b -> b.streamName("scale").shardCount(2));
    UpdateShardCountResponse up = kinesis().updateShardCount(b -> b.streamName("scale").targetShardCount(4)
        .scalingType(ScalingType.UNIFORM_SCALING));
    assertThat(up.streamName()).isEqualTo("scale");
    assertThat(up.currentShardCount()).isEqualTo(2);
    assertThat(up.targetShardCount()).isEqualTo(4);
    assertThat(up.streamARN()).isEqualTo("arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/scale");
    // AWS's totals (moto's tests, recorded against AWS): 2 -> 4 lists 6 shards, 4 -> 2 lists 6 (here 6 + 2), 4 -> 5 lists 15.
    List<Shard> all = shards("scale");
    assertThat(all).hasSize(6);
    assertThat(openRanges(all)).containsExactlyElementsOf(uniform(4));
    for (Shard s : all.subList(2, 6)) assertThat(s.parentShardId()).isIn(id(0), id(1));
    assertThat(put("scale", HALF.add(BigInteger.ONE), "x")).isEqualTo(shardHolding(all, HALF.add(BigInteger.ONE)));
    afterUpdate();

    UpdateShardCountResponse down = kinesis().updateShardCount(b -> b.streamName("scale").targetShardCount(2)
        .scalingType(ScalingType.UNIFORM_SCALING));
    assertThat(down.currentShardCount()).isEqualTo(4);
    all = shards("scale");
    assertThat(all).hasSize(8);
    assertThat(openRanges(all)).containsExactlyElementsOf(uniform(2));
    assertThat(all.subList(6, 8)).allSatisfy(s -> assertThat(s.adjacentParentShardId()).isNotNull());
    afterUpdate();

    kinesis().createStream(b -> b.streamName("scale5").shardCount(4));
    kinesis().updateShardCount(b -> b.streamName("scale5").targetShardCount(5).scalingType(ScalingType.UNIFORM_SCALING));
    List<Shard> five = shards("scale5");
    assertThat(five).hasSize(15);
    assertThat(openRanges(five)).containsExactlyElementsOf(uniform(5));
    assertThat(kinesis().describeStreamSummary(b -> b.streamName("scale5")).streamDescriptionSummary().openShardCount())
        .isEqualTo(5);
  }

  @Test
  void updateShardCountRefusals() {
    kinesis().createStream(b -> b.streamName("limits").shardCount(2));
    assertError(() -> kinesis().updateShardCount(b -> b.streamName("limits").targetShardCount(5)
            .scalingType(ScalingType.UNIFORM_SCALING)), LimitExceededException.class,
        "UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 2, "
            + "Target shard count: 5");
    assertError(() -> kinesis().updateShardCount(b -> b.streamName("limits").targetShardCount(501)
            .scalingType(ScalingType.UNIFORM_SCALING)), LimitExceededException.class,
        "Target shard count or number of open shards cannot be greater than 500. Current open shard count: 2, "
            + "Target shard count: 501");
    kinesis().createStream(b -> b.streamName("limits6").shardCount(6));
    assertError(() -> kinesis().updateShardCount(b -> b.streamName("limits6").targetShardCount(2)
            .scalingType(ScalingType.UNIFORM_SCALING)), LimitExceededException.class,
        "UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: 6, "
            + "Target shard count: 2");
    assertError(() -> kinesis().updateShardCount(b -> b.streamName("limits").targetShardCount(0).scalingType("EVEN")),
        ValidationException.class, "2 validation errors detected: Value 'EVEN' at 'scalingType' failed to satisfy constraint: "
            + "Member must satisfy enum value set: [UNIFORM_SCALING]; Value '0' at 'targetShardCount' failed to satisfy "
            + "constraint: Member must have value greater than or equal to 1");

    // Ten scalings per stream in a rolling 24 hours.
    for (int i = 0; i < 10; i++) {
      int target = i % 2 == 0 ? 1 : 2;
      kinesis().updateShardCount(b -> b.streamName("limits").targetShardCount(target).scalingType(ScalingType.UNIFORM_SCALING));
      if (i == 0) {
        assertError(() -> kinesis().updateShardCount(b -> b.streamName("limits").targetShardCount(2)
                .scalingType(ScalingType.UNIFORM_SCALING)), ResourceInUseException.class,
            "Stream limits under account " + ACCOUNT + " not ACTIVE, instead in state UPDATING");
      }
      afterUpdate();
    }
    assertError(() -> kinesis().updateShardCount(b -> b.streamName("limits").targetShardCount(1)
            .scalingType(ScalingType.UNIFORM_SCALING)), LimitExceededException.class,
        "UpdateShardCount cannot be called more than 10 times in a rolling 24-hour period for stream limits under account "
            + ACCOUNT + ".");
    server.advance(Duration.ofHours(24));
    assertThat(kinesis().updateShardCount(b -> b.streamName("limits").targetShardCount(1)
        .scalingType(ScalingType.UNIFORM_SCALING)).targetShardCount()).isEqualTo(1);
  }

  @Test
  void getRecordsAtAClosedShardsEndNamesItsChildren() {
    kinesis().createStream(b -> b.streamName("children").shardCount(2));
    List<String> parentRecords = new ArrayList<>();
    for (int i = 0; i < 3; i++) parentRecords.add(put("children", BigInteger.valueOf(i), "p" + i));
    kinesis().splitShard(b -> b.streamName("children").shardToSplit(id(0)).newStartingHashKey("1000"));

    GetRecordsResponse page = kinesis().getRecords(b -> b.shardIterator(iterator("children", id(0))).limit(2));
    assertThat(page.records()).hasSize(2);
    assertThat(page.nextShardIterator()).isNotNull();
    assertThat(page.childShards()).isEmpty();
    String next = page.nextShardIterator();
    GetRecordsResponse end = kinesis().getRecords(b -> b.shardIterator(next));
    assertThat(end.records()).extracting(r -> r.data().asUtf8String()).containsExactly("p2");
    assertThat(end.nextShardIterator()).isNull();
    assertThat(end.millisBehindLatest()).isZero();
    assertThat(end.childShards()).extracting(ChildShard::shardId).containsExactly(id(2), id(3));
    assertThat(end.childShards().get(0).parentShards()).containsExactly(id(0));
    assertThat(end.childShards().get(0).hashKeyRange().startingHashKey()).isEqualTo("0");
    assertThat(end.childShards().get(0).hashKeyRange().endingHashKey()).isEqualTo("999");
    assertThat(end.childShards().get(1).hashKeyRange().startingHashKey()).isEqualTo("1000");

    // A shard closed before it held a record ends where it starts and names its child at once.
    afterUpdate();
    kinesis().mergeShards(b -> b.streamName("children").shardToMerge(id(3)).adjacentShardToMerge(id(1)));
    Shard empty = shard(shards("children"), 3);
    assertThat(empty.sequenceNumberRange().endingSequenceNumber()).isEqualTo(empty.sequenceNumberRange().startingSequenceNumber());
    GetRecordsResponse merged = kinesis().getRecords(b -> b.shardIterator(iterator("children", id(3))));
    assertThat(merged.records()).isEmpty();
    assertThat(merged.nextShardIterator()).isNull();
    assertThat(merged.childShards()).singleElement().satisfies(c -> {
      assertThat(c.shardId()).isEqualTo(id(4));
      assertThat(c.parentShards()).containsExactly(id(3), id(1));
      assertThat(c.hashKeyRange().startingHashKey()).isEqualTo("1000");
      assertThat(c.hashKeyRange().endingHashKey()).isEqualTo(MAX.toString());
    });
    // LATEST of a closed shard is its end.
    String latest = kinesis().getShardIterator(b -> b.streamName("children").shardId(id(0))
        .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
    assertThat(kinesis().getRecords(b -> b.shardIterator(latest)).childShards()).hasSize(2);
  }

  @Test
  void listShardsFiltersSeeClosedShards() {
    Instant created = server.clock().instant();
    kinesis().createStream(b -> b.streamName("filters").shardCount(1));
    server.advance(Duration.ofMinutes(1));
    Instant split = server.clock().instant();
    kinesis().splitShard(b -> b.streamName("filters").shardToSplit(id(0)).newStartingHashKey(HALF.toString()));
    server.advance(Duration.ofMinutes(1));

    assertThat(filtered(f -> f.type(ShardFilterType.AT_LATEST))).containsExactly(id(1), id(2));
    assertThat(filtered(f -> f.type(ShardFilterType.AT_TRIM_HORIZON))).containsExactly(id(0));
    assertThat(filtered(f -> f.type(ShardFilterType.FROM_TRIM_HORIZON))).containsExactly(id(0), id(1), id(2));
    assertThat(filtered(f -> f.type(ShardFilterType.AFTER_SHARD_ID).shardId(id(0)))).containsExactly(id(1), id(2));
    assertThat(filtered(f -> f.type(ShardFilterType.AT_TIMESTAMP).timestamp(created))).containsExactly(id(0));
    assertThat(filtered(f -> f.type(ShardFilterType.AT_TIMESTAMP).timestamp(split.plusSeconds(1)))).containsExactly(id(1), id(2));
    assertThat(filtered(f -> f.type(ShardFilterType.FROM_TIMESTAMP).timestamp(split.minusSeconds(1))))
        .containsExactly(id(0), id(1), id(2));
    assertThat(filtered(f -> f.type(ShardFilterType.FROM_TIMESTAMP).timestamp(split.plusSeconds(1)))).containsExactly(id(1), id(2));
    StreamDescription d = kinesis().describeStream(b -> b.streamName("filters").limit(1)).streamDescription();
    assertThat(d.shards()).extracting(Shard::shardId).containsExactly(id(0));
    assertThat(d.hasMoreShards()).isTrue();
  }

  private static List<String> filtered(Consumer<software.amazon.awssdk.services.kinesis.model.ShardFilter.Builder> filter) {
    return kinesis().listShards(ListShardsRequest.builder().streamName("filters").shardFilter(filter).build()).shards().stream()
        .map(Shard::shardId).toList();
  }

  @Test
  void closedShardsAreReadableUntilTheirRecordsPassRetentionThenGone() {
    kinesis().createStream(b -> b.streamName("expiry").shardCount(1));
    put("expiry", BigInteger.ONE, "old");
    kinesis().splitShard(b -> b.streamName("expiry").shardToSplit(id(0)).newStartingHashKey(HALF.toString()));
    server.advance(Duration.ofHours(23));
    assertThat(kinesis().getRecords(b -> b.shardIterator(iterator("expiry", id(0)))).records())
        .extracting(r -> r.data().asUtf8String()).containsExactly("old");
    assertThat(shards("expiry")).extracting(Shard::shardId).containsExactly(id(0), id(1), id(2));

    server.advance(Duration.ofHours(1));
    assertThat(shards("expiry")).extracting(Shard::shardId).containsExactly(id(1), id(2));
    StreamDescription d = kinesis().describeStream(b -> b.streamName("expiry")).streamDescription();
    assertThat(d.shards()).extracting(Shard::shardId).containsExactly(id(1), id(2));
    assertThat(d.shards()).extracting(Shard::parentShardId).containsExactly(id(0), id(0));
    assertError(() -> iterator("expiry", id(0)), ResourceNotFoundException.class,
        "Shard " + id(0) + " in stream expiry under account " + ACCOUNT + " does not exist");
    assertError(() -> kinesis().mergeShards(b -> b.streamName("expiry").shardToMerge(id(0)).adjacentShardToMerge(id(1))),
        ResourceNotFoundException.class, "Could not find shard " + id(0) + " in stream expiry under account " + ACCOUNT + ".");
    // The children go on as before; a new reshard numbers its shards after every shard the stream ever had.
    kinesis().splitShard(b -> b.streamName("expiry").shardToSplit(id(1)).newStartingHashKey("1000"));
    assertThat(shards("expiry")).extracting(Shard::shardId).containsExactly(id(1), id(2), id(3), id(4));
  }

  @Test
  void withoutTheLimitsAShardTakesMoreThanItsSecondsWorth() {
    kinesis().createStream(b -> b.streamName("unlimited").shardCount(1));
    for (int batch = 0; batch < 3; batch++) {
      List<software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        entries.add(software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry.builder().partitionKey("k" + i)
            .data(bytes("r")).build());
      }
      assertThat(kinesis().putRecords(b -> b.streamName("unlimited").records(entries)).failedRecordCount()).isZero();
    }
    String it = iterator("unlimited", id(0));
    for (int i = 0; i < 10; i++) assertThat(kinesis().getRecords(b -> b.shardIterator(it).limit(1)).records()).hasSize(1);
  }

  private static List<String> openRanges(List<Shard> shards) {
    List<Shard> open = new ArrayList<>(shards.stream().filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null).toList());
    open.sort((a, b) -> new BigInteger(a.hashKeyRange().startingHashKey()).compareTo(new BigInteger(b.hashKeyRange().startingHashKey())));
    return open.stream().map(s -> s.hashKeyRange().startingHashKey() + "-" + s.hashKeyRange().endingHashKey()).toList();
  }

  /** The even split AWS gives a stream created with n shards. */
  private static List<String> uniform(int n) {
    BigInteger width = BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(n));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BigInteger start = width.multiply(BigInteger.valueOf(i));
      BigInteger end = i == n - 1 ? MAX : width.multiply(BigInteger.valueOf(i + 1)).subtract(BigInteger.ONE);
      out.add(start + "-" + end);
    }
    return out;
  }

  private static String shardHolding(List<Shard> shards, BigInteger key) {
    return shards.stream().filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
        .filter(s -> key.compareTo(new BigInteger(s.hashKeyRange().startingHashKey())) >= 0
            && key.compareTo(new BigInteger(s.hashKeyRange().endingHashKey())) <= 0)
        .map(Shard::shardId).findFirst().orElseThrow();
  }
}
