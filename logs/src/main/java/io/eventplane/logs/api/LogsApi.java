package io.eventplane.logs.api;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.logs.domain.FilterKey;
import io.eventplane.logs.domain.FilterPattern;
import io.eventplane.logs.domain.LogGroupInfo;
import io.eventplane.logs.domain.LogNames;
import io.eventplane.logs.domain.LogStreamInfo;
import io.eventplane.logs.domain.LogsErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CloudWatch Logs operations. Each node keeps the streams its function instances wrote, so
 * every operation asks every node ({@link Nodes}) and merges the answers: groups are the union
 * (a group can have streams on several nodes), a stream lives on one node.
 */
public final class LogsApi {
  /** The node-level questions, answered by {@link #answer}. */
  public static final String NODE_GROUPS = "eventplane:NodeGroups";
  public static final String NODE_STREAMS = "eventplane:NodeStreams";
  public static final String NODE_EVENTS = "eventplane:NodeEvents";
  public static final String NODE_FILTER = "eventplane:NodeFilter";
  public static final String NODE_DELETE_GROUP = "eventplane:NodeDeleteGroup";
  public static final String NODE_DELETE_STREAM = "eventplane:NodeDeleteStream";
  public static final String NODE_RESET = "eventplane:NodeReset";
  public static final String NODE_CREATE_GROUP = "eventplane:NodeCreateGroup";
  public static final String NODE_CREATE_STREAM = "eventplane:NodeCreateStream";
  public static final String NODE_PUT_EVENTS = "eventplane:NodePutEvents";
  public static final String NODE_RETENTION = "eventplane:NodeRetention";
  /** This node's sweep of events past their group's retention (asked of itself by each node's timer). */
  public static final String NODE_EXPIRE = "eventplane:NodeExpire";
  /** The values PutRetentionPolicy takes (the API reference's enum), in the order AWS's message lists them. */
  private static final java.util.List<Integer> RETENTION_DAYS = java.util.List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150,
      180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

  private static final int MAX_EVENTS = 10_000;
  /** PutLogEvents takes events up to 14 days old and 2 hours ahead, within 24 hours of each other (the API reference). */
  private static final long MAX_AGE_MS = 14 * 86_400_000L;
  private static final long MAX_AHEAD_MS = 2 * 3_600_000L;
  private static final long MAX_SPAN_MS = 86_400_000L;
  private static final int MAX_DESCRIBE = 50;
  private static final int MAX_RESPONSE_BYTES = 1_048_576;

  /** Asks every node of the cluster the same question; the answers in member order. */
  public interface Nodes {
    Future<List<JsonObject>> ask(String question, JsonObject input, RequestContext context);
  }

  private final Nodes nodes;
  private final NodeLogs local;

  public LogsApi(Nodes nodes, io.eventplane.logs.store.LogFiles files) {
    this.nodes = nodes;
    this.local = new NodeLogs(files);
  }

  /** True for the node-level questions (blocking: answer them on a worker thread). */
  public static boolean isNodeQuestion(String operation) {
    return operation.startsWith("eventplane:Node");
  }

  /** This node's answer to a node-level question. Blocking. */
  public JsonObject answer(String question, JsonObject q) {
    return switch (question) {
      case NODE_GROUPS -> local.groups(q);
      case NODE_STREAMS -> local.streams(q);
      case NODE_EVENTS -> local.events(q);
      case NODE_FILTER -> local.filter(q);
      case NODE_DELETE_GROUP -> local.deleteGroup(q);
      case NODE_DELETE_STREAM -> local.deleteStream(q);
      case NODE_RESET -> local.reset();
      case NODE_CREATE_GROUP -> local.createGroup(q);
      case NODE_CREATE_STREAM -> local.createStream(q);
      case NODE_PUT_EVENTS -> local.putEvents(q);
      case NODE_RETENTION -> local.retention(q);
      case NODE_EXPIRE -> local.expire();
      default -> throw new IllegalArgumentException("not a node question: " + question);
    };
  }

