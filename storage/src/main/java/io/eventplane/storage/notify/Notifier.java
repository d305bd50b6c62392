package io.eventplane.storage.notify;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.NotificationConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers the outbox: each notice (one event for one queue, topic or function) is sent through
 * the destination service on the event bus and deleted once that service has it. A failed send is
 * tried again with a growing pause (up to a minute) for as long as the destination may come back;
 * a destination that no longer exists drops the notice, as S3 does. Survives restarts and
 * failovers: the notices are keys of the bucket's partition, resumed by whoever owns it.
 *
 * <p>In {@code --auth iam} each attempt first asks {@link DestinationPermissions} whether the queue's,
 * topic's or function's policy still lets S3 send the bucket's events there: a notice it refuses is
 * dropped (as AWS drops events a destination's policy no longer allows), logged at INFO the first time
 * a bucket's destination refuses and at FINE after that, until it allows again; a policy that could
 * not be read (its service did not answer) is asked again later, like a failed send. In the other
 * modes nothing is asked.
 */
public final class Notifier {
  private static final Logger LOG = Logger.getLogger(Notifier.class.getName());
  private static final Set<String> GONE = Set.of("QueueDoesNotExist", "NotFound", "ResourceNotFoundException",
      "AWS.SimpleQueueService.NonExistentQueue");
  private static final long SEND_TIMEOUT_MILLIS = 30_000;
  /** EventBridge's internal action for events of other services (no dependency on the eventbridge module). */
  private static final String PUT_SERVICE_EVENTS = "eventplane:PutServiceEvents";
  private static final long MAX_PAUSE_MILLIS = 60_000;

  /** How many refused (bucket, destination) pairs are remembered as already logged; forgotten whole past it. */
  private static final int MAX_REFUSALS_LOGGED = 10_000;

  private final Vertx vertx;
  private final Buckets buckets;
  private final DestinationPermissions permissions;
  private final Map<String, Integer> attempts = new HashMap<>();
  /** The notices being delivered (or waiting for another try), by partition and sequence: their bucket. */
  private final Map<Pending, String> pending = new HashMap<>();
  /** Whether {@link #pending} is kept: only with metrics on ({@link #trackPending()}). */
  private boolean trackPending;

  private record Pending(int partition, long seq) {}

  /** The bucket-to-destination pairs whose refusal was logged at INFO (the lane's thread only). */
  private final Set<String> refusalsLogged = new HashSet<>();

  public Notifier(Vertx vertx, Buckets buckets, DestinationPermissions permissions) {
    this.vertx = vertx;
    this.buckets = buckets;
    this.permissions = permissions;
  }

  /** Keeps the notices not yet delivered from now on, for {@link #pendingByBucket()} (metrics on). */
  public void trackPending() {
    trackPending = true;
  }

  /**
   * The notices not yet delivered, by bucket, of the partitions this lane owns (those of partitions
   * gone are forgotten: their new owner delivers them). On the lane's context.
   */
  public Map<String, Integer> pendingByBucket() {
    pending.keySet().removeIf(p -> !buckets.owns(p.partition()));
    Map<String, Integer> out = new HashMap<>();
    for (String bucket : pending.values()) out.merge(bucket, 1, Integer::sum);
    return out;
  }

  /** Whether destinations' policies are judged here (iam mode). */
  public DestinationPermissions permissions() {
    return permissions;
  }

  /** Starts delivering a notice committed to the partition's outbox ({@code seq} set). */
  public void deliver(int partition, JsonObject notice) {
    if (trackPending) pending.computeIfAbsent(new Pending(partition, notice.getLong("seq")), p -> String.valueOf(bucketOf(notice)));
    String kind = notice.getString("kind");
    if (!permissions.judges() || DestinationPermissions.actionOf(kind) == null) {
      sendAndSettle(partition, notice);
      return;
    }
    String bucket = bucketOf(notice);
    String arn = notice.getString("arn");
    permissions.check(kind, arn, bucket, notice.getString("account")).onComplete(ar -> {
      if (!buckets.owns(partition)) {
        attempts.remove(partition + "/" + notice.getLong("seq"));
        return; // another node delivers it now
      }
      String pair = bucket + " -> " + arn;
      if (ar.result().allowed()) {
        refusalsLogged.remove(pair);
        sendAndSettle(partition, notice);
        return;
      }
      if (ar.result().unavailable()) {
        // Not a judgement of the policy (its service did not answer): asked again later, like a failed send.
        LOG.log(Level.FINE, () -> "S3 notification of bucket " + bucket + " to " + arn + " waits: " + ar.result().reason());
        retryLater(partition, notice);
        return;
      }
      if (refusalsLogged.size() >= MAX_REFUSALS_LOGGED) refusalsLogged.clear();
      Level level = refusalsLogged.add(pair) ? Level.INFO : Level.FINE;
      LOG.log(level, () -> "dropping an S3 notification of bucket " + bucket + " to " + arn + ": " + ar.result().reason());
      settled(partition, notice.getLong("seq"));
    });
  }

  /** The bucket a notice is about (notices written before they named it: the event's own record). */
  static String bucketOf(JsonObject notice) {
    String bucket = notice.getString("bucket");
    if (bucket != null) return bucket;
    try {
      return new JsonObject(notice.getString("event")).getJsonArray("Records").getJsonObject(0).getJsonObject("s3")
          .getJsonObject("bucket").getString("name");
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The notice is done with (delivered, or dropped for good): out of the outbox. */
  private void settled(int partition, long seq) {
    attempts.remove(partition + "/" + seq);
    if (trackPending) pending.remove(new Pending(partition, seq));
    Batch b = buckets.store().batch();
    buckets.store().deleteNotice(b, partition, seq);
    buckets.commit(partition, b).onFailure(e -> LOG.log(Level.WARNING, "could not delete a delivered notice", e));
  }

  private void sendAndSettle(int partition, JsonObject notice) {
    long seq = notice.getLong("seq");
    String id = partition + "/" + seq;
    send(notice).onComplete(ar -> {
      if (!buckets.owns(partition)) {
        attempts.remove(id);
        return; // another node delivers it now
      }
      String code = ar.succeeded() ? (ar.result().succeeded() ? null : ar.result().error().code()) : "BusFailure";
      if (code == null || GONE.contains(code)) {
        if (code != null) LOG.log(Level.INFO, "dropping an S3 notification to " + notice.getString("arn") + ": " + code);
        settled(partition, seq);
        return;
      }
      retryLater(partition, notice);
    });
  }

  /** Tries the notice again after a pause that grows with its attempts (up to a minute). */
  private void retryLater(int partition, JsonObject notice) {
    int n = attempts.merge(partition + "/" + notice.getLong("seq"), 1, Integer::sum);
    long pause = Math.min(MAX_PAUSE_MILLIS, 250L << Math.min(n, 8));
    vertx.setTimer(pause, t -> {
      if (buckets.owns(partition)) deliver(partition, notice);
    });
  }

  /** Sends once, not from the outbox (the s3:TestEvent of a saved configuration); completes with the destination's answer. */
  public Future<ApiReply> sendOnce(String kind, String arn, String body) {
    return send(new JsonObject().put("kind", kind).put("arn", arn).put("event", body));
  }

  /** Asks the destination's service whether it exists (a configuration naming a missing one is refused). */
  public Future<ApiReply> exists(String kind, String arn) {
    String[] parts = arn.split(":", 7);
    if (parts.length < 6) return notAnArn(arn);
    RequestContext context = contextOf(parts);
    ApiRequest request;
    String address;
    switch (kind) {
      case "QUEUE" -> {
        address = Contracts.SQS;
        request = new ApiRequest("GetQueueUrl", new JsonObject().put("QueueName", parts[5])
            .put("QueueOwnerAWSAccountId", parts[4]), context);
      }
      case "TOPIC" -> {
        address = Contracts.SNS;
        request = new ApiRequest("GetTopicAttributes", new JsonObject().put("TopicArn", arn), context);
      }
      default -> {
        address = Contracts.LAMBDA;
        request = new ApiRequest("GetFunctionConfiguration", new JsonObject().put("FunctionName", arn), context);
      }
    }
    return vertx.eventBus().<ApiReply>request(address, request, new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS))
        .map(m -> m.body());
  }

  private Future<ApiReply> send(JsonObject notice) {
    String arn = notice.getString("arn");
    String[] parts = arn.split(":", 7);
    if (parts.length < 6) return notAnArn(arn);
    String account = parts[4];
    RequestContext context = contextOf(parts);
    String event = notice.getString("event");
    ApiRequest request;
    String address;
    switch (notice.getString("kind")) {
      case "QUEUE" -> {
        address = Contracts.SQS;
        request = new ApiRequest("SendMessage", new JsonObject()
            .put("QueueUrl", "http://eventplane.internal/" + account + "/" + parts[5]).put("MessageBody", event), context);
      }
      case "TOPIC" -> {
        address = Contracts.SNS;
        request = new ApiRequest("Publish", new JsonObject().put("TopicArn", arn).put("Message", event)
            .put("Subject", "Amazon S3 Notification"), context);
      }
      case NotificationConfig.EVENTBRIDGE -> {
        return toEventBridge(new JsonObject(event), context);
      }
      default -> {
        address = Contracts.LAMBDA;
        request = new ApiRequest("Invoke", new JsonObject().put("FunctionName", arn).put("InvocationType", "Event")
            .put("Payload", event.getBytes(java.nio.charset.StandardCharsets.UTF_8)), context);
      }
    }
    return vertx.eventBus().<ApiReply>request(address, request, new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS))
        .map(m -> m.body());
  }

  /**
   * An event for the default bus (the context's account and region), through EventBridge's internal
   * {@code eventplane:PutServiceEvents}. The entry's own answer decides: InternalFailure (the bus's
   * owner could not store it) is retried like a failed send; any other entry error cannot get better
   * by retrying and drops the notice.
   */
  private Future<ApiReply> toEventBridge(JsonObject entry, RequestContext context) {
    ApiRequest request = new ApiRequest(PUT_SERVICE_EVENTS, new JsonObject().put("Entries", new JsonArray().add(entry)), context);
    return vertx.eventBus().<ApiReply>request(Contracts.EVENTS, request, new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MILLIS))
        .map(m -> {
          ApiReply reply = m.body();
          if (!reply.succeeded()) return reply;
          JsonArray results = reply.output().getJsonArray("Entries", new JsonArray());
          JsonObject result = results.isEmpty() ? new JsonObject() : results.getJsonObject(0);
          String code = result.getString("ErrorCode");
          if (code == null) return reply;
          return ApiReply.failed(new io.eventplane.common.error.ServiceError("InternalFailure".equals(code) ? code : "NotFound",
              code + ": " + result.getString("ErrorMessage"), io.eventplane.common.error.Fault.RECEIVER));
        });
  }

  /** A call about the resource of an ARN's parts runs in that resource's account and region. */
  private static RequestContext contextOf(String[] arnParts) {
    return new RequestContext(arnParts[4], arnParts[3], Ids.uuid(), "http://eventplane.internal");
  }

  private static Future<ApiReply> notAnArn(String arn) {
    return Future.succeededFuture(ApiReply.failed(
        new io.eventplane.common.error.ServiceError("NotFound", "not an ARN: " + arn, io.eventplane.common.error.Fault.SENDER)));
  }
}
