package io.eventplane.eventbridge.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * A replay of an archive's time window to its bus, with its progress: the archive key of the last
 * event replayed ({@code lastKey}, hex; null before the first) and that event's time, written in the
 * batch that writes the page's deliveries, so a replay resumes where it stopped. Immutable.
 */
public record Replay(String account, String region, String name, String description, String archive, BusRef bus,
    List<String> filterArns, long eventStartTime, long eventEndTime, String state, long replayStartTime,
    long replayEndTime, long eventLastReplayedTime, String lastKey) {
  public static final String STARTING = "STARTING";
  public static final String RUNNING = "RUNNING";
  public static final String CANCELLING = "CANCELLING";
  public static final String COMPLETED = "COMPLETED";
  public static final String CANCELLED = "CANCELLED";
  public static final String FAILED = "FAILED";
  public static final List<String> STATES = List.of(STARTING, RUNNING, CANCELLING, COMPLETED, CANCELLED, FAILED);

  public Replay {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bus, "bus");
    filterArns = filterArns == null ? null : List.copyOf(filterArns);
  }

  public String arn() {
    return "arn:aws:events:" + region + ":" + account + ":replay/" + name;
  }

  public String archiveArn() {
    return "arn:aws:events:" + region + ":" + account + ":archive/" + archive;
  }

  /** Still to run (or to finish cancelling). */
  public boolean active() {
    return STARTING.equals(state) || RUNNING.equals(state) || CANCELLING.equals(state);
  }

  public Replay withState(String newState, long endTime) {
    return new Replay(account, region, name, description, archive, bus, filterArns, eventStartTime, eventEndTime, newState,
        replayStartTime, endTime, eventLastReplayedTime, lastKey);
  }

  public Replay progressed(long lastEventTime, String newLastKey) {
    return new Replay(account, region, name, description, archive, bus, filterArns, eventStartTime, eventEndTime, RUNNING,
        replayStartTime, replayEndTime, lastEventTime, newLastKey);
  }

  public JsonObject toJson() {
    return new JsonObject().put("account", account).put("region", region).put("name", name).put("description", description)
        .put("archive", archive).put("busAccount", bus.account()).put("busRegion", bus.region()).put("bus", bus.name())
        .put("filterArns", filterArns == null ? null : new JsonArray(filterArns)).put("eventStartTime", eventStartTime)
        .put("eventEndTime", eventEndTime).put("state", state).put("replayStartTime", replayStartTime)
        .put("replayEndTime", replayEndTime).put("eventLastReplayedTime", eventLastReplayedTime).put("lastKey", lastKey);
  }

  @SuppressWarnings("unchecked")
  public static Replay fromJson(JsonObject j) {
    JsonArray filters = j.getJsonArray("filterArns");
    return new Replay(j.getString("account"), j.getString("region"), j.getString("name"), j.getString("description"),
        j.getString("archive"), new BusRef(j.getString("busAccount"), j.getString("busRegion"), j.getString("bus")),
        filters == null ? null : (List<String>) (List<?>) filters.getList(), j.getLong("eventStartTime"),
        j.getLong("eventEndTime"), j.getString("state"), j.getLong("replayStartTime"), j.getLong("replayEndTime", 0L),
        j.getLong("eventLastReplayedTime", 0L), j.getString("lastKey"));
  }
}
