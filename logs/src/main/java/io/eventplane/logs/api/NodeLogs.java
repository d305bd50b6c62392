package io.eventplane.logs.api;

import io.eventplane.logs.domain.EventPage;
import io.eventplane.logs.domain.FilterKey;
import io.eventplane.logs.domain.FilterPattern;
import io.eventplane.logs.domain.LogEvent;
import io.eventplane.logs.domain.LogGroupInfo;
import io.eventplane.logs.domain.LogStreamInfo;
import io.eventplane.logs.store.LogFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * What one node answers about the logs it keeps; {@link LogsApi} asks every node and merges.
 * Blocking (reads files): runs on worker threads.
 */
final class NodeLogs {
  private final LogFiles files;

  NodeLogs(LogFiles files) {
    this.files = files;
  }

  JsonObject groups(JsonObject q) {
    JsonArray out = new JsonArray();
    for (LogGroupInfo g : files.groups(q.getString("account"), q.getString("region"))) out.add(g.toJson());
    return new JsonObject().put("groups", out);
  }

  JsonObject streams(JsonObject q) {
    Optional<List<LogStreamInfo>> streams = files.streams(q.getString("account"), q.getString("region"), q.getString("group"));
    JsonArray out = new JsonArray();
    streams.ifPresent(list -> list.forEach(s -> out.add(s.toJson())));
    return new JsonObject().put("hasGroup", streams.isPresent()).put("streams", out);
  }

  JsonObject events(JsonObject q) {
    String account = q.getString("account");
    String group = q.getString("group");
    Optional<List<LogEvent>> all = files.events(account, q.getString("region"), group, q.getString("stream"));
    if (all.isEmpty()) return new JsonObject().put("hasGroup", files.hasGroup(account, q.getString("region"), group)).put("found", false);
    List<LogEvent> inRange = new ArrayList<>();
    for (LogEvent e : all.get()) if (inRange(e, q)) inRange.add(e);
    EventPage page = EventPage.of(inRange, q.getString("token"), q.getBoolean("startFromHead", false), q.getInteger("limit"));
    JsonArray events = new JsonArray();
    page.events().forEach(e -> events.add(e.output()));
    return new JsonObject().put("hasGroup", true).put("found", true).put("events", events)
        .put("nextForwardToken", page.nextForwardToken()).put("nextBackwardToken", page.nextBackwardToken());
  }

  /** The first {@code limit} matching events after the key {@code after}, in FilterLogEvents' order. */
  JsonObject filter(JsonObject q) {
    String account = q.getString("account");
    String group = q.getString("group");
    Optional<List<LogStreamInfo>> streams = files.streams(account, q.getString("region"), group);
    if (streams.isEmpty()) return new JsonObject().put("hasGroup", false).put("events", new JsonArray());
    JsonArray names = q.getJsonArray("streams");
    String prefix = q.getString("prefix");
    FilterPattern pattern = FilterPattern.parse(q.getString("pattern"));
    FilterKey after = q.getString("after") == null ? null : FilterKey.ofToken(q.getString("after"));
    int limit = q.getInteger("limit");
    // The greatest keys at the head, so the queue keeps the first `limit` matches.
    PriorityQueue<Match> first = new PriorityQueue<>((a, b) -> b.key.compareTo(a.key));
    for (LogStreamInfo s : streams.get()) {
      if (names != null && !names.contains(s.name())) continue;
      if (prefix != null && !s.name().startsWith(prefix)) continue;
      List<LogEvent> events = files.events(account, q.getString("region"), group, s.name()).orElse(List.of());
      for (int i = 0; i < events.size(); i++) {
        LogEvent e = events.get(i);
        if (!inRange(e, q) || !pattern.matches(e.message())) continue;
        FilterKey key = new FilterKey(e.timestamp(), s.name(), i);
        if (after != null && key.compareTo(after) <= 0) continue;
        if (first.size() == limit && first.peek().key.compareTo(key) < 0) continue;
        first.add(new Match(key, e));
        if (first.size() > limit) first.poll();
      }
    }
    List<Match> sorted = new ArrayList<>(first);
    sorted.sort((a, b) -> a.key.compareTo(b.key));
    JsonArray out = new JsonArray();
    for (Match m : sorted) out.add(m.toJson());
    return new JsonObject().put("hasGroup", true).put("events", out);
  }

