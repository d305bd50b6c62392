package io.eventplane.eventbridge.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.delivery.Replays;
import io.eventplane.eventbridge.domain.Archive;
import io.eventplane.eventbridge.domain.Archives;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.EventPatterns;
import io.eventplane.eventbridge.domain.EventsErrors;
import io.eventplane.eventbridge.domain.Replay;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Create/Describe/List/Update/DeleteArchive and Start/Describe/List/CancelReplay. An archive and its
 * replays live in the archive's bus's partition; a call that names one only by name is asked of
 * every lane ({@link EventsApi#ARCHIVE_CALL}) and {@link #byName} answers it on the lane that holds
 * the name ({@link #ABSENT} on the others). Messages are those AWS answered in LocalStack's
 * recordings (test_archive_and_replay.snapshot.json) where they have them.
 */
final class ArchiveOperations {
  /** A lane's answer to a call by name when it does not hold the name. */
  static final String ABSENT = "eventplane:absent";
  static final String ARCHIVE_NAME_PATTERN = "[\\.\\-_A-Za-z0-9]+";
  static final String ARN_PATTERN = "^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:([0-9]{12})?:.+\\/.+$";
  private static final Pattern ARCHIVE_NAME = Pattern.compile(ARCHIVE_NAME_PATTERN);
  private static final Pattern ARN = Pattern.compile(ARN_PATTERN);
  private static final Pattern ARCHIVE_ARN = Pattern.compile("arn:aws[\\w-]*:events:([a-z0-9-]+):([0-9]{12}):archive/(.+)");

  private final Buses buses;
  private final Archives archives;
  private final Replays replays;
  private final Clock clock;

  ArchiveOperations(Buses buses, Archives archives, Replays replays, Clock clock) {
    this.buses = buses;
    this.archives = archives;
    this.replays = replays;
    this.clock = clock;
  }

  // ---- input checks (the receiving lane runs them before asking anyone) ----

  /** CreateArchive's input, checked: the bus it names. */
  static BusRef checkCreate(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.string(in, "ArchiveName", "archiveName");
    String source = v.string(in, "EventSourceArn", "eventSourceArn");
    String description = v.string(in, "Description", "description");
    String pattern = v.string(in, "EventPattern", "eventPattern");
    Integer retention = v.integer(in, "RetentionDays", "retentionDays");
    v.required(name, "archiveName");
    archiveName(v, name, "archiveName");
    v.required(source, "eventSourceArn");
    arn(v, source, "eventSourceArn");
    v.length(description, "description", 0, 512);
    v.length(pattern, "eventPattern", 0, 4096);
    if (retention != null && retention < 0) v.add("Value '" + retention + "' at 'retentionDays' failed to satisfy constraint: "
        + "Member must have value greater than or equal to 0");
    v.check();
    if (!BusRef.isArn(source)) throw EventsErrors.validation("Parameter EventSourceArn is not valid.");
    if (pattern != null) EventPatterns.validate(pattern);
    return BusRef.of(source, request.context().accountId(), request.context().region());
  }

  /** The name a by-name call is about (ArchiveName, ReplayName, or the archive of StartReplay's EventSourceArn), checked. */
  static String checkName(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    switch (request.operation()) {
      case "DescribeArchive", "DeleteArchive", "UpdateArchive" -> {
        String name = v.string(in, "ArchiveName", "archiveName");
        v.required(name, "archiveName");
        archiveName(v, name, "archiveName");
        if (request.operation().equals("UpdateArchive")) {
          String description = v.string(in, "Description", "description");
          String pattern = v.string(in, "EventPattern", "eventPattern");
          Integer retention = v.integer(in, "RetentionDays", "retentionDays");
          v.length(description, "description", 0, 512);
          v.length(pattern, "eventPattern", 0, 4096);
          if (retention != null && retention < 0) v.add("Value '" + retention + "' at 'retentionDays' failed to satisfy "
              + "constraint: Member must have value greater than or equal to 0");
          v.check();
          if (pattern != null) EventPatterns.validate(pattern);
        }
        v.check();
        return name;
      }
      case "DescribeReplay", "CancelReplay" -> {
        String name = v.string(in, "ReplayName", "replayName");
        v.required(name, "replayName");
        replayName(v, name, "replayName");
        v.check();
        return name;
      }
      case "StartReplay" -> {
        return checkStart(request);
      }
      default -> throw new IllegalArgumentException("not a call by name: " + request.operation());
    }
  }

  /** StartReplay's input, checked in AWS's order; answers the archive's name. */
  private static String checkStart(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.string(in, "ReplayName", "replayName");
    String description = v.string(in, "Description", "description");
    String source = v.string(in, "EventSourceArn", "eventSourceArn");
    JsonObject destination = v.object(in, "Destination", "destination");
    Object start = in.getValue("EventStartTime");
    Object end = in.getValue("EventEndTime");
    v.required(name, "replayName");
    replayName(v, name, "replayName");
    v.length(description, "description", 0, 512);
    v.required(source, "eventSourceArn");
    arn(v, source, "eventSourceArn");
    v.required(start, "eventStartTime");
    v.required(end, "eventEndTime");
    v.required(destination, "destination");
    if (destination != null) {
      String arn = v.string(destination, "Arn", "destination.arn");
      v.required(arn, "destination.arn");
      v.length(arn, "destination.arn", 1, 1600);
      JsonArray filters = v.array(destination, "FilterArns", "destination.filterArns");
      if (filters != null) {
        for (int i = 0; i < filters.size(); i++) {
          if (!(filters.getValue(i) instanceof String f)) {
            throw EventsErrors.validation("1 validation error detected: Value at 'destination.filterArns." + (i + 1)
                + ".member' failed to satisfy constraint: Member must be a string");
          }
          v.length(f, "destination.filterArns." + (i + 1) + ".member", 1, 1600);
        }
      }
    }
    timestamp(start, "eventStartTime");
    timestamp(end, "eventEndTime");
    v.check();
    if (millis(start) >= millis(end)) {
      throw EventsErrors.validation("Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.");
    }
    String archive = archiveOf(source);
    if (archive == null) throw EventsErrors.validation("Parameter EventSourceArn is not valid.");
    return archive;
  }

  /** The bus StartReplay's Destination.Arn names (checked first). */
  static String destination(ApiRequest request) {
    return request.input().getJsonObject("Destination").getString("Arn");
  }

  /** The archive name of an archive ARN of the caller's account and region, or null. */
  private static String archiveOf(String arn) {
    java.util.regex.Matcher m = ARCHIVE_ARN.matcher(arn);
    return m.matches() ? m.group(3) : null;
  }

  private static void archiveName(Validation v, String name, String path) {
    v.length(name, path, 1, 48);
    v.pattern(name, path, ARCHIVE_NAME, ARCHIVE_NAME_PATTERN);
  }

  private static void replayName(Validation v, String name, String path) {
    v.length(name, path, 1, 64);
    v.pattern(name, path, ARCHIVE_NAME, ARCHIVE_NAME_PATTERN);
  }

  private static void arn(Validation v, String arn, String path) {
    v.length(arn, path, 1, 1600);
    v.pattern(arn, path, ARN, ARN_PATTERN);
  }

  private static void timestamp(Object value, String path) {
    if (value != null && !(value instanceof Number)) {
      throw EventsErrors.validation("1 validation error detected: Value '" + value + "' at '" + path
          + "' failed to satisfy constraint: Member must be a timestamp");
    }
  }

  private static long millis(Object epochSeconds) {
    return new BigDecimal(epochSeconds.toString()).movePointRight(3).longValue();
  }

  // ---- at the bus's owner ----

  /** CreateArchive at the bus's owner (the name was found free on every lane just before). */
  Future<JsonObject> create(ApiRequest request) {
    BusRef bus = checkCreate(request);
    JsonObject in = request.input();
    String account = request.context().accountId();
    String region = request.context().region();
    String name = in.getString("ArchiveName");
    return buses.materialise(bus, clock.millis()).compose(b -> {
      if (archives.get(account, region, name) != null) throw archiveExists(name);
      Integer retention = in.getInteger("RetentionDays");
      long now = clock.millis();
      Archive archive = new Archive(account, region, name, bus, in.getString("Description"), in.getString("EventPattern"),
          retention == null ? 0 : retention, now, 0, 0);
      Batch batch = buses.store().batch();
      buses.store().putArchive(batch, archive);
      archives.put(archive);
      return buses.commit(bus.partition(), batch).map(x -> {
        replays.archivesChanged();
        return new JsonObject().put("ArchiveArn", archive.arn()).put("State", Archive.ENABLED)
            .put("CreationTime", Wire.time(archive.createdAt()));
      });
    });
  }

  /**
   * A call by name on this lane: {@link #ABSENT} unless this lane holds the archive or replay it
   * names; then the operation itself.
   */
  Future<JsonObject> byName(ApiRequest request) {
    String account = request.context().accountId();
    String region = request.context().region();
    String name = checkName(request);
    JsonObject in = request.input();
    switch (request.operation()) {
      case "DescribeArchive": {
        Archive a = archives.get(account, region, name);
        return Future.succeededFuture(a == null ? absent() : describe(a));
      }
      case "UpdateArchive": {
        Archive a = archives.get(account, region, name);
        if (a == null) return Future.succeededFuture(absent());
        Archive updated = a.updated(in.containsKey("Description") ? in.getString("Description") : a.description(),
            in.containsKey("EventPattern") ? in.getString("EventPattern") : a.eventPattern(),
            in.containsKey("RetentionDays") ? in.getInteger("RetentionDays") : a.retentionDays());
        Batch batch = buses.store().batch();
        buses.store().putArchive(batch, updated);
        archives.put(updated);
        return buses.commit(a.bus().partition(), batch).map(x -> {
          replays.archivesChanged();
          return new JsonObject().put("ArchiveArn", a.arn()).put("State", Archive.ENABLED)
              .put("CreationTime", Wire.time(a.createdAt()));
        });
      }
      case "DeleteArchive": {
        Archive a = archives.get(account, region, name);
        if (a == null) return Future.succeededFuture(absent());
        Batch batch = buses.store().batch();
        buses.store().deleteArchive(batch, a);
        archives.remove(a);
        return buses.commit(a.bus().partition(), batch).map(x -> new JsonObject());
      }
      case "StartReplay": {
        Archive a = archives.get(account, region, name);
        return a == null ? Future.succeededFuture(absent()) : start(request, a);
      }
      case "DescribeReplay": {
        Replay r = archives.replay(account, region, name);
        return Future.succeededFuture(r == null ? absent() : describe(r));
      }
      case "CancelReplay": {
        Replay r = archives.replay(account, region, name);
        return r == null ? Future.succeededFuture(absent()) : cancel(r);
      }
      default:
        throw new IllegalArgumentException("not a call by name: " + request.operation());
    }
  }

  /** What every lane answered absent becomes. */
  static ServiceException notFound(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "DescribeArchive", "UpdateArchive", "DeleteArchive" ->
          EventsErrors.resourceNotFound("Archive " + in.getString("ArchiveName") + " does not exist.");
      case "StartReplay" -> EventsErrors.validation("Parameter EventSourceArn is not valid. Reason: Archive "
          + archiveOf(in.getString("EventSourceArn")) + " does not exist.");
      default -> EventsErrors.resourceNotFound("Replay " + in.getString("ReplayName") + " does not exist.");
    };
  }

  static ServiceException archiveExists(String name) {
    return new ServiceException("ResourceAlreadyExistsException", "Archive " + name + " already exists.");
  }

  static ServiceException replayExists(String name) {
    return new ServiceException("ResourceAlreadyExistsException", "Replay " + name + " already exists.");
  }

  static boolean isAbsent(JsonObject answer) {
    return answer.getBoolean(ABSENT, false);
  }

  private static JsonObject absent() {
    return new JsonObject().put(ABSENT, true);
  }

  private Future<JsonObject> start(ApiRequest request, Archive archive) {
    JsonObject in = request.input();
    JsonObject destination = in.getJsonObject("Destination");
    BusRef target = BusRef.of(destination.getString("Arn"), request.context().accountId(), request.context().region());
    if (!target.equals(archive.bus())) {
      throw EventsErrors.validation("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.");
    }
    String name = in.getString("ReplayName");
    if (archives.replay(request.context().accountId(), request.context().region(), name) != null) throw replayExists(name);
    List<String> filters = null;
    if (destination.getJsonArray("FilterArns") != null) {
      filters = new ArrayList<>();
      for (Object f : destination.getJsonArray("FilterArns")) filters.add((String) f);
    }
    long now = clock.millis();
    Replay replay = new Replay(request.context().accountId(), request.context().region(), name, in.getString("Description"),
        archive.name(), archive.bus(), filters, millis(in.getValue("EventStartTime")), millis(in.getValue("EventEndTime")),
        Replay.STARTING, now, 0, 0, null);
    Batch batch = buses.store().batch();
    buses.store().putReplay(batch, replay);
    archives.putReplay(replay);
    return buses.commit(archive.bus().partition(), batch).map(x -> {
      replays.start(replay);
      return new JsonObject().put("ReplayArn", replay.arn()).put("State", Replay.STARTING)
          .put("ReplayStartTime", Wire.time(replay.replayStartTime()));
    });
  }

  private Future<JsonObject> cancel(Replay r) {
    if (!Replay.STARTING.equals(r.state()) && !Replay.RUNNING.equals(r.state())) {
      throw new ServiceException("IllegalStatusException", "Replay " + r.name() + " is not in a valid state for this operation.");
    }
    Replay cancelling = r.withState(Replay.CANCELLING, 0);
    Batch batch = buses.store().batch();
    buses.store().putReplay(batch, cancelling);
    archives.putReplay(cancelling);
    return buses.commit(r.bus().partition(), batch).map(x -> {
      replays.cancelled(cancelling);
      return new JsonObject().put("ReplayArn", r.arn()).put("State", Replay.CANCELLING);
    });
  }

  // ---- how they look ----

  static JsonObject describe(Archive a) {
    JsonObject out = new JsonObject().put("ArchiveArn", a.arn()).put("ArchiveName", a.name()).put("EventSourceArn", a.bus().arn());
    if (a.description() != null) out.put("Description", a.description());
    if (a.eventPattern() != null) out.put("EventPattern", a.eventPattern());
    return out.put("State", Archive.ENABLED).put("RetentionDays", a.retentionDays()).put("SizeBytes", a.sizeBytes())
        .put("EventCount", a.eventCount()).put("CreationTime", Wire.time(a.createdAt()));
  }

  static JsonObject listed(Archive a) {
    return new JsonObject().put("ArchiveName", a.name()).put("EventSourceArn", a.bus().arn()).put("State", Archive.ENABLED)
        .put("RetentionDays", a.retentionDays()).put("SizeBytes", a.sizeBytes()).put("EventCount", a.eventCount())
        .put("CreationTime", Wire.time(a.createdAt()));
  }

  static JsonObject describe(Replay r) {
    JsonObject destination = new JsonObject().put("Arn", r.bus().arn());
    if (r.filterArns() != null) destination.put("FilterArns", new JsonArray(r.filterArns()));
    JsonObject out = new JsonObject().put("ReplayName", r.name()).put("ReplayArn", r.arn());
    if (r.description() != null) out.put("Description", r.description());
    out.put("State", r.state()).put("EventSourceArn", r.archiveArn()).put("Destination", destination);
    return times(r, out);
  }

  static JsonObject listed(Replay r) {
    return times(r, new JsonObject().put("ReplayName", r.name()).put("EventSourceArn", r.archiveArn()).put("State", r.state()));
  }

  private static JsonObject times(Replay r, JsonObject out) {
    out.put("EventStartTime", Wire.time(r.eventStartTime())).put("EventEndTime", Wire.time(r.eventEndTime()));
    if (r.lastKey() != null) out.put("EventLastReplayedTime", Wire.time(r.eventLastReplayedTime()));
    out.put("ReplayStartTime", Wire.time(r.replayStartTime()));
    if (r.replayEndTime() > 0) out.put("ReplayEndTime", Wire.time(r.replayEndTime()));
    return out;
  }

  /** A lane's archives and replays of an account and region, for ListArchives and ListReplays. */
  JsonObject laneShare(ApiRequest request) {
    String account = request.input().getString("Account");
    String region = request.input().getString("Region");
    JsonArray as = new JsonArray();
    for (Archive a : archives.list(account, region)) as.add(listed(a));
    JsonArray rs = new JsonArray();
    for (Replay r : archives.replays(account, region)) rs.add(listed(r));
    return new JsonObject().put("Archives", as).put("Replays", rs);
  }

  /** ListArchives' or ListReplays' input, checked. */
  static JsonObject checkList(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    boolean archivesCall = request.operation().equals("ListArchives");
    String prefix = v.string(in, "NamePrefix", "namePrefix");
    String source = v.string(in, "EventSourceArn", "eventSourceArn");
    String state = v.string(in, "State", "state");
    String token = v.string(in, "NextToken", "nextToken");
    Integer limit = v.integer(in, "Limit", "limit");
    if (archivesCall) archiveName(v, prefix, "namePrefix");
    else replayName(v, prefix, "namePrefix");
    arn(v, source, "eventSourceArn");
    v.oneOf(state, "state", archivesCall
        ? List.of("ENABLED", "DISABLED", "CREATING", "UPDATING", "CREATE_FAILED", "UPDATE_FAILED") : Replay.STATES);
    v.length(token, "nextToken", 1, 2048);
    v.range(limit, "limit", 1, 100);
    v.check();
    Wire.after(token);
    return in;
  }

  /** ListArchives or ListReplays from every lane's share, filtered, in name order, paged. */
  static JsonObject list(ApiRequest request, List<JsonObject> shares) {
    JsonObject in = request.input();
    boolean archivesCall = request.operation().equals("ListArchives");
    String member = archivesCall ? "Archives" : "Replays";
    String nameMember = archivesCall ? "ArchiveName" : "ReplayName";
    String prefix = in.getString("NamePrefix");
    String source = in.getString("EventSourceArn");
    String state = in.getString("State");
    List<JsonObject> all = new ArrayList<>();
    for (JsonObject share : shares) {
      for (Object o : share.getJsonArray(member, new JsonArray())) {
        JsonObject item = (JsonObject) o;
        if (prefix != null && !item.getString(nameMember).startsWith(prefix)) continue;
        if (source != null && !source.equals(item.getString("EventSourceArn"))) continue;
        if (state != null && !state.equals(item.getString("State"))) continue;
        all.add(item);
      }
    }
    all.sort(Comparator.comparing(i -> i.getString(nameMember)));
    Integer limit = in.getInteger("Limit");
    return Wire.page(all, i -> i.getString(nameMember), i -> i, member, Wire.after(in.getString("NextToken")),
        limit == null ? 100 : limit);
  }
}
