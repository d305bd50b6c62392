package io.eventplane.kinesis.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.kinesis.domain.KinesisErrors;
import io.eventplane.kinesis.domain.StreamRef;
import io.eventplane.kinesis.domain.Streams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/** A stream's tags, by stream (Add/Remove/ListTagsForStream) and by ARN (Tag/Untag/ListTagsForResource). */
final class TagOperations {
  static final int TAGS_PER_STREAM = 50;

  private final Streams streams;

  TagOperations(Streams streams) {
    this.streams = streams;
  }

  /** A TagMap member, checked into {@code in}: keys 1-128, values 0-256, 1-200 entries. */
  static Map<String, String> tagMap(JsonObject tags, Inputs in) {
    Map<String, String> out = new TreeMap<>();
    if (tags == null) return out;
    if (tags.isEmpty()) in.add("Value '{}' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1");
    if (tags.size() > 200) in.add("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 200");
    for (Map.Entry<String, Object> e : tags) {
      if (!(e.getValue() instanceof String v)) throw Inputs.wrongType("Tags", "a map of strings");
      in.length(e.getKey(), "tags.key", 1, 128);
      in.length(v, "tags.value", 0, 256);
      out.put(e.getKey(), v);
    }
    return out;
  }

  private static java.util.List<String> keys(JsonArray keys, Inputs in) {
    in.required(keys, "tagKeys");
    in.size(keys, "tagKeys", 1, 50);
    java.util.List<String> out = new java.util.ArrayList<>();
    if (keys == null) return out;
    for (Object k : keys) {
      if (!(k instanceof String s)) throw Inputs.wrongType("TagKeys", "a list of strings");
      in.length(s, "tagKeys.member", 1, 128);
      out.add(s);
    }
    return out;
  }

  Future<JsonObject> add(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = in.stream(request);
    JsonObject tags = in.object("Tags");
    in.required(tags, "tags");
    return addTags(ref, tagMap(tags, in), in);
  }

  Future<JsonObject> tagResource(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = resource(request, in);
    JsonObject tags = in.object("Tags");
    in.required(tags, "tags");
    return addTags(ref, tagMap(tags, in), in);
  }

  private Future<JsonObject> addTags(StreamRef ref, Map<String, String> tags, Inputs in) {
    in.check();
    Streams.Live live = streams.require(ref);
    Map<String, String> all = new TreeMap<>(live.stream().tags());
    all.putAll(tags);
    if (all.size() > TAGS_PER_STREAM) {
      throw KinesisErrors.invalidArgument("Failed to add tags to stream " + ref.name() + " under account " + ref.account()
          + " because a given stream cannot have more than " + TAGS_PER_STREAM + " tags.");
    }
    return streams.update(live, live.stream().withTags(all)).map(v -> new JsonObject());
  }

  Future<JsonObject> remove(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = in.stream(request);
    return removeTags(ref, keys(in.array("TagKeys"), in), in);
  }

  Future<JsonObject> untagResource(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = resource(request, in);
    return removeTags(ref, keys(in.array("TagKeys"), in), in);
  }

  private Future<JsonObject> removeTags(StreamRef ref, java.util.List<String> keys, Inputs in) {
    in.check();
    Streams.Live live = streams.require(ref);
    Map<String, String> all = new TreeMap<>(live.stream().tags());
    keys.forEach(all::remove);
    return streams.update(live, live.stream().withTags(all)).map(v -> new JsonObject());
  }

  Future<JsonObject> listForStream(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = in.stream(request);
    String start = in.string("ExclusiveStartTagKey");
    Integer limit = in.integer("Limit");
    in.length(start, "exclusiveStartTagKey", 1, 128);
    in.range(limit, "limit", 1, 50);
    in.check();
    TreeMap<String, String> tags = new TreeMap<>(streams.require(ref).stream().tags());
    Map<String, String> rest = start == null ? tags : tags.tailMap(start, false);
    int max = limit == null ? 50 : limit;
    Map<String, String> page = new TreeMap<>();
    for (Map.Entry<String, String> e : rest.entrySet()) {
      if (page.size() == max) break;
      page.put(e.getKey(), e.getValue());
    }
    return Future.succeededFuture(Wire.tags(page.entrySet()).put("HasMoreTags", rest.size() > page.size()));
  }

  Future<JsonObject> listForResource(ApiRequest request) {
    Inputs in = new Inputs(request.input());
    StreamRef ref = resource(request, in);
    in.check();
    return Future.succeededFuture(Wire.tags(streams.require(ref).stream().tags().entrySet()));
  }

  /** The stream a ResourceARN names. */
  static StreamRef resource(ApiRequest request, Inputs in) {
    String arn = in.string("ResourceARN");
    in.required(arn, "resourceARN");
    in.length(arn, "resourceARN", 1, 2048);
    in.check();
    StreamRef ref = StreamRef.fromArn(arn);
    if (ref == null) throw KinesisErrors.invalidArgument("Invalid ResourceARN " + arn + ".");
    return ref;
  }
}
