package io.eventplane.kinesis.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.store.Batch;
import io.eventplane.kinesis.domain.Consumer;
import io.eventplane.kinesis.domain.ConsumerErrors;
import io.eventplane.kinesis.domain.Consumers;
import io.eventplane.kinesis.domain.KinesisErrors;
import io.eventplane.kinesis.domain.Stream;
import io.eventplane.kinesis.domain.StreamRef;
import io.eventplane.kinesis.domain.Streams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;

/**
 * Enhanced fan-out consumers: Register/Describe/List/DeregisterStreamConsumer, the consumers' part
 * of DeleteStream (EnforceConsumerDeletion) and DescribeStreamSummary (ConsumerCount). A consumer is
 * written with its stream's partition and answered once durable; it is ACTIVE as soon as it is
 * (RegisterStreamConsumer answers CREATING, as AWS does, and every later call sees ACTIVE), and gone
 * as soon as it is deregistered.
 */
final class ConsumerOperations {
  static final int DEFAULT_LIST = 100;
  /** How long a ListStreamConsumers NextToken stays valid (AWS: 300 s). */
  static final long TOKEN_MILLIS = 300_000;

  private final Streams streams;
  private final Consumers consumers;
  private final Clock clock;

  ConsumerOperations(Streams streams, Consumers consumers, Clock clock) {
    this.streams = streams;
    this.consumers = consumers;
    this.clock = clock;
  }

  /** A StreamARN member, required and checked (collects its violations into {@code in}); null when absent. */
  private static StreamRef streamArn(Inputs in, boolean required) {
    String arn = in.string("StreamARN");
    if (required) in.required(arn, "streamARN");
    in.length(arn, "streamARN", 1, 2048);
    in.pattern(arn, "streamARN", Inputs.ARN_PATTERN);
    return arn == null ? null : StreamRef.fromArn(arn);
  }

  private static void consumerName(Inputs in, String name, boolean required) {
    if (required) in.required(name, "consumerName");
    in.length(name, "consumerName", 1, 128);
    in.pattern(name, "consumerName", Inputs.NAME_PATTERN);
  }

  private static void consumerArn(Inputs in, String arn) {
    in.length(arn, "consumerARN", 1, 2048);
    in.pattern(arn, "consumerARN", Inputs.CONSUMER_ARN_PATTERN);
  }

  private Stream stream(StreamRef ref, String arn) {
    if (ref == null) throw KinesisErrors.invalidArgument("Invalid StreamARN " + arn + ".");
    return streams.require(ref).stream();
  }

  static JsonObject consumer(Consumer c, String status) {
    return new JsonObject().put("ConsumerName", c.name()).put("ConsumerARN", c.arn()).put("ConsumerStatus", status)
        .put("ConsumerCreationTimestamp", Wire.seconds(c.createdMillis()));
  }

  Future<JsonObject> register(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = streamArn(in, true);
    String name = in.string("ConsumerName");
    consumerName(in, name, true);
    TagOperations.tagMap(in.object("Tags"), in);
    in.check();
    Stream s = stream(ref, in.string("StreamARN"));
    Consumer existing = consumers.get(s, name);
    if (existing != null) throw ConsumerErrors.exists(existing);
    if (consumers.of(s).size() >= ConsumerErrors.CONSUMERS_PER_STREAM) throw ConsumerErrors.limit(ref);
    Consumer c = new Consumer(ref, s.id(), name, clock.millis());
    Batch b = streams.store().batch();
    consumers.add(b, c, s);
    return streams.commit(ref.partition(), b).map(v -> new JsonObject().put("Consumer", consumer(c, "CREATING")));
  }

  /** The consumer a request names by ConsumerARN, or by StreamARN and ConsumerName. */
  private Consumer named(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = streamArn(in, false);
    String name = in.string("ConsumerName");
    String arn = in.string("ConsumerARN");
    consumerName(in, name, false);
    consumerArn(in, arn);
    in.check();
    if (arn != null) {
      Consumer.ConsumerArn parsed = Consumer.ConsumerArn.parse(arn);
      if (parsed == null) throw KinesisErrors.invalidArgument("Invalid ConsumerARN " + arn + ".");
      if (ref != null && !ref.equals(parsed.stream()) || name != null && !name.equals(parsed.name())) {
        throw KinesisErrors.invalidArgument("ConsumerARN " + arn + " does not name the consumer that StreamARN and "
            + "ConsumerName name.");
      }
      Streams.Live live = streams.get(parsed.stream());
      Consumer c = live == null ? null : consumers.get(live.stream(), parsed.name());
      if (c == null || !c.is(parsed)) throw ConsumerErrors.notFound(arn, parsed.stream());
      return c;
    }
    if (ref == null || name == null) {
      throw KinesisErrors.invalidArgument("Either ConsumerARN or both StreamARN and ConsumerName must be provided.");
    }
    Stream s = stream(ref, in.string("StreamARN"));
    Consumer c = consumers.get(s, name);
    if (c == null) throw ConsumerErrors.notFound(name, ref);
    return c;
  }