  JsonObject deleteGroup(JsonObject q) {
    return new JsonObject().put("deleted", files.deleteGroup(q.getString("account"), q.getString("region"), q.getString("group")));
  }

  JsonObject deleteStream(JsonObject q) {
    String account = q.getString("account");
    String group = q.getString("group");
    boolean deleted = files.deleteStream(account, q.getString("region"), group, q.getString("stream"));
    return new JsonObject().put("hasGroup", files.hasGroup(account, q.getString("region"), group)).put("deleted", deleted);
  }

  /** CreateLogGroup's second step: the node that took the call creates the group. */
  JsonObject createGroup(JsonObject q) {
    boolean mine = q.getString("asker", "").equals(q.getString("here"));
    boolean created = mine && files.createGroup(q.getString("account"), q.getString("region"), q.getString("group"),
        q.getLong("now"));
    return new JsonObject().put("created", created);
  }

  /** CreateLogStream's second step: the node that took the call creates the stream (and the group's marker if it lacks it). */
  JsonObject createStream(JsonObject q) {
    boolean mine = q.getString("asker", "").equals(q.getString("here"));
    if (!mine) return new JsonObject().put("created", false);
    String account = q.getString("account");
    String region = q.getString("region");
    String group = q.getString("group");
    if (!files.hasGroup(account, region, group)) files.createGroup(account, region, group, q.getLong("groupCreated"));
    return new JsonObject().put("created", files.createStream(account, region, group, q.getString("stream"), q.getLong("now")));
  }

  /** Put/DeleteRetentionPolicy: every node that has the group records it. */
  JsonObject retention(JsonObject q) {
    String account = q.getString("account");
    String region = q.getString("region");
    String group = q.getString("group");
    boolean hasGroup = files.retention(account, region, group, q.getInteger("days"));
    // What the new retention leaves behind goes now, not at the next sweep.
    if (hasGroup && q.getInteger("days") != null) files.expire(account, region, group);
    return new JsonObject().put("hasGroup", hasGroup);
  }

  /** PutLogEvents: the node that has the stream appends the events. */
  /**
   * PutLogEvents: the node that has the stream appends the events, but for those older than the
   * group's retention (a leading run: the events are in chronological order), whose end it answers
   * as {@code expiredEnd}, counted in the request's indexes ({@code first} is the index of the
   * first event given here).
   */
  JsonObject putEvents(JsonObject q) {
    String account = q.getString("account");
    String region = q.getString("region");
    String group = q.getString("group");
    long cutoff = files.retentionCutoff(account, region, group);
    List<LogEvent> events = new ArrayList<>();
    long now = q.getLong("now");
    int expired = 0;
    for (Object o : q.getJsonArray("events")) {
      JsonObject e = (JsonObject) o;
      long timestamp = e.getLong("timestamp");
      if (timestamp < cutoff) {
        expired++;
        continue;
      }
      events.add(new LogEvent(timestamp, now, e.getString("message")));
    }
    boolean found = files.append(account, region, group, q.getString("stream"), events);
    JsonObject out = new JsonObject().put("found", found).put("hasGroup", found || files.hasGroup(account, region, group));
    if (found && expired > 0) out.put("expiredEnd", q.getInteger("first", 0) + expired);
    return out;
  }

  /** Removes the events every group of this node keeps past its retention (the periodic sweep). */
  JsonObject expire() {
    return new JsonObject().put("removed", files.expire(null, null, null));
  }

  JsonObject reset() {
    files.clear();
    return new JsonObject();
  }

  private static boolean inRange(LogEvent e, JsonObject q) {
    Long start = q.getLong("startTime");
    Long end = q.getLong("endTime");
    return (start == null || e.timestamp() >= start) && (end == null || e.timestamp() < end);
  }

  private record Match(FilterKey key, LogEvent event) {
    JsonObject toJson() {
      return new JsonObject().put("logStreamName", key.stream()).put("timestamp", event.timestamp())
          .put("message", event.message()).put("ingestionTime", event.ingestionTime())
          .put("eventId", key.eventId()).put("key", key.token());
    }
  }
}
