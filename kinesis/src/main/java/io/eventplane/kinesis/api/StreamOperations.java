package io.eventplane.kinesis.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.kinesis.domain.KinesisErrors;
import io.eventplane.kinesis.domain.Reshards;
import io.eventplane.kinesis.domain.SequenceNumbers;
import io.eventplane.kinesis.domain.Shard;
import io.eventplane.kinesis.domain.Stream;
import io.eventplane.kinesis.domain.StreamRef;
import io.eventplane.kinesis.domain.Streams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/** The operations on a stream's definition: create, delete, describe, its shards, retention, mode, encryption. */
final class StreamOperations {
  /** The shards of one stream that CreateStream allows (AWS's default account shard quota in most regions). */
  static final int SHARD_LIMIT = 500;
  static final List<String> MODES = List.of("PROVISIONED", "ON_DEMAND");

  private final Streams streams;
  private final Clock clock;

  StreamOperations(Streams streams, Clock clock) {
    this.streams = streams;
    this.clock = clock;
  }

  Future<JsonObject> create(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    String name = in.string("StreamName");
    Integer count = in.integer("ShardCount");
    JsonObject modeDetails = in.object("StreamModeDetails");
    JsonObject tagsIn = in.object("Tags");
    in.required(name, "streamName");
    in.length(name, "streamName", 1, 128);
    in.pattern(name, "streamName", Inputs.NAME_PATTERN);
    if (count != null && count < 1) in.add(Inputs.at(count, "shardCount") + "Member must have value greater than or equal to 1");
    String mode = null;
    if (modeDetails != null) {
      mode = new Inputs(modeDetails).string("StreamMode");
      in.required(mode, "streamModeDetails.streamMode");
      in.oneOf(mode, "streamModeDetails.streamMode", MODES);
    }
    Map<String, String> tags = TagOperations.tagMap(tagsIn, in);
    in.check();
    if (mode == null) mode = count == null ? "ON_DEMAND" : "PROVISIONED";
    if (mode.equals("PROVISIONED") && count == null) {
      throw KinesisErrors.invalidArgument("ShardCount must be specified for PROVISIONED streams.");
    }
    if (mode.equals("ON_DEMAND") && count != null) {
      throw KinesisErrors.invalidArgument("ShardCount cannot be specified for ON_DEMAND streams.");
    }
    int shards = count == null ? Stream.ON_DEMAND_SHARDS : count;
    StreamRef ref = new StreamRef(request.context().accountId(), request.context().region(), name);
    if (shards > SHARD_LIMIT) {
      throw KinesisErrors.limitExceeded("This request would exceed the shard limit for the account " + ref.account()
          + " in " + ref.region() + ". Current shard count for the account: 0. Limit: " + SHARD_LIMIT
          + ". Number of additional shards that would have resulted from this request: " + shards
          + ". Refer to the AWS Service Limits page (https://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html)"
          + " for current limits and how to request higher limits.");
    }
    if (streams.get(ref) != null) throw KinesisErrors.exists(ref);
    long id = ThreadLocalRandom.current().nextLong(1, SequenceNumbers.MAX_STREAM_ID);
    return streams.create(Stream.create(ref, id, clock.millis(), mode, shards, tags)).map(v -> new JsonObject());
  }

  Future<JsonObject> delete(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = in.stream(request);
    in.bool("EnforceConsumerDeletion");
    return streams.delete(streams.require(ref)).map(v -> new JsonObject());
  }

  Future<JsonObject> describe(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = in.stream(request);
    Integer limit = in.integer("Limit");
    String start = in.string("ExclusiveStartShardId");
    in.range(limit, "limit", 1, 10000);
    in.length(start, "exclusiveStartShardId", 1, 128);
    in.pattern(start, "exclusiveStartShardId", Inputs.NAME_PATTERN);
    in.check();
    Stream s = Reshards.listed(streams.require(ref).stream(), clock.millis());
    int after = start == null ? -1 : afterIndex(start);
    return Future.succeededFuture(new JsonObject().put("StreamDescription", Wire.description(s, after, limit == null ? 100 : limit)
        .put("StreamStatus", Reshards.status(s, clock.millis()))));
  }