  Future<JsonObject> describe(ApiRequest request) {
    Consumer c = named(request);
    return Future.succeededFuture(new JsonObject().put("ConsumerDescription",
        consumer(c, "ACTIVE").put("StreamARN", c.stream().arn())));
  }

  Future<JsonObject> deregister(ApiRequest request) {
    Consumer c = named(request);
    Stream s = streams.require(c.stream()).stream();
    Batch b = streams.store().batch();
    consumers.remove(b, c, s);
    return streams.commit(c.stream().partition(), b).map(v -> new JsonObject());
  }

  Future<JsonObject> list(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = streamArn(in, true);
    Integer max = in.integer("MaxResults");
    String token = in.string("NextToken");
    Long created = in.timestamp("StreamCreationTimestamp");
    in.range(max, "maxResults", 1, 10000);
    in.length(token, "nextToken", 1, 1048576);
    in.check();
    String after = "";
    if (token != null) {
      if (created != null) {
        throw KinesisErrors.invalidArgument("NextToken and StreamCreationTimestamp cannot be provided together.");
      }
      List<String> parts = Wire.untoken(token, 4);
      if (parts == null || !parts.get(0).equals(request.input().getString("StreamARN")) || !parts.get(3).matches("\\d{1,18}")) {
        throw KinesisErrors.invalidArgument("Invalid NextToken.");
      }
      if (clock.millis() - Long.parseLong(parts.get(3)) > TOKEN_MILLIS) throw ConsumerErrors.expiredToken();
      after = parts.get(2);
    }
    Stream s = stream(ref, in.string("StreamARN"));
    if (token != null && !Wire.untoken(token, 4).get(1).equals(Long.toString(s.id()))) {
      throw KinesisErrors.invalidArgument("Invalid NextToken.");
    }
    if (created != null && created / 1000 != s.createdMillis() / 1000) throw KinesisErrors.notFound(ref);
    int limit = Math.min(max == null ? DEFAULT_LIST : max, DEFAULT_LIST);
    JsonArray out = new JsonArray();
    boolean more = false;
    for (Consumer c : consumers.of(s)) {
      if (c.name().compareTo(after) <= 0) continue;
      if (out.size() == limit) {
        more = true;
        break;
      }
      out.add(consumer(c, "ACTIVE"));
    }
    JsonObject answer = new JsonObject().put("Consumers", out);
    if (more) {
      String last = out.getJsonObject(out.size() - 1).getString("ConsumerName");
      answer.put("NextToken", Wire.token(request.input().getString("StreamARN"), Long.toString(s.id()), last,
          Long.toString(clock.millis())));
    }
    return Future.succeededFuture(answer);
  }

  /**
   * Before DeleteStream: a stream with consumers is deleted only with EnforceConsumerDeletion, and
   * then its consumers go first (so that none outlives it). Input errors are left to DeleteStream.
   */
  Future<Void> beforeDelete(ApiRequest request) {
    StreamRef ref;
    Boolean enforce;
    try {
      Inputs in = new Inputs(request.input());
      ref = in.stream(request);
      enforce = in.bool("EnforceConsumerDeletion");
    } catch (RuntimeException e) {
      return Future.succeededFuture();
    }
    Streams.Live live = streams.get(ref);
    if (live == null || consumers.of(live.stream()).isEmpty()) return Future.succeededFuture();
    if (!Boolean.TRUE.equals(enforce)) throw ConsumerErrors.hasConsumers(ref);
    Batch b = streams.store().batch();
    consumers.removeAll(b, live.stream());
    return streams.commit(ref.partition(), b);
  }

  /** DescribeStreamSummary's ConsumerCount, counted here. */
  JsonObject withCount(JsonObject summary) {
    JsonObject d = summary.getJsonObject("StreamDescriptionSummary");
    StreamRef ref = StreamRef.fromArn(d.getString("StreamARN"));
    Streams.Live live = ref == null ? null : streams.get(ref);
    if (live != null) d.put("ConsumerCount", consumers.of(live.stream()).size());
    return summary;
  }
}
