package io.eventplane.kinesis.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.ShardSubscriptions;
import io.eventplane.kinesis.domain.Consumer;
import io.eventplane.kinesis.domain.ConsumerErrors;
import io.eventplane.kinesis.domain.Consumers;
import io.eventplane.kinesis.domain.KinesisErrors;
import io.eventplane.kinesis.domain.SequenceNumbers;
import io.eventplane.kinesis.domain.Shard;
import io.eventplane.kinesis.domain.Stream;
import io.eventplane.kinesis.domain.ShardTail;
import io.eventplane.kinesis.domain.Streams;
import io.eventplane.kinesis.store.StoredRecord;
import io.eventplane.kinesis.store.StreamStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/**
 * SubscribeToShard (enhanced fan-out), the service's half. {@code SubscribeToShard} checks the call
 * and opens the subscription (answering where it starts, as {@value #POSITION}); then the gateway,
 * which streams the events to the client, pulls them one by one with {@value #EVENTS}: a bounded
 * long poll that answers as soon as the shard has records past the position, or with none after
 * the pull's {@code WaitMillis} (AWS's heartbeat event), and ends the subscription after
 * {@link #SUBSCRIPTION_MILLIS} on the service clock, when a newer subscription of the consumer's
 * shard took over, or at the end of a closed shard (with its ChildShards). Every pull names its
 * position, so a pull that reaches a new owner of the partition (failover) goes on where the last
 * one left off. The wait watches the shard's next position in memory, on the lane, and reads the
 * store only once there is something to read.
 */
final class FanOut {
  static final String EVENTS = ShardSubscriptions.EVENTS;
  static final String POSITION = ShardSubscriptions.POSITION;
  static final String SUBSCRIBED = ShardSubscriptions.SUBSCRIBED;
  static final String END = ShardSubscriptions.END;
  /** How long a subscription lasts (AWS: 5 minutes), and how soon a second one of a consumer's shard is refused (5 s). */
  static final long SUBSCRIPTION_MILLIS = 300_000;
  static final long RESUBSCRIBE_MILLIS = 5_000;
  static final long MAX_WAIT_MILLIS = 10_000;
  /** How often a waiting pull looks at the shard's next position. */
  static final long WATCH_MILLIS = 20;
  static final int EVENT_RECORDS = 10_000;
  static final long EVENT_BYTES = 2 * 1024 * 1024;

  private final Streams streams;
  private final Consumers consumers;
  private final Clock clock;

  FanOut(Streams streams, Consumers consumers, Clock clock) {
    this.streams = streams;
    this.consumers = consumers;
    this.clock = clock;
  }

  /** A consumer ARN, checked, to the consumer it names on this lane (or ResourceNotFoundException). */
  private Consumer consumer(String arn) {
    Consumer.ConsumerArn parsed = Consumer.ConsumerArn.parse(arn);
    if (parsed == null) throw KinesisErrors.invalidArgument("Invalid ConsumerARN " + arn + ".");
    Streams.Live live = streams.get(parsed.stream());
    Consumer c = live == null ? null : consumers.get(live.stream(), parsed.name());
    if (c == null || !c.is(parsed)) throw ConsumerErrors.notFound(arn, parsed.stream());
    return c;
  }

  private Shard shard(Stream s, String shardId) {
    int index = Shard.indexOf(shardId);
    Shard shard = index < 0 ? null : s.shard(index);
    if (shard == null) throw KinesisErrors.shardNotFound(s.ref(), shardId);
    return shard;
  }

