package io.eventplane.storage.api;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.NotificationConfig;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.S3EventRecord;
import io.eventplane.storage.notify.Notifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Put/GetBucketNotificationConfiguration. A configuration is validated as S3 validates it (event
 * types, filter rules, overlaps) and every destination must exist; once saved, each queue and
 * topic gets an {@code s3:TestEvent}.
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
    List<Future<String>> checks = new ArrayList<>();
    for (NotificationConfig.Target t : targets) {
      checks.add(notifier.exists(t.kind().name(), t.arn()).map(reply -> reply.succeeded() ? null : t.arn()));
    }
    return Future.all(checks).compose(done -> {
      for (int i = 0; i < checks.size(); i++) {
        String missing = checks.get(i).result();
        if (missing != null) {
          throw S3Errors.invalidArgument("Unable to validate the following destination configurations", missing,
              "The destination " + describe(targets.get(i).kind()) + " does not exist");
        }
      }
      JsonObject canonical = targets.isEmpty() && config.getValue("EventBridgeConfiguration") == null ? null
          : NotificationConfig.canonical(config, targets);
      // Through update, so a configuration put at the same time (CORS, tags, ...) is not undone.
      return buckets.update(bucket.name(), current -> current.withNotifications(canonical)).map(v -> {
        String test = S3EventRecord.testEvent(bucket.name(), clock.millis(), ctx.requestId(), Events.hostId(ctx.requestId()))
            .encode();
        for (NotificationConfig.Target t : targets) {
          if (t.kind() != NotificationConfig.Kind.FUNCTION) notifier.sendOnce(t.kind().name(), t.arn(), test);
        }
        return new JsonObject();
      });
    });
  }

  private static String describe(NotificationConfig.Kind kind) {
    return switch (kind) {
      case QUEUE -> "queue";
      case TOPIC -> "topic";
      case FUNCTION -> "function";
    };
  }
}
