package io.eventplane.cloudtrail.api;

import io.eventplane.cloudtrail.domain.TrailNames;
import io.eventplane.cloudtrail.store.AuditStore;
import io.eventplane.common.audit.DataSelection;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Batch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trails of a lane's partitions: a trail lives in the audit partition of its account and region,
 * beside the records it selects, so one lane decides both. Held in memory per partition (loaded when
 * the lane takes it), every change written through the partition's writer before it is answered.
 * Used only on the lane's context.
 */
public final class Trails {
  private static final String[] SETTINGS = {"S3KeyPrefix", "SnsTopicName", "CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn",
      "KmsKeyId"};

  private final Vertx vertx;
  private final Context context;
  private final AuditStore store;
  private final Clock clock;
  /** By partition, by account \0 region \0 name. */
  private final Map<Integer, Map<String, JsonObject>> trails = new HashMap<>();

  private final java.util.function.IntToLongFunction cursor;

  /** @param cursor a partition's last record sequence */
  public Trails(Vertx vertx, Context context, AuditStore store, Clock clock, java.util.function.IntToLongFunction cursor) {
    this.cursor = cursor;
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.clock = clock;
  }

  public Future<Void> load(int partition) {
    return vertx.executeBlocking(() -> store.loadTrails(partition), false).map(list -> {
      Map<String, JsonObject> byName = new TreeMap<>();
      for (JsonObject t : list) byName.put(key(t.getString("Account"), t.getString("Region"), t.getString("Name")), t);
      trails.put(partition, byName);
      return null;
    });
  }

  public void unload(int partition) {
    trails.remove(partition);
  }

  public void clear() {
    trails.replaceAll((p, m) -> new TreeMap<>());
    vertx.eventBus().publish(Contracts.CLOUDTRAIL_SELECTION, new JsonObject().put("All", true));
  }

