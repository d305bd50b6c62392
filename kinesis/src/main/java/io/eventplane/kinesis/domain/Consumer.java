package io.eventplane.kinesis.domain;

import io.vertx.core.json.JsonObject;

/**
 * An enhanced fan-out consumer registered with one incarnation of a stream. Its ARN is AWS's:
 * {@code arn:aws:kinesis:<region>:<account>:stream/<stream>/consumer/<name>:<creation epoch seconds>},
 * so a consumer deregistered and registered again under its name gets a new one.
 *
 * @param streamId the incarnation of the stream it was registered with
 */
public record Consumer(StreamRef stream, long streamId, String name, long createdMillis) {
  public String arn() {
    return stream.arn() + "/consumer/" + name + ':' + (createdMillis / 1000);
  }

  /** Whether an ARN names this consumer (its name and creation second included). */
  public boolean is(ConsumerArn ref) {
    return ref.stream().equals(stream) && ref.name().equals(name) && ref.createdSeconds() == createdMillis / 1000;
  }

  public JsonObject toJson() {
    return new JsonObject().put("Account", stream.account()).put("Region", stream.region()).put("Stream", stream.name())
        .put("StreamId", streamId).put("Name", name).put("Created", createdMillis);
  }

  public static Consumer fromJson(JsonObject j) {
    return new Consumer(new StreamRef(j.getString("Account"), j.getString("Region"), j.getString("Stream")),
        j.getLong("StreamId"), j.getString("Name"), j.getLong("Created"));
  }

  /** What a consumer ARN says: the stream, the consumer's name and its creation second. */
  public record ConsumerArn(StreamRef stream, String name, long createdSeconds) {
    /** The consumer an ARN names, or null when it is not a consumer ARN. */
    public static ConsumerArn parse(String arn) {
      if (arn == null) return null;
      int marker = arn.lastIndexOf("/consumer/");
      int colon = arn.lastIndexOf(':');
      if (marker < 0 || colon < marker) return null;
      StreamRef stream = StreamRef.fromArn(arn.substring(0, marker));
      String name = arn.substring(marker + "/consumer/".length(), colon);
      String seconds = arn.substring(colon + 1);
      if (stream == null || stream.name().contains("/") || name.isEmpty() || !name.matches("[a-zA-Z0-9_.-]+")
          || !seconds.matches("\\d{1,18}")) return null;
      return new ConsumerArn(stream, name, Long.parseLong(seconds));
    }
  }
}