  public Future<JsonObject> handle(String operation, JsonObject in, RequestContext context) {
    return switch (operation) {
      case "DescribeLogGroups" -> describeLogGroups(in, context);
      case "DescribeLogStreams" -> describeLogStreams(in, context);
      case "GetLogEvents" -> getLogEvents(in, context);
      case "FilterLogEvents" -> filterLogEvents(in, context);
      case "DeleteLogGroup" -> deleteLogGroup(in, context);
      case "DeleteLogStream" -> deleteLogStream(in, context);
      case "CreateLogGroup" -> createLogGroup(in, context);
      case "CreateLogStream" -> createLogStream(in, context);
      case "PutLogEvents" -> putLogEvents(in, context);
      case "PutRetentionPolicy" -> retention(in, context, true);
      case "DeleteRetentionPolicy" -> retention(in, context, false);
      case "Reset" -> nodes.ask(NODE_RESET, new JsonObject(), context).map(all -> new JsonObject());
      default -> Future.failedFuture(new io.eventplane.common.error.ServiceException(
          io.eventplane.common.error.ServiceError.sender("UnknownOperationException",
              "The operation " + operation + " is not supported by Eventplane's CloudWatch Logs.")));
    };
  }

  /**
   * CreateLogGroup: refused when any node has the group (ResourceAlreadyExistsException, worded as
   * recorded against AWS), else created on the node that took the call. Two creates racing on two
   * nodes can both succeed; the group then merges as any group with streams on several nodes.
   */
  private Future<JsonObject> createLogGroup(JsonObject in, RequestContext context) {
    String name = LogsInputs.string(in, "logGroupName");
    if (name != null && name.length() > 512) {
      throw LogsErrors.invalidParameter("Invalid LogGroup or LogStream, both must have length less than or equal to 512.");
    }
    String group = LogsInputs.requiredGroupName(in);
    JsonObject q = new JsonObject().put("account", context.accountId()).put("region", context.region());
    return nodes.ask(NODE_GROUPS, q, context).compose(answers -> {
      for (JsonObject a : answers) {
        for (Object o : a.getJsonArray("groups")) {
          if (LogGroupInfo.fromJson((JsonObject) o).name().equals(group)) throw alreadyExists("log group");
        }
      }
      return nodes.ask(NODE_CREATE_GROUP, q.copy().put("group", group).put("now", System.currentTimeMillis()), context);
    }).map(created -> new JsonObject());
  }

  /** CreateLogStream: the group must exist on some node and the stream on none; created on the node that took the call. */
  private Future<JsonObject> createLogStream(JsonObject in, RequestContext context) {
    String group = LogsInputs.requiredGroupName(in);
    String stream = LogsInputs.requiredStream(in);
    JsonObject q = new JsonObject().put("account", context.accountId()).put("region", context.region()).put("group", group);
    return nodes.ask(NODE_GROUPS, q, context).compose(groups -> {
      Long created = null;
      for (JsonObject a : groups) {
        for (Object o : a.getJsonArray("groups")) {
          LogGroupInfo g = LogGroupInfo.fromJson((JsonObject) o);
          if (g.name().equals(group)) created = created == null ? g.creationTime() : Math.min(created, g.creationTime());
        }
      }
      if (created == null) throw LogsErrors.groupNotFound();
      long groupCreated = created;
      return nodes.ask(NODE_STREAMS, q, context).compose(answers -> {
        for (JsonObject a : answers) {
          for (Object o : a.getJsonArray("streams")) {
            if (LogStreamInfo.fromJson((JsonObject) o).name().equals(stream)) throw alreadyExists("log stream");
          }
        }
        return nodes.ask(NODE_CREATE_STREAM, q.copy().put("stream", stream).put("now", System.currentTimeMillis())
            .put("groupCreated", groupCreated), context);
      });
    }).map(done -> new JsonObject());
  }

  /**
   * PutLogEvents: the events (in chronological order, as the API requires) go to the node that has
   * the stream. The answer carries a nextSequenceToken, as AWS's still does though it ignores
   * the tokens it is given.
   */
  private Future<JsonObject> putLogEvents(JsonObject in, RequestContext context) {
    String group = LogsInputs.requiredGroupName(in);
    String stream = LogsInputs.requiredStream(in);
    JsonArray events = LogsInputs.logEvents(in);
    long now = System.currentTimeMillis();
    // Chronological order makes the events too old a leading run and those too new a trailing one.
    int tooOldEnd = 0;
    while (tooOldEnd < events.size() && timestamp(events, tooOldEnd) < now - MAX_AGE_MS) tooOldEnd++;
    int tooNewStart = tooOldEnd;
    while (tooNewStart < events.size() && timestamp(events, tooNewStart) <= now + MAX_AHEAD_MS) tooNewStart++;
    if (tooNewStart > tooOldEnd && timestamp(events, tooNewStart - 1) - timestamp(events, tooOldEnd) > MAX_SPAN_MS) {
      throw LogsErrors.invalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
    }
    JsonArray accepted = new JsonArray(new java.util.ArrayList<>(events.getList().subList(tooOldEnd, tooNewStart)));
    JsonObject q = new JsonObject().put("account", context.accountId()).put("region", context.region()).put("group", group)
        .put("stream", stream).put("events", accepted).put("first", tooOldEnd).put("now", now);
    int tooOld = tooOldEnd;
    int tooNew = tooNewStart;
    int count = events.size();
    return nodes.ask(NODE_PUT_EVENTS, q, context).map(answers -> {
      JsonObject found = answers.stream().filter(a -> a.getBoolean("found", false)).findFirst().orElse(null);
      if (found == null) throw LogsErrors.streamNotFound();
      JsonObject out = new JsonObject().put("nextSequenceToken", sequenceToken());
      JsonObject rejected = new JsonObject();
      if (tooNew < count) rejected.put("tooNewLogEventStartIndex", tooNew);
      if (tooOld > 0) rejected.put("tooOldLogEventEndIndex", tooOld);
      if (found.getInteger("expiredEnd") != null) rejected.put("expiredLogEventEndIndex", found.getInteger("expiredEnd"));
      if (!rejected.isEmpty()) out.put("rejectedLogEventsInfo", rejected);
      return out;
    });
  }