  /** The logging trails of an account and region (for data events and log files). */
  public List<JsonObject> logging(String account, String region) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject t : of(AuditPartitions.of(account, region)).values()) {
      if (t.getString("Account").equals(account) && t.getString("Region").equals(region) && t.getBoolean("IsLogging", false)) {
        out.add(t);
      }
    }
    return out;
  }

  /** Every trail of a partition (log-file delivery walks them). */
  public List<JsonObject> all(int partition) {
    return new ArrayList<>(of(partition).values());
  }

  /**
   * Changes a trail as it is now (a delivery's progress), written through the partition's writer;
   * a trail deleted meanwhile stays deleted.
   */
  public Future<Void> change(String account, String region, String name, java.util.function.Consumer<JsonObject> change) {
    JsonObject now = existing(account, region, name);
    if (now == null) return Future.succeededFuture();
    JsonObject changed = now.copy();
    change.accept(changed);
    return write(changed, false);
  }

  /** A partition's last record sequence. */
  public long sequence(int partition) {
    return cursor.applyAsLong(partition);
  }

  /** The trail as it is now, or null. */
  public JsonObject current(String account, String region, String name) {
    return existing(account, region, name);
  }

  public Future<JsonObject> handle(ApiRequest request) {
    return switch (request.operation()) {
      case "CreateTrail" -> create(request);
      case "GetTrail" -> Future.succeededFuture(new JsonObject().put("Trail", view(find(request, "Name"))));
      case "DescribeTrails" -> describe(request);
      case "UpdateTrail" -> update(request);
      case "DeleteTrail" -> delete(request);
      case "StartLogging" -> logging(request, true);
      case "StopLogging" -> logging(request, false);
      case "GetTrailStatus" -> Future.succeededFuture(status(find(request, "Name")));
      case "PutEventSelectors" -> putSelectors(request);
      case "GetEventSelectors" -> Future.succeededFuture(selectors(find(request, "TrailName")));
      case "AddTags", "RemoveTags" -> tags(request);
      case "ListTags" -> Future.succeededFuture(listTags(request));
      default -> Future.failedFuture(new ServiceException(ServiceError.sender("InvalidAction", request.operation())));
    };
  }

  private Future<JsonObject> create(ApiRequest request) {
    JsonObject in = request.input();
    String name = in.getString("Name");
    if (name == null) throw new ServiceException(ServiceError.sender("TrailNotProvidedException", "Trail name is required."));
    TrailNames.check(name);
    String account = request.context().accountId();
    String region = request.context().region();
    String bucket = in.getString("S3BucketName");
    if (bucket == null || bucket.isEmpty()) {
      throw new ServiceException(ServiceError.sender("InvalidParameterException", "S3BucketName is required."));
    }
    if (existing(account, region, name) != null) throw exists(account, name);
    return bucketExists(request, bucket).compose(v -> {
      if (existing(account, region, name) != null) return Future.failedFuture(exists(account, name));
      JsonObject trail = new JsonObject().put("Name", name).put("Account", account).put("Region", region)
          .put("S3BucketName", bucket)
          .put("IncludeGlobalServiceEvents", in.getBoolean("IncludeGlobalServiceEvents", true))
          .put("IsMultiRegionTrail", in.getBoolean("IsMultiRegionTrail", false))
          .put("LogFileValidationEnabled", in.getBoolean("EnableLogFileValidation", false))
          .put("IsOrganizationTrail", in.getBoolean("IsOrganizationTrail", false))
          .put("IsLogging", false)
          .put("Tags", tagMap(in.getJsonArray("TagsList", new JsonArray())))
          .put("Created", clock.millis());
      for (String s : SETTINGS) if (in.getString(s) != null) trail.put(s, in.getString(s));
      return write(trail, false).map(x -> settings(trail));
    });
  }

  private Future<JsonObject> update(ApiRequest request) {
    JsonObject trail = find(request, "Name").copy();
    JsonObject in = request.input();
    String bucket = in.getString("S3BucketName");
    Future<Void> checked = bucket == null ? Future.succeededFuture() : bucketExists(request, bucket);
    return checked.compose(v -> {
      if (bucket != null) trail.put("S3BucketName", bucket);
      if (in.getBoolean("IncludeGlobalServiceEvents") != null) trail.put("IncludeGlobalServiceEvents", in.getBoolean("IncludeGlobalServiceEvents"));
      if (in.getBoolean("IsMultiRegionTrail") != null) trail.put("IsMultiRegionTrail", in.getBoolean("IsMultiRegionTrail"));
      if (in.getBoolean("EnableLogFileValidation") != null) trail.put("LogFileValidationEnabled", in.getBoolean("EnableLogFileValidation"));
      if (in.getBoolean("IsOrganizationTrail") != null) trail.put("IsOrganizationTrail", in.getBoolean("IsOrganizationTrail"));
      for (String s : SETTINGS) {
        if (in.getString(s) == null) continue;
        if (in.getString(s).isEmpty()) trail.remove(s);
        else trail.put(s, in.getString(s));
      }
      return write(trail, false).map(x -> settings(trail));
    });
  }

  private Future<JsonObject> delete(ApiRequest request) {
    return write(find(request, "Name"), true).map(v -> new JsonObject());
  }

  private Future<JsonObject> logging(ApiRequest request, boolean on) {
    JsonObject trail = find(request, "Name").copy();
    if (trail.getBoolean("IsLogging", false) != on) {
      trail.put("IsLogging", on).put(on ? "StartLoggingTime" : "StopLoggingTime", clock.millis());
      // A trail that starts logging delivers the records that come after this moment.
      if (on && !trail.containsKey("Pending")) trail.put("Cursor", cursor.applyAsLong(AuditPartitions.of(trail.getString("Account"),
          trail.getString("Region")))).put("CursorTime", clock.millis());
    }
    return write(trail, false).map(v -> new JsonObject());
  }

  private Future<JsonObject> describe(ApiRequest request) {
    String account = request.context().accountId();
    String region = request.context().region();
    JsonArray names = request.input().getJsonArray("trailNameList");
    JsonArray out = new JsonArray();
    if (names == null || names.isEmpty()) {
      for (JsonObject t : of(AuditPartitions.of(account, region)).values()) {
        if (t.getString("Account").equals(account) && t.getString("Region").equals(region)) out.add(view(t));
      }
    } else {
      for (Object n : names) {
        JsonObject t = existing(account, region, TrailNames.nameOf(String.valueOf(n)));
        if (t != null) out.add(view(t));
      }
    }
    return Future.succeededFuture(new JsonObject().put("trailList", out));
  }

  private Future<JsonObject> putSelectors(ApiRequest request) {
    JsonObject trail = find(request, "TrailName").copy();
    JsonArray basic = request.input().getJsonArray("EventSelectors");
    JsonArray advanced = request.input().getJsonArray("AdvancedEventSelectors");
    Selectors.check(basic, advanced);
    if (basic != null) {
      trail.put("EventSelectors", Selectors.withDefaults(basic)).remove("AdvancedEventSelectors");
    } else {
      trail.put("AdvancedEventSelectors", advanced).remove("EventSelectors");
    }
    return write(trail, false).map(v -> selectors(trail));
  }

  private Future<JsonObject> tags(ApiRequest request) {
    JsonObject trail = byArn(request).copy();
    JsonObject tags = trail.getJsonObject("Tags", new JsonObject()).copy();
    JsonArray list = request.input().getJsonArray("TagsList", new JsonArray());
    for (Object o : list) {
      JsonObject tag = (JsonObject) o;
      String key = tag.getString("Key");
      if (key == null || key.isEmpty()) {
        throw new ServiceException(ServiceError.sender("InvalidTagParameterException", "Tag key must not be empty."));
      }
      if (request.operation().equals("AddTags")) tags.put(key, tag.getString("Value", ""));
      else tags.remove(key);
    }
    if (tags.size() > 50) {
      throw new ServiceException(ServiceError.sender("TagsLimitExceededException", "The number of tags exceeds the limit of 50."));
    }
    trail.put("Tags", tags);
    return write(trail, false).map(v -> new JsonObject());
  }

  private JsonObject listTags(ApiRequest request) {
    JsonArray out = new JsonArray();
    for (Object id : request.input().getJsonArray("ResourceIdList", new JsonArray())) {
      JsonObject trail = byArn(request, String.valueOf(id));
      JsonArray list = new JsonArray();
      trail.getJsonObject("Tags", new JsonObject()).forEach(e -> list.add(new JsonObject().put("Key", e.getKey()).put("Value", e.getValue())));
      out.add(new JsonObject().put("ResourceId", String.valueOf(id)).put("TagsList", list));
    }
    return new JsonObject().put("ResourceTagList", out);
  }

  private JsonObject byArn(ApiRequest request) {
    return byArn(request, request.input().getString("ResourceId"));
  }

  private JsonObject byArn(ApiRequest request, String arn) {
    if (arn == null || !arn.startsWith("arn:")) {
      throw new ServiceException(ServiceError.sender("CloudTrailARNInvalidException", "Invalid ARN: " + arn));
    }
    String name = TrailNames.nameOf(arn);
    JsonObject t = existing(request.context().accountId(), request.context().region(), name);
    if (t == null) {
      throw new ServiceException(ServiceError.sender("ResourceNotFoundException", "Resource not found: " + arn));
    }
    return t;
  }

  /** The trail the member names (a name or an ARN) in the caller's account and region, or TrailNotFoundException. */
  private JsonObject find(ApiRequest request, String member) {
    String account = request.context().accountId();
    String region = request.context().region();
    String name = TrailNames.nameOf(request.input().getString(member));
    JsonObject t = existing(account, region, name);
    if (t == null) {
      throw new ServiceException(ServiceError.sender("TrailNotFoundException",
          "Unknown trail: " + TrailNames.arn(region, account, name) + " for the user: " + account));
    }
    return t;
  }

  private JsonObject existing(String account, String region, String name) {
    return of(AuditPartitions.of(account, region)).get(key(account, region, name));
  }

  private Map<String, JsonObject> of(int partition) {
    return trails.getOrDefault(partition, Map.of());
  }

  private Future<Void> write(JsonObject trail, boolean delete) {
    String account = trail.getString("Account");
    String region = trail.getString("Region");
    String name = trail.getString("Name");
    int partition = AuditPartitions.of(account, region);
    Batch b = store.batch();
    if (delete) store.deleteTrail(b, partition, account, region, name);
    else store.putTrail(b, partition, account, region, name, trail);
    return store.commit(partition, b, context).onSuccess(v -> {
      DataSelection before = dataSelection(account, region);
      Map<String, JsonObject> m = trails.computeIfAbsent(partition, p -> new TreeMap<>());
      if (delete) m.remove(key(account, region, name));
      else m.put(key(account, region, name), trail);
      // Published before the change is answered, so a gateway hears of it ahead of the caller's next call
      // through it (a gateway that misses it catches up within its cache's time to live).
      if (!before.equals(dataSelection(account, region))) {
        vertx.eventBus().publish(Contracts.CLOUDTRAIL_SELECTION, new JsonObject().put("Account", account).put("Region", region));
      }
    });
  }

  /** What the logging trails of an account and region select among data events (the gateways' cut). */
  public DataSelection dataSelection(String account, String region) {
    return Selectors.dataSelection(logging(account, region));
  }

  /** S3BucketDoesNotExistException unless S3 knows the bucket. */
  private Future<Void> bucketExists(ApiRequest request, String bucket) {
    ApiRequest head = new ApiRequest("HeadBucket", new JsonObject().put("Bucket", bucket), request.context());
    return vertx.eventBus().<ApiReply>request(Contracts.S3, head, new DeliveryOptions().setSendTimeout(30_000)).compose(m -> {
      ApiReply reply = m.body();
      if (reply.succeeded()) return Future.succeededFuture();
      String code = reply.error().code();
      if (code.equals("NoSuchBucket") || code.equals("NotFound") || code.equals("InvalidBucketName")) {
        return Future.failedFuture(new ServiceException(ServiceError.sender("S3BucketDoesNotExistException",
            "S3 bucket " + bucket + " does not exist.")));
      }
      return Future.failedFuture(new ServiceException(reply.error()));
    });
  }

  private static ServiceException exists(String account, String name) {
    return new ServiceException(ServiceError.sender("TrailAlreadyExistsException",
        "Trail " + name + " already exists for customer: " + account));
  }

  private static String key(String account, String region, String name) {
    return account + "\0" + region + "\0" + name;
  }

  private static JsonObject tagMap(JsonArray list) {
    JsonObject tags = new JsonObject();
    for (Object o : list) if (o instanceof JsonObject t && t.getString("Key") != null) tags.put(t.getString("Key"), t.getString("Value", ""));
    return tags;
  }

  private static String arnOf(JsonObject t) {
    return TrailNames.arn(t.getString("Region"), t.getString("Account"), t.getString("Name"));
  }

  /** CreateTrail's and UpdateTrail's answer. */
  private static JsonObject settings(JsonObject t) {
    JsonObject out = new JsonObject().put("Name", t.getString("Name")).put("S3BucketName", t.getString("S3BucketName"));
    for (String s : SETTINGS) if (t.getString(s) != null) out.put(s, t.getString(s));
    if (t.getString("SnsTopicName") != null) {
      out.put("SnsTopicARN", "arn:aws:sns:" + t.getString("Region") + ":" + t.getString("Account") + ":" + t.getString("SnsTopicName"));
    }
    return out.put("IncludeGlobalServiceEvents", t.getBoolean("IncludeGlobalServiceEvents"))
        .put("IsMultiRegionTrail", t.getBoolean("IsMultiRegionTrail"))
        .put("TrailARN", arnOf(t))
        .put("LogFileValidationEnabled", t.getBoolean("LogFileValidationEnabled"))
        .put("IsOrganizationTrail", t.getBoolean("IsOrganizationTrail"));
  }

  /** A trail as GetTrail and DescribeTrails show it. */
  private static JsonObject view(JsonObject t) {
    JsonObject out = settings(t);
    out.remove("LogFileValidationEnabled");
    out.remove("IsOrganizationTrail");
    return out.put("HomeRegion", t.getString("Region"))
        .put("LogFileValidationEnabled", t.getBoolean("LogFileValidationEnabled"))
        .put("HasCustomEventSelectors", t.containsKey("EventSelectors") || t.containsKey("AdvancedEventSelectors"))
        .put("HasInsightSelectors", false)
        .put("IsOrganizationTrail", t.getBoolean("IsOrganizationTrail"));
  }

  private static JsonObject selectors(JsonObject t) {
    JsonObject out = new JsonObject().put("TrailARN", arnOf(t));
    if (t.containsKey("AdvancedEventSelectors")) return out.put("AdvancedEventSelectors", t.getJsonArray("AdvancedEventSelectors"));
    return out.put("EventSelectors", t.getJsonArray("EventSelectors", Selectors.DEFAULT));
  }

  private static JsonObject status(JsonObject t) {
    JsonObject out = new JsonObject().put("IsLogging", t.getBoolean("IsLogging", false));
    if (t.getLong("StartLoggingTime") != null) {
      out.put("StartLoggingTime", t.getLong("StartLoggingTime") / 1000.0)
          .put("TimeLoggingStarted", Selectors.isoTime(t.getLong("StartLoggingTime")));
    }
    if (t.getLong("StopLoggingTime") != null) {
      out.put("StopLoggingTime", t.getLong("StopLoggingTime") / 1000.0)
          .put("TimeLoggingStopped", Selectors.isoTime(t.getLong("StopLoggingTime")));
    }
    if (t.getLong("LatestDeliveryTime") != null) {
      out.put("LatestDeliveryTime", t.getLong("LatestDeliveryTime") / 1000.0)
          .put("LatestDeliveryAttemptTime", Selectors.isoTime(t.getLong("LatestDeliveryTime")))
          .put("LatestDeliveryAttemptSucceeded", Selectors.isoTime(t.getLong("LatestDeliveryTime")));
    }
    if (t.getString("LatestDeliveryError") != null) out.put("LatestDeliveryError", t.getString("LatestDeliveryError"));
    return out;
  }
}