  Future<JsonObject> subscribe(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    String arn = in.string("ConsumerARN");
    String shardId = in.string("ShardId");
    JsonObject start = in.object("StartingPosition");
    in.required(arn, "consumerARN");
    in.length(arn, "consumerARN", 1, 2048);
    in.pattern(arn, "consumerARN", Inputs.CONSUMER_ARN_PATTERN);
    in.required(shardId, "shardId");
    in.length(shardId, "shardId", 1, 128);
    in.pattern(shardId, "shardId", Inputs.NAME_PATTERN);
    in.required(start, "startingPosition");
    Inputs position = new Inputs(start == null ? new JsonObject() : start);
    String type = position.string("Type");
    String seq = position.string("SequenceNumber");
    Long timestamp = position.timestamp("Timestamp");
    if (start != null) {
      in.required(type, "startingPosition.type");
      in.oneOf(type, "startingPosition.type", RecordOperations.ITERATOR_TYPES);
      in.pattern(seq, "startingPosition.sequenceNumber", Inputs.SEQUENCE_PATTERN);
    }
    in.check();
    Consumer c = consumer(arn);
    Streams.Live live = streams.require(c.stream());
    Stream s = live.stream();
    Shard shard = shard(s, shardId);
    long now = clock.millis();
    boolean bySequence = type.equals("AT_SEQUENCE_NUMBER") || type.equals("AFTER_SEQUENCE_NUMBER");
    if (bySequence && seq == null) {
      throw KinesisErrors.invalidArgument("StartingPosition.SequenceNumber is required for StartingPosition.Type " + type + ".");
    }
    if (type.equals("AT_TIMESTAMP") && timestamp == null) {
      throw KinesisErrors.invalidArgument("StartingPosition.Timestamp is required for StartingPosition.Type AT_TIMESTAMP.");
    }
    if (type.equals("AT_TIMESTAMP") && timestamp > now) {
      throw KinesisErrors.invalidArgument("The timestampInMillis parameter cannot be greater than the "
          + "currentTimestampInMillis. timestampInMillis: " + timestamp + ", currentTimestampInMillis: " + now);
    }
    long end = shard.open() ? live.next(shard.index()) : shard.endingPosition() + 1;
    Future<Long> from = switch (type) {
      case "TRIM_HORIZON" -> Future.succeededFuture(shard.startingPosition());
      case "LATEST" -> Future.succeededFuture(end);
      case "AT_TIMESTAMP" -> streams.blocking(() -> streams.store().firstAtOrAfter(s.ref().partition(), s.id(),
          shard.index(), timestamp)).map(p -> p < 0 ? Math.max(end, live.next(shard.index())) : p);
      default -> {
        SequenceNumbers.Position p = SequenceNumbers.parse(seq);
        if (p == null || p.streamId() != s.id() || p.shard() != shard.index()) {
          throw KinesisErrors.invalidArgument("StartingSequenceNumber " + seq + " used in SubscribeToShard on shard "
              + shardId + " in stream " + s.ref().name() + " under account " + s.ref().account() + " is invalid.");
        }
        yield Future.succeededFuture(type.equals("AT_SEQUENCE_NUMBER") ? p.position() : p.position() + 1);
      }
    };
    return from.map(p -> {
      // Checked and taken after any wait, so that two calls racing on this lane cannot both pass.
      Long last = consumers.subscribed(c, shard.index());
      long at = clock.millis();
      if (last != null && at - last < RESUBSCRIBE_MILLIS) throw ConsumerErrors.subscribed(c, shardId);
      consumers.subscribe(c, shard.index(), at);
      return new JsonObject().put(POSITION, p).put(SUBSCRIBED, at);
    });
  }

