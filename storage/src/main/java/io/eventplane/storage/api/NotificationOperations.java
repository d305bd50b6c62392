package io.eventplane.storage.api;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.NotificationConfig;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.S3EventRecord;
import io.eventplane.storage.notify.DestinationPermissions;
import io.eventplane.storage.notify.Notifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Put/GetBucketNotificationConfiguration. A configuration is validated as S3 validates it (event
 * types, filter rules, overlaps), then each queue, topic and function destination: it must exist and,
 * in {@code --auth iam}, its policy must let S3 send the bucket's events there
 * ({@link DestinationPermissions}). Every destination that fails is named in one InvalidArgument and
 * nothing is stored. The {@code x-amz-skip-destination-validation} header skips those checks and the
 * test events. Once saved, each queue and topic gets an {@code s3:TestEvent}.
 */
final class NotificationOperations {
  private final Buckets buckets;
  private final Notifier notifier;
  private final Clock clock;

  NotificationOperations(Buckets buckets, Notifier notifier, Clock clock) {
    this.buckets = buckets;
    this.notifier = notifier;
    this.clock = clock;
  }

  Future<JsonObject> get(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    return Future.succeededFuture(bucket.notifications() == null ? new JsonObject() : bucket.notifications().copy());
  }

  Future<JsonObject> put(JsonObject in, RequestContext ctx) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject config = in.getJsonObject("NotificationConfiguration", new JsonObject());
    List<NotificationConfig.Target> targets = NotificationConfig.parse(config);
    for (NotificationConfig.Target t : targets) {
      if (t.kind() == NotificationConfig.Kind.TOPIC && t.arn().endsWith(".fifo")) {
        throw S3Errors.invalidArgument("Unable to validate the following destination configurations", t.arn(),
            "FIFO SNS topics are not supported.");
      }
    }
    boolean skip = "true".equalsIgnoreCase(String.valueOf(in.getValue("SkipDestinationValidation")));
    Future<List<Map.Entry<String, String>>> validated = skip ? Future.succeededFuture(List.of()) : validate(bucket, targets);
    return validated.compose(refused -> {
      if (!refused.isEmpty()) throw S3Errors.destinationsNotValidated(refused);
      JsonObject canonical = targets.isEmpty() && config.getValue("EventBridgeConfiguration") == null ? null
          : NotificationConfig.canonical(config, targets);
      // Through update, so a configuration put at the same time (CORS, tags, ...) is not undone.
      return buckets.update(bucket.name(), current -> current.withNotifications(canonical)).map(v -> {
        if (skip) return new JsonObject();
        String test = S3EventRecord.testEvent(bucket.name(), clock.millis(), ctx.requestId(), Events.hostId(ctx.requestId()))
            .encode();
        for (NotificationConfig.Target t : targets) {
          if (t.kind() != NotificationConfig.Kind.FUNCTION) notifier.sendOnce(t.kind().name(), t.arn(), test);
        }
        return new JsonObject();
      });
    });
  }

  /**
   * The destinations S3 could not validate, in the configuration's order, each once: its name as S3
   * gives it and why (as S3 words it).
   */
  private Future<List<Map.Entry<String, String>>> validate(Bucket bucket, List<NotificationConfig.Target> targets) {
    List<NotificationConfig.Target> destinations = distinct(targets);
    List<Future<String>> checks = new ArrayList<>();
    for (NotificationConfig.Target t : destinations) {
      checks.add(notifier.exists(t.kind().name(), t.arn()).compose(reply -> {
        if (!reply.succeeded()) return Future.succeededFuture(missing(t));
        return notifier.permissions().check(t.kind().name(), t.arn(), bucket.name(), bucket.accountId())
            .map(verdict -> {
              if (verdict.unavailable()) {
                // Not the policy's answer: the caller may try again (500, as S3's InternalError).
                throw new io.eventplane.common.error.ServiceException(
                    io.eventplane.common.error.ServiceError.internal(verdict.reason()));
              }
              return verdict.allowed() ? null : refused(t);
            });
      }));
    }
    return Future.all(checks).map(done -> {
      List<Map.Entry<String, String>> out = new ArrayList<>();
      for (int i = 0; i < checks.size(); i++) {
        String why = checks.get(i).result();
        if (why != null) out.add(Map.entry(argumentName(destinations.get(i)), why));
      }
      return out;
    });
  }

  /** Each destination once (two configurations may name the same queue), in the order first named. */
  private static List<NotificationConfig.Target> distinct(List<NotificationConfig.Target> targets) {
    Map<String, NotificationConfig.Target> byDestination = new LinkedHashMap<>();
    for (NotificationConfig.Target t : targets) byDestination.putIfAbsent(t.kind() + " " + t.arn(), t);
    return new ArrayList<>(byDestination.values());
  }

  /** How S3 names a destination it refuses: the ARN; a function's as {@code "<arn>, null"}, as S3 answers. */
  private static String argumentName(NotificationConfig.Target t) {
    return t.kind() == NotificationConfig.Kind.FUNCTION ? t.arn() + ", null" : t.arn();
  }

  /** S3 asks Lambda whether it may invoke: a missing function reads as not authorized, as S3 words it. */
  private static String missing(NotificationConfig.Target t) {
    return t.kind() == NotificationConfig.Kind.FUNCTION ? notAuthorizedToInvoke(t)
        : "The destination " + describe(t.kind()) + " does not exist";
  }

  private static String refused(NotificationConfig.Target t) {
    return t.kind() == NotificationConfig.Kind.FUNCTION ? notAuthorizedToInvoke(t)
        : "Permissions on the destination " + describe(t.kind()) + " do not allow S3 to publish notifications from this bucket";
  }

  private static String notAuthorizedToInvoke(NotificationConfig.Target t) {
    return "Not authorized to invoke function [" + t.arn() + "]";
  }

  private static String describe(NotificationConfig.Kind kind) {
    return switch (kind) {
      case QUEUE -> "queue";
      case TOPIC -> "topic";
      case FUNCTION -> "function";
    };
  }
}