  private static long timestamp(JsonArray events, int i) {
    return events.getJsonObject(i).getLong("timestamp");
  }

  /**
   * Put/DeleteRetentionPolicy: recorded by every node that has the group, shown by
   * DescribeLogGroups; older events are no longer read, and are removed (at once, then by each
   * node's periodic sweep).
   */
  private Future<JsonObject> retention(JsonObject in, RequestContext context, boolean put) {
    String group = LogsInputs.requiredGroupName(in);
    Integer days = null;
    if (put) {
      Object v = in.getValue("retentionInDays");
      if (v == null) throw LogsErrors.constraint("retentionInDays", "null", "Member must not be null");
      if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || !RETENTION_DAYS.contains(n.intValue())) {
        throw LogsErrors.constraint("retentionInDays", v, "Member must satisfy enum value set: " + RETENTION_DAYS);
      }
      days = ((Number) v).intValue();
    }
    JsonObject q = new JsonObject().put("account", context.accountId()).put("region", context.region()).put("group", group)
        .put("days", days);
    return nodes.ask(NODE_RETENTION, q, context).map(answers -> {
      if (answers.stream().noneMatch(a -> a.getBoolean("hasGroup", false))) throw LogsErrors.groupNotFound();
      return new JsonObject();
    });
  }

  private static io.eventplane.common.error.ServiceException alreadyExists(String what) {
    return new io.eventplane.common.error.ServiceException(io.eventplane.common.error.ServiceError.sender(
        "ResourceAlreadyExistsException", "The specified " + what + " already exists"));
  }

  /** A token in the form AWS's have (56 decimal digits). */
  private static String sequenceToken() {
    StringBuilder out = new StringBuilder("4");
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int i = 1; i < 56; i++) out.append((char) ('0' + random.nextInt(10)));
    return out.toString();
  }

  private Future<JsonObject> describeLogGroups(JsonObject in, RequestContext context) {
    String prefix = LogsInputs.string(in, "logGroupNamePrefix");
    String pattern = LogsInputs.string(in, "logGroupNamePattern");
    if (prefix != null) LogNames.group("logGroupNamePrefix", prefix);
    if (prefix != null && pattern != null) {
      throw LogsErrors.invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
    }
    int limit = LogsInputs.limit(in, MAX_DESCRIBE, MAX_DESCRIBE);
    String after = decodeName(LogsInputs.token(in));
    return nodes.ask(NODE_GROUPS, new JsonObject().put("account", context.accountId()).put("region", context.region()), context).map(answers -> {
      TreeMap<String, LogGroupInfo> groups = new TreeMap<>();
      for (JsonObject a : answers) {
        for (Object o : a.getJsonArray("groups")) {
          LogGroupInfo g = LogGroupInfo.fromJson((JsonObject) o);
          groups.merge(g.name(), g, LogGroupInfo::merge);
        }
      }
      JsonArray out = new JsonArray();
      String last = null;
      boolean more = false;
      for (LogGroupInfo g : (after == null ? groups : groups.tailMap(after, false)).values()) {
        if (prefix != null && !g.name().startsWith(prefix)) continue;
        if (pattern != null && !g.name().toLowerCase(Locale.ROOT).contains(pattern.toLowerCase(Locale.ROOT))) continue;
        if (out.size() == limit) {
          more = true;
          break;
        }
        String arn = LogNames.groupArn(context.region(), context.accountId(), g.name());
        JsonObject group = new JsonObject().put("logGroupName", g.name()).put("creationTime", g.creationTime())
            .put("metricFilterCount", 0).put("arn", arn + ":*").put("logGroupClass", "STANDARD").put("logGroupArn", arn);
        // Recorded against AWS: a search by pattern answers without storedBytes and deletionProtectionEnabled.
        if (pattern == null) group.put("storedBytes", g.storedBytes()).put("deletionProtectionEnabled", false);
        if (g.retentionInDays() != null) group.put("retentionInDays", g.retentionInDays());
        out.add(group);
        last = g.name();
      }
      JsonObject reply = new JsonObject().put("logGroups", out);
      if (more) reply.put("nextToken", encodeName(last));
      return reply;
    });
  }

  private Future<JsonObject> describeLogStreams(JsonObject in, RequestContext context) {
    String group = LogsInputs.group(in);
    String prefix = LogsInputs.string(in, "logStreamNamePrefix");
    if (prefix != null) LogNames.stream("logStreamNamePrefix", prefix);
    String orderBy = LogsInputs.string(in, "orderBy");
    if (orderBy != null && !orderBy.equals("LogStreamName") && !orderBy.equals("LastEventTime")) {
      throw LogsErrors.constraint("orderBy", orderBy, "Member must satisfy enum value set: [LogStreamName, LastEventTime]");
    }
    boolean byTime = "LastEventTime".equals(orderBy);
    if (byTime && prefix != null) {
      throw LogsErrors.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    boolean descending = Boolean.TRUE.equals(LogsInputs.bool(in, "descending"));
    int limit = LogsInputs.limit(in, MAX_DESCRIBE, MAX_DESCRIBE);
    int offset = decodeOffset(LogsInputs.token(in));
    JsonObject q = new JsonObject().put("account", context.accountId()).put("region", context.region()).put("group", group);
    return nodes.ask(NODE_STREAMS, q, context).map(answers -> {
      boolean found = false;
      List<LogStreamInfo> streams = new ArrayList<>();
      for (JsonObject a : answers) {
        found |= a.getBoolean("hasGroup");
        for (Object o : a.getJsonArray("streams")) streams.add(LogStreamInfo.fromJson((JsonObject) o));
      }
      if (!found) throw LogsErrors.groupNotFound();
      if (prefix != null) streams.removeIf(s -> !s.name().startsWith(prefix));
      Comparator<LogStreamInfo> order = byTime
          ? Comparator.comparing((LogStreamInfo s) -> s.lastEventTimestamp() == null ? 0L : s.lastEventTimestamp())
              .thenComparing(LogStreamInfo::name)
          : Comparator.comparing(LogStreamInfo::name);
      streams.sort(descending ? order.reversed() : order);
      JsonArray out = new JsonArray();
      int end = Math.min(streams.size(), offset + limit);
      for (int i = offset; i < end; i++) {
        LogStreamInfo s = streams.get(i);
        out.add(s.toJson().put("arn", LogNames.streamArn(context.region(), context.accountId(), group, s.name()))
            .put("storedBytes", 0));
      }
      JsonObject reply = new JsonObject().put("logStreams", out);
      if (end < streams.size()) reply.put("nextToken", encodeOffset(end));
      return reply;
    });
  }

  private Future<JsonObject> getLogEvents(JsonObject in, RequestContext context) {
    String group = LogsInputs.group(in);
    String stream = LogsInputs.requiredStream(in);
    JsonObject q = new JsonObject().put("account", context.accountId()).put("region", context.region()).put("group", group).put("stream", stream)
        .put("startTime", LogsInputs.timestamp(in, "startTime")).put("endTime", LogsInputs.timestamp(in, "endTime"))
        .put("token", LogsInputs.token(in)).put("startFromHead", Boolean.TRUE.equals(LogsInputs.bool(in, "startFromHead")))
        .put("limit", LogsInputs.limit(in, MAX_EVENTS, MAX_EVENTS));
    LogsInputs.bool(in, "unmask");
    return nodes.ask(NODE_EVENTS, q, context).map(answers -> {
      boolean hasGroup = false;
      for (JsonObject a : answers) {
        if (a.getBoolean("found")) {
          return new JsonObject().put("events", a.getJsonArray("events"))
              .put("nextForwardToken", a.getString("nextForwardToken"))
              .put("nextBackwardToken", a.getString("nextBackwardToken"));
        }
        hasGroup |= a.getBoolean("hasGroup");
      }
      throw hasGroup ? LogsErrors.streamNotFound() : LogsErrors.groupNotFound();
    });
  }

  private Future<JsonObject> filterLogEvents(JsonObject in, RequestContext context) {
    String group = LogsInputs.group(in);
    List<String> names = LogsInputs.streamNames(in);
    String prefix = LogsInputs.string(in, "logStreamNamePrefix");
    if (prefix != null) LogNames.stream("logStreamNamePrefix", prefix);
    if (names != null && prefix != null) {
      throw LogsErrors.invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
    }
    String pattern = LogsInputs.string(in, "filterPattern");
    if (pattern != null && pattern.length() > 1024) {
      throw LogsErrors.constraint("filterPattern", pattern, "Member must have length less than or equal to 1024");
    }
    FilterPattern.parse(pattern);
    String token = LogsInputs.token(in);
    if (token != null) FilterKey.ofToken(token);
    int limit = LogsInputs.limit(in, MAX_EVENTS, MAX_EVENTS);
    LogsInputs.bool(in, "interleaved");
    LogsInputs.bool(in, "unmask");
    JsonObject q = new JsonObject().put("account", context.accountId()).put("region", context.region()).put("group", group)
        .put("streams", names == null ? null : new JsonArray(new ArrayList<>(names))).put("prefix", prefix)
        .put("startTime", LogsInputs.timestamp(in, "startTime")).put("endTime", LogsInputs.timestamp(in, "endTime"))
        .put("pattern", pattern).put("after", token).put("limit", limit + 1);
    return nodes.ask(NODE_FILTER, q, context).map(answers -> {
      boolean hasGroup = false;
      List<Map.Entry<FilterKey, JsonObject>> keyed = new ArrayList<>();
      for (JsonObject a : answers) {
        hasGroup |= a.getBoolean("hasGroup");
        for (Object o : a.getJsonArray("events")) {
          JsonObject e = (JsonObject) o;
          keyed.add(Map.entry(FilterKey.ofToken(e.getString("key")), e));
        }
      }
      if (!hasGroup) throw LogsErrors.groupNotFound();
      keyed.sort(Map.Entry.comparingByKey());
      List<JsonObject> events = keyed.stream().map(Map.Entry::getValue).toList();
      JsonArray out = new JsonArray();
      int bytes = 0;
      String last = null;
      boolean more = false;
      for (JsonObject e : events) {
        int size = e.getString("message").getBytes(StandardCharsets.UTF_8).length + 26;
        if (out.size() == limit || (bytes + size > MAX_RESPONSE_BYTES && !out.isEmpty())) {
          more = true;
          break;
        }
        bytes += size;
        last = (String) e.remove("key");
        out.add(e);
      }
      JsonObject reply = new JsonObject().put("events", out).put("searchedLogStreams", new JsonArray());
      if (more) reply.put("nextToken", last);
      return reply;
    });
  }

  private Future<JsonObject> deleteLogGroup(JsonObject in, RequestContext context) {
    String group = LogsInputs.requiredGroupName(in);
    return nodes.ask(NODE_DELETE_GROUP, new JsonObject().put("account", context.accountId()).put("region", context.region()).put("group", group), context)
        .map(answers -> {
          if (answers.stream().noneMatch(a -> a.getBoolean("deleted"))) throw LogsErrors.groupNotFound();
          return new JsonObject();
        });
  }

  private Future<JsonObject> deleteLogStream(JsonObject in, RequestContext context) {
    String group = LogsInputs.requiredGroupName(in);
    String stream = LogsInputs.requiredStream(in);
    JsonObject q = new JsonObject().put("account", context.accountId()).put("region", context.region()).put("group", group).put("stream", stream);
    return nodes.ask(NODE_DELETE_STREAM, q, context).map(answers -> {
      if (answers.stream().anyMatch(a -> a.getBoolean("deleted"))) return new JsonObject();
      throw answers.stream().anyMatch(a -> a.getBoolean("hasGroup")) ? LogsErrors.streamNotFound() : LogsErrors.groupNotFound();
    });
  }

  private static String encodeName(String name) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("n " + name).getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeName(String token) {
    if (token == null) return null;
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (s.startsWith("n ")) return s.substring(2);
    } catch (IllegalArgumentException e) {
      // below
    }
    throw LogsErrors.invalidToken();
  }

  private static String encodeOffset(int offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("o " + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int decodeOffset(String token) {
    if (token == null) return 0;
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (s.startsWith("o ")) {
        int offset = Integer.parseInt(s.substring(2));
        if (offset >= 0) return offset;
      }
    } catch (IllegalArgumentException e) {
      // below
    }
    throw LogsErrors.invalidToken();
  }
}