  Future<JsonObject> events(ApiRequest request) {
    JsonObject in = request.input();
    Consumer c = consumer(in.getString("ConsumerARN"));
    long position = in.getLong("Position");
    long subscribed = in.getLong("Subscribed");
    long wait = Math.max(0, Math.min(in.getLong(ShardSubscriptions.WAIT, 0L), MAX_WAIT_MILLIS));
    Streams.Live live = streams.require(c.stream());
    Shard shard = shard(live.stream(), in.getString("ShardId"));
    Long current = consumers.subscribed(c, shard.index());
    // A new owner of the partition knows no subscription: the one that reached it is the current one.
    if (current == null) consumers.subscribe(c, shard.index(), subscribed);
    else if (current != subscribed) return Future.succeededFuture(new JsonObject().put(END, true));
    if (clock.millis() - subscribed >= SUBSCRIPTION_MILLIS) return Future.succeededFuture(new JsonObject().put(END, true));
    Promise<Void> ready = Promise.promise();
    watch(c, shard.index(), position, subscribed, System.nanoTime() + wait * 1_000_000, ready);
    return ready.future().compose(v -> clock.millis() - subscribed >= SUBSCRIPTION_MILLIS
        ? Future.succeededFuture(new JsonObject().put(END, true))
        : read(c, shard.index(), position));
  }

  /**
   * Completes {@code ready} once the shard has a record at or past {@code position} or is closed,
   * the consumer or its stream is gone, the subscription is over, or the wait is.
   */
  private void watch(Consumer c, int shard, long position, long subscribed, long deadline, Promise<Void> ready) {
    Streams.Live live = streams.get(c.stream());
    Shard s = live == null ? null : live.stream().shard(shard);
    if (s == null || live.stream().id() != c.streamId() || consumers.get(live.stream(), c.name()) == null || !s.open()
        || live.tail(shard).visible() > position || clock.millis() - subscribed >= SUBSCRIPTION_MILLIS
        || System.nanoTime() >= deadline) {
      ready.tryComplete();
      return;
    }
    streams.context().owner().setTimer(WATCH_MILLIS, t -> watch(c, shard, position, subscribed, deadline, ready));
  }

  /** One SubscribeToShardEvent from {@code position} on (with the position after it, and whether the shard ended). */
  private Future<JsonObject> read(Consumer c, int index, long position) {
    Streams.Live live = streams.get(c.stream());
    if (live == null || live.stream().id() != c.streamId() || consumers.get(live.stream(), c.name()) == null) {
      return Future.failedFuture(ConsumerErrors.notFound(c.arn(), c.stream()));
    }
    Stream s = live.stream();
    Shard shard = s.shard(index);
    if (shard == null) return Future.failedFuture(KinesisErrors.shardNotFound(s.ref(), Shard.id(index)));
    long now = clock.millis();
    int partition = s.ref().partition();
    StreamStore store = streams.store();
    long cutoff = now - s.retentionMillis();
    // Only what is durable is read (the tail's visible frontier), from memory when the tail holds it.
    ShardTail tail = live.tail(index);
    long until = tail.visible();
    ShardTail.Page cached = tail.read(position, EVENT_RECORDS, EVENT_BYTES, cutoff);
    Future<ShardTail.Page> pageRead = cached != null ? Future.succeededFuture(cached) : streams.blocking(() -> {
      StreamStore.Page p = store.read(partition, s.id(), index, position, until, EVENT_RECORDS, EVENT_BYTES, cutoff);
      return new ShardTail.Page(p.records(), p.more());
    });
    return pageRead.map(page -> {
          JsonArray records = new JsonArray();
          long next = position;
          for (StoredRecord r : page.records()) {
            records.add(RecordOperations.record(s, index, r));
            next = r.position() + 1;
          }
          long behind = page.more() ? Math.max(0, now - page.records().get(page.records().size() - 1).arrivalMillis()) : 0;
          streams.metrics().consumerBehind(c, index, behind);
          JsonObject event = new JsonObject().put("Records", records).put("MillisBehindLatest", behind).put(POSITION, next);
          if (!shard.open() && !page.more() && next > shard.endingPosition()) {
            return event.put("ChildShards", RecordOperations.children(s, shard)).put(END, true);
          }
          // The last record read, or (nothing read yet) the one before the position, or the shard's start.
          long last = Math.max(shard.startingPosition(), next - 1);
          return event.put("ContinuationSequenceNumber", SequenceNumbers.of(s.id(), index, last));
        });
  }
}
