package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.gateway.http.SubscribeToShardRoute;
import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEventStream;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardRequest;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

/**
 * SubscribeToShard (enhanced fan-out) with the SDK v2's async client (Netty, HTTP/2 with prior
 * knowledge over http://), over CBOR (its default) and JSON.
 */
class KinesisFanOutTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();
  private static final String SHARD = "shardId-000000000000";
  private static KinesisAsyncClient json;

  @AfterAll
  static synchronized void closeJson() {
    if (json != null) json.close();
  }

  private static KinesisClient kinesis() {
    return server.kinesis();
  }

  private static KinesisAsyncClient async(boolean cbor) {
    if (cbor) return server.kinesisAsync();
    synchronized (KinesisFanOutTest.class) {
      if (json == null) json = EmbeddedServer.kinesisAsyncClient(server.endpoint(), false);
      return json;
    }
  }

  /** What one subscription saw: the order of the initial response and events, the events, how it ended. */
  static final class Seen implements Subscriber<SubscribeToShardEventStream> {
    final List<String> order = new CopyOnWriteArrayList<>();
    final List<SubscribeToShardEvent> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();
    final CompletableFuture<Void> completed = new CompletableFuture<>();
    volatile Subscription subscription;
    CompletableFuture<Void> call;

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(SubscribeToShardEventStream event) {
      if (event instanceof SubscribeToShardEvent e) {
        order.add("event");
        events.add(e);
      }
    }

    @Override
    public void onError(Throwable t) {
      error.complete(t);
    }

    @Override
    public void onComplete() {
      completed.complete(null);
    }

    List<Record> records() {
      List<Record> out = new ArrayList<>();
      for (SubscribeToShardEvent e : events) out.addAll(e.records());
      return out;
    }

    void cancel() {
      subscription.cancel();
    }
  }

  private static Seen subscribe(KinesisAsyncClient client, SubscribeToShardRequest request) {
    Seen seen = new Seen();
    SubscribeToShardResponseHandler handler = SubscribeToShardResponseHandler.builder()
        .onResponse(r -> seen.order.add("initial-response"))
        .onEventStream(publisher -> publisher.subscribe(seen))
        .onError(seen.error::complete)
        .build();
    seen.call = client.subscribeToShard(request, handler);
    return seen;
  }

  private static Seen subscribe(KinesisAsyncClient client, String consumerArn, ShardIteratorType type, String sequence) {
    return subscribe(client, SubscribeToShardRequest.builder().consumerARN(consumerArn).shardId(SHARD)
        .startingPosition(p -> p.type(type).sequenceNumber(sequence)).build());
  }

  private static String streamWithConsumer(String stream, String consumer) {
    kinesis().createStream(b -> b.streamName(stream).shardCount(1));
    String arn = kinesis().describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamARN();
    return kinesis().registerStreamConsumer(b -> b.streamARN(arn).consumerName(consumer)).consumer().consumerARN();
  }

  private static PutRecordResponse put(String stream, String data) {
    return kinesis().putRecord(b -> b.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String(data)));
  }

  private static Throwable cause(Throwable t) {
    return t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void recordsPutBeforeAndAfterSubscribingArriveInOrder(boolean cbor) throws Exception {
    String stream = "fan-" + cbor;
    String consumer = streamWithConsumer(stream, "reader");
    List<PutRecordResponse> puts = new ArrayList<>();
    Instant before = server.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    for (int i = 0; i < 3; i++) puts.add(put(stream, "before-" + i));
    Seen seen = subscribe(async(cbor), consumer, ShardIteratorType.TRIM_HORIZON, null);
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.records().size() >= 3);
    server.advance(Duration.ofMillis(1500));
    Instant after = server.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    for (int i = 0; i < 3; i++) puts.add(put(stream, "after-" + i));
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.records().size() >= 6);

    List<Record> records = seen.records();
    assertThat(records).extracting(r -> r.data().asUtf8String())
        .containsExactly("before-0", "before-1", "before-2", "after-0", "after-1", "after-2");
    assertThat(records).extracting(Record::sequenceNumber).containsExactlyElementsOf(puts.stream().map(PutRecordResponse::sequenceNumber).toList());
    assertThat(records).extracting(Record::partitionKey).containsOnly("k");
    assertThat(records.subList(0, 3)).extracting(Record::approximateArrivalTimestamp).containsOnly(before);
    assertThat(records.subList(3, 6)).extracting(Record::approximateArrivalTimestamp).containsOnly(after);
    // The initial response comes before any event; each event names where to go on from.
    assertThat(seen.order.get(0)).isEqualTo("initial-response");
    SubscribeToShardEvent last = seen.events.get(seen.events.size() - 1);
    assertThat(last.continuationSequenceNumber()).isEqualTo(puts.get(5).sequenceNumber());
    assertThat(last.millisBehindLatest()).isZero();
    assertThat(seen.error).isNotDone();
    seen.cancel();
  }

  @Test
  void anEventComesWithoutRecordsWhenNoneArrive() {
    String consumer = streamWithConsumer("quiet", "reader");
    Seen seen = subscribe(async(true), consumer, ShardIteratorType.LATEST, null);
    await().atMost(Duration.ofSeconds(20)).until(() -> !seen.events.isEmpty());
    SubscribeToShardEvent e = seen.events.get(0);
    assertThat(e.records()).isEmpty();
    assertThat(e.continuationSequenceNumber()).isNotNull();
    assertThat(e.millisBehindLatest()).isZero();
    seen.cancel();
  }

  @Test
  void continuationSequenceNumberResumes() {
    String stream = "resume";
    String consumer = streamWithConsumer(stream, "reader");
    put(stream, "one");
    put(stream, "two");
    Seen first = subscribe(async(true), consumer, ShardIteratorType.TRIM_HORIZON, null);
    await().atMost(Duration.ofSeconds(20)).until(() -> first.records().size() >= 2);
    String continuation = first.events.get(first.events.size() - 1).continuationSequenceNumber();
    first.cancel();
    put(stream, "three");
    server.advance(Duration.ofSeconds(5));
    Seen second = subscribe(async(false), consumer, ShardIteratorType.AFTER_SEQUENCE_NUMBER, continuation);
    await().atMost(Duration.ofSeconds(20)).until(() -> !second.records().isEmpty());
    assertThat(second.records()).extracting(r -> r.data().asUtf8String()).containsExactly("three");
    second.cancel();
    server.advance(Duration.ofSeconds(5));
    Seen third = subscribe(async(true), consumer, ShardIteratorType.AT_SEQUENCE_NUMBER, continuation);
    await().atMost(Duration.ofSeconds(20)).until(() -> third.records().size() >= 2);
    assertThat(third.records()).extracting(r -> r.data().asUtf8String()).containsExactly("two", "three");
    third.cancel();
  }

  @Test
  void twoConsumersBothGetEveryRecord() {
    String stream = "two-readers";
    String a = streamWithConsumer(stream, "a");
    String streamArn = kinesis().describeStreamSummary(x -> x.streamName(stream)).streamDescriptionSummary().streamARN();
    String b = kinesis().registerStreamConsumer(x -> x.streamARN(streamArn).consumerName("b")).consumer().consumerARN();
    Seen seenA = subscribe(async(true), a, ShardIteratorType.LATEST, null);
    Seen seenB = subscribe(async(false), b, ShardIteratorType.LATEST, null);
    await().atMost(Duration.ofSeconds(20)).until(() -> seenA.order.contains("initial-response")
        && seenB.order.contains("initial-response"));
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add("r" + i);
      put(stream, "r" + i);
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> seenA.records().size() >= 10 && seenB.records().size() >= 10);
    assertThat(seenA.records()).extracting(r -> r.data().asUtf8String()).containsExactlyElementsOf(sent);
    assertThat(seenB.records()).extracting(r -> r.data().asUtf8String()).containsExactlyElementsOf(sent);
    seenA.cancel();
    seenB.cancel();
  }

  @Test
  void aSecondSubscriptionOfTheSameConsumerAndShardWithinFiveSecondsIsRefused() {
    String consumer = streamWithConsumer("twice", "reader");
    Seen first = subscribe(async(true), consumer, ShardIteratorType.LATEST, null);
    await().atMost(Duration.ofSeconds(20)).until(() -> first.order.contains("initial-response"));
    Seen second = subscribe(async(true), consumer, ShardIteratorType.LATEST, null);
    assertThatThrownBy(() -> second.call.get(20, TimeUnit.SECONDS)).satisfies(e -> assertThat(cause(e))
        .isInstanceOf(ResourceInUseException.class)
        .hasMessageContaining("Another active subscription exists for this consumer"));
    server.advance(Duration.ofSeconds(5));
    Seen third = subscribe(async(false), consumer, ShardIteratorType.LATEST, null);
    await().atMost(Duration.ofSeconds(20)).until(() -> third.order.contains("initial-response"));
    // The newer subscription took over: the first one ends.
    await().atMost(Duration.ofSeconds(20)).until(() -> first.completed.isDone() || first.call.isDone());
    third.cancel();
  }

  @Test
  void deregisteringTheConsumerEndsTheStreamWithResourceNotFound() {
    String stream = "deregistered";
    String consumer = streamWithConsumer(stream, "reader");
    Seen seen = subscribe(async(true), consumer, ShardIteratorType.LATEST, null);
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.order.contains("initial-response"));
    kinesis().deregisterStreamConsumer(b -> b.consumerARN(consumer));
    Throwable error = seen.error.orTimeout(20, TimeUnit.SECONDS).join();
    assertThat(cause(error)).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void theSubscriptionEndsAfterFiveMinutes() {
    String consumer = streamWithConsumer("five-minutes", "reader");
    Seen seen = subscribe(async(true), consumer, ShardIteratorType.LATEST, null);
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.order.contains("initial-response"));
    server.advance(Duration.ofMinutes(5));
    seen.call.orTimeout(20, TimeUnit.SECONDS).join();
    assertThat(seen.error).isNotDone();
  }

  @Test
  void cancellingTheSubscriptionStopsTheGatewaysPulling() {
    String consumer = streamWithConsumer("cancelled", "reader");
    Seen seen = subscribe(async(true), consumer, ShardIteratorType.LATEST, null);
    await().atMost(Duration.ofSeconds(20)).until(() -> seen.order.contains("initial-response"));
    await().atMost(Duration.ofSeconds(20)).until(() -> SubscribeToShardRoute.open() >= 1);
    seen.cancel();
    await().atMost(Duration.ofSeconds(20)).until(() -> SubscribeToShardRoute.open() == 0);
    long pulls = SubscribeToShardRoute.pullsStarted();
    // A pull in flight when the client left ends at its wait (5 s); none starts after it.
    await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(9))
        .until(() -> SubscribeToShardRoute.pullsStarted() == pulls);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void badSubscriptionsAreAnsweredAsErrors(boolean cbor) {
    String consumer = streamWithConsumer("bad-subscriptions-" + cbor, "reader");
    KinesisAsyncClient client = async(cbor);
    assertThatThrownBy(() -> subscribe(client, consumer.replace(":reader:", ":nobody:").replace("/reader:", "/nobody:"),
        ShardIteratorType.LATEST, null).call.get(20, TimeUnit.SECONDS))
        .satisfies(e -> assertThat(cause(e)).isInstanceOf(ResourceNotFoundException.class));
    assertThatThrownBy(() -> subscribe(client, SubscribeToShardRequest.builder().consumerARN(consumer)
        .shardId("shardId-000000000009").startingPosition(p -> p.type(ShardIteratorType.LATEST)).build())
        .call.get(20, TimeUnit.SECONDS))
        .satisfies(e -> assertThat(cause(e)).isInstanceOf(ResourceNotFoundException.class));
    assertThatThrownBy(() -> subscribe(client, consumer, ShardIteratorType.AT_SEQUENCE_NUMBER, null)
        .call.get(20, TimeUnit.SECONDS))
        .satisfies(e -> assertThat(cause(e)).isInstanceOf(InvalidArgumentException.class));
    assertThatThrownBy(() -> subscribe(client, consumer, ShardIteratorType.AT_SEQUENCE_NUMBER, "12345")
        .call.get(20, TimeUnit.SECONDS))
        .satisfies(e -> assertThat(cause(e)).isInstanceOf(InvalidArgumentException.class));
    assertThatThrownBy(() -> subscribe(client, SubscribeToShardRequest.builder().consumerARN(consumer).shardId(SHARD)
        .startingPosition(p -> p.type(ShardIteratorType.AT_TIMESTAMP)).build()).call.get(20, TimeUnit.SECONDS))
        .satisfies(e -> assertThat(cause(e)).isInstanceOf(InvalidArgumentException.class));
  }
}