  /** The shards after an ExclusiveStartShardId: a shard id's index, or past every shard when it names none. */
  private static int afterIndex(String shardId) {
    int i = Shard.indexOf(shardId);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  Future<JsonObject> summary(ApiRequest request) {
    Stream s = streams.require(new Inputs(request.input()).stream(request)).stream();
    return Future.succeededFuture(new JsonObject().put("StreamDescriptionSummary", Wire.summary(s)
        .put("StreamStatus", Reshards.status(s, clock.millis()))));
  }

  Future<JsonObject> listShards(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    String token = in.string("NextToken");
    Integer max = in.integer("MaxResults");
    String start = in.string("ExclusiveStartShardId");
    JsonObject filter = in.object("ShardFilter");
    in.range(max, "maxResults", 1, 10000);
    in.length(start, "exclusiveStartShardId", 1, 128);
    in.pattern(start, "exclusiveStartShardId", Inputs.NAME_PATTERN);
    in.length(token, "nextToken", 1, 1048576);
    StreamRef ref;
    int after = -1;
    if (token != null) {
      in.check();
      if (request.input().getValue("StreamName") != null || request.input().getValue("StreamARN") != null) {
        throw KinesisErrors.invalidArgument("NextToken and StreamName cannot be provided together.");
      }
      if (start != null || filter != null) {
        throw KinesisErrors.invalidArgument("NextToken cannot be provided together with ExclusiveStartShardId or ShardFilter.");
      }
      List<String> parts = Wire.untoken(token, 5);
      if (parts == null) throw KinesisErrors.invalidArgument("Invalid NextToken.");
      ref = new StreamRef(parts.get(0), parts.get(1), parts.get(2));
      after = Integer.parseInt(parts.get(3));
      filter = parts.get(4).isEmpty() ? null : new JsonObject(parts.get(4));
    } else {
      ref = in.stream(request);
      if (start != null) after = afterIndex(start);
    }
    ShardFilter f = ShardFilter.of(filter);
    Stream s = Reshards.listed(streams.require(ref).stream(), clock.millis());
    if (f.afterShard() != null) after = Math.max(after, afterIndex(f.afterShard()));
    long now = clock.millis();
    int limit = max == null ? 1000 : max;
    JsonArray shards = new JsonArray();
    int last = -1;
    boolean more = false;
    for (Shard shard : s.shards()) {
      if (shard.index() <= after || !f.selects(s, shard, now)) continue;
      if (shards.size() == limit) {
        more = true;
        break;
      }
      shards.add(Wire.shard(s, shard));
      last = shard.index();
    }
    JsonObject out = new JsonObject().put("Shards", shards);
    if (more) {
      out.put("NextToken", Wire.token(ref.account(), ref.region(), ref.name(), Integer.toString(last),
          filter == null ? "" : filter.encode()));
    }
    return Future.succeededFuture(out);
  }

  Future<JsonObject> increaseRetention(ApiRequest request) {
    return retention(request, true);
  }

  Future<JsonObject> decreaseRetention(ApiRequest request) {
    return retention(request, false);
  }

  private Future<JsonObject> retention(ApiRequest request, boolean increase) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = in.stream(request);
    Integer hours = in.integer("RetentionPeriodHours");
    in.required(hours, "retentionPeriodHours");
    in.check();
    if (hours < Stream.DEFAULT_RETENTION_HOURS) {
      throw KinesisErrors.invalidArgument("Minimum allowed retention period is " + Stream.DEFAULT_RETENTION_HOURS
          + " hours. Requested retention period (" + hours + " hours) is too short.");
    }
    if (hours > Stream.MAX_RETENTION_HOURS) {
      throw KinesisErrors.invalidArgument("Maximum allowed retention period is " + Stream.MAX_RETENTION_HOURS
          + " hours. Requested retention period (" + hours + " hours) is too long.");
    }
    Streams.Live live = streams.require(ref);
    int current = live.stream().retentionHours();
    if (increase && hours < current) {
      throw KinesisErrors.invalidArgument("Requested retention period (" + hours + " hours) for stream " + ref.name()
          + " can not be shorter than existing retention period (" + current + " hours). Use DecreaseRetentionPeriod API.");
    }
    if (!increase && hours > current) {
      throw KinesisErrors.invalidArgument("Requested retention period (" + hours + " hours) for stream " + ref.name()
          + " can not be longer than existing retention period (" + current + " hours). Use IncreaseRetentionPeriod API.");
    }
    return streams.update(live, live.stream().withRetention(hours)).map(v -> new JsonObject());
  }

  Future<JsonObject> updateMode(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    String arn = in.string("StreamARN");
    JsonObject details = in.object("StreamModeDetails");
    in.required(arn, "streamARN");
    in.required(details, "streamModeDetails");
    String mode = details == null ? null : new Inputs(details).string("StreamMode");
    if (details != null) {
      in.required(mode, "streamModeDetails.streamMode");
      in.oneOf(mode, "streamModeDetails.streamMode", MODES);
    }
    in.check();
    Streams.Live live = streams.require(in.stream(request));
    return streams.update(live, live.stream().withMode(mode)).map(v -> new JsonObject());
  }

  Future<JsonObject> encryption(ApiRequest request, boolean start) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = in.stream(request);
    String type = in.string("EncryptionType");
    String key = in.string("KeyId");
    in.required(type, "encryptionType");
    in.oneOf(type, "encryptionType", List.of("NONE", "KMS"));
    in.required(key, "keyId");
    in.length(key, "keyId", 1, 2048);
    in.check();
    if (!type.equals("KMS")) {
      throw KinesisErrors.invalidArgument("Encryption type " + type + " is not supported. Use KMS.");
    }
    Streams.Live live = streams.require(ref);
    Stream changed = start ? live.stream().withEncryption("KMS", key) : live.stream().withEncryption("NONE", null);
    return streams.update(live, changed).map(v -> new JsonObject());
  }

  static final List<String> METRICS = List.of("IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords",
      "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded", "IteratorAgeMilliseconds");

  Future<JsonObject> monitoring(ApiRequest request, boolean enable) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = in.stream(request);
    JsonArray metrics = in.array("ShardLevelMetrics");
    in.required(metrics, "shardLevelMetrics");
    in.size(metrics, "shardLevelMetrics", 1, 7);
    java.util.Set<String> asked = new java.util.TreeSet<>();
    if (metrics != null) {
      java.util.List<String> allowed = new java.util.ArrayList<>(METRICS);
      allowed.add("ALL");
      for (int i = 0; i < metrics.size(); i++) {
        if (!(metrics.getValue(i) instanceof String m)) throw Inputs.wrongType("ShardLevelMetrics", "a list of strings");
        in.oneOf(m, "shardLevelMetrics." + (i + 1) + ".member", allowed);
        if (m.equals("ALL")) asked.addAll(METRICS);
        else asked.add(m);
      }
    }
    in.check();
    Streams.Live live = streams.require(ref);
    java.util.Set<String> before = live.stream().metrics();
    java.util.Set<String> after = new java.util.TreeSet<>(before);
    if (enable) after.addAll(asked);
    else after.removeAll(asked);
    JsonObject out = new JsonObject().put("StreamName", ref.name()).put("StreamARN", ref.arn())
        .put("CurrentShardLevelMetrics", new JsonArray(new java.util.ArrayList<>(before)))
        .put("DesiredShardLevelMetrics", new JsonArray(new java.util.ArrayList<>(after)));
    return streams.update(live, live.stream().withMetrics(after)).map(v -> out);
  }

  /** A lane's streams of an account and region, for ListStreams and DescribeLimits. */
  JsonObject laneShare(ApiRequest request) {
    JsonArray out = new JsonArray();
    for (Stream s : streams.laneShare(request.input().getString("Account"), request.input().getString("Region"))) {
      out.add(Wire.listEntry(s).put("StreamStatus", Reshards.status(s, clock.millis())).put("OpenShards", s.openShards()));
    }
    return new JsonObject().put("Streams", out);
  }

  /** ListStreams' input, checked before every lane is asked. */
  static void checkList(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    Integer limit = in.integer("Limit");
    String start = in.string("ExclusiveStartStreamName");
    String token = in.string("NextToken");
    in.range(limit, "limit", 1, 10000);
    in.length(start, "exclusiveStartStreamName", 1, 128);
    in.pattern(start, "exclusiveStartStreamName", Inputs.NAME_PATTERN);
    in.length(token, "nextToken", 1, 1048576);
    in.check();
    if (token != null && Wire.untoken(token, 1) == null) throw KinesisErrors.invalidArgument("Invalid NextToken.");
  }

  /** ListStreams from every lane's share, in name order (after {@link #checkList}). */
  static JsonObject list(ApiRequest request, List<JsonObject> shares) {
    JsonObject in = request.input();
    int limit = in.getInteger("Limit", 100);
    String after = in.getString("ExclusiveStartStreamName");
    if (in.getString("NextToken") != null) after = Wire.untoken(in.getString("NextToken"), 1).get(0);
    TreeMap<String, JsonObject> all = new TreeMap<>();
    for (JsonObject share : shares) {
      for (Object o : share.getJsonArray("Streams")) {
        JsonObject s = ((JsonObject) o).copy();
        s.remove("OpenShards");
        all.put(s.getString("StreamName"), s);
      }
    }
    Map<String, JsonObject> rest = after == null ? all : all.tailMap(after, false);
    JsonArray names = new JsonArray();
    JsonArray summaries = new JsonArray();
    for (JsonObject s : rest.values()) {
      if (names.size() == limit) break;
      names.add(s.getString("StreamName"));
      summaries.add(s);
    }
    boolean more = rest.size() > names.size();
    JsonObject out = new JsonObject().put("StreamNames", names).put("HasMoreStreams", more).put("StreamSummaries", summaries);
    if (more) out.put("NextToken", Wire.token(names.getString(names.size() - 1)));
    return out;
  }

  /** DescribeLimits from every lane's share. */
  static JsonObject limits(List<JsonObject> shares) {
    long open = 0;
    long onDemand = 0;
    for (JsonObject share : shares) {
      for (Object o : share.getJsonArray("Streams")) {
        JsonObject s = (JsonObject) o;
        open += s.getLong("OpenShards");
        if ("ON_DEMAND".equals(s.getJsonObject("StreamModeDetails").getString("StreamMode"))) onDemand++;
      }
    }
    return new JsonObject().put("ShardLimit", SHARD_LIMIT).put("OpenShardCount", open).put("OnDemandStreamCount", onDemand)
        .put("OnDemandStreamCountLimit", 50);
  }
}
