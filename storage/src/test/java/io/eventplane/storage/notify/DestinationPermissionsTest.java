package io.eventplane.storage.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.authz.DeliveryAuthorization.Delivery;
import io.eventplane.common.authz.DeliveryAuthorization.Verdict;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What S3 asks of a destination's policy, when it asks at all, and on which thread it hears the answer. */
class DestinationPermissionsTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A judge that records what it is asked and answers with {@code answer}. */
  private static DeliveryAuthorization judge(List<Delivery> asked, Function<Delivery, Future<Verdict>> answer) {
    return new DeliveryAuthorization() {
      @Override
      public Future<Verdict> authorize(Delivery delivery) {
        asked.add(delivery);
        return answer.apply(delivery);
      }

      @Override
      public boolean judges() {
        return true;
      }
    };
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void modesThatDoNotJudgeAreNeverAsked() throws Exception {
    DestinationPermissions permissions = new DestinationPermissions(DeliveryAuthorization.ALLOW_ALL, vertx.getOrCreateContext());
    assertThat(permissions.judges()).isFalse();
    assertThat(await(permissions.check("QUEUE", "arn:aws:sqs:us-east-1:000000000000:q", "b", "000000000000")).allowed()).isTrue();
  }

  @Test
  void eachKindAsksItsActionForTheBucketAsS3() throws Exception {
    List<Delivery> asked = new ArrayList<>();
    DestinationPermissions permissions = new DestinationPermissions(
        judge(asked, d -> Future.succeededFuture(d.action().startsWith("sns") ? Verdict.denied("no") : Verdict.ALLOWED)),
        vertx.getOrCreateContext());
    assertThat(await(permissions.check("QUEUE", "arn:aws:sqs:us-east-1:111122223333:q", "photos", "111122223333")).allowed()).isTrue();
    Verdict topic = await(permissions.check("TOPIC", "arn:aws:sns:us-east-1:111122223333:t", "photos", "111122223333"));
    assertThat(topic.allowed()).isFalse();
    assertThat(topic.reason()).isEqualTo("no");
    await(permissions.check("FUNCTION", "arn:aws:lambda:us-east-1:111122223333:function:f:live", "photos", null));
    // EventBridge-enabled notifications need no policy: not asked.
    assertThat(await(permissions.check("EVENTBRIDGE", "arn:aws:events:us-east-1:111122223333:event-bus/default", "photos",
        "111122223333")).allowed()).isTrue();
    assertThat(asked).containsExactly(
        new Delivery("s3.amazonaws.com", "sqs:SendMessage", "arn:aws:sqs:us-east-1:111122223333:q", "arn:aws:s3:::photos",
            "111122223333"),
        new Delivery("s3.amazonaws.com", "sns:Publish", "arn:aws:sns:us-east-1:111122223333:t", "arn:aws:s3:::photos",
            "111122223333"),
        new Delivery("s3.amazonaws.com", "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111122223333:function:f:live",
            "arn:aws:s3:::photos", null));
  }

  @Test
  void theAnswerArrivesOnTheLanesContextAndAFailureIsUnreadable() throws Exception {
    Context lane = vertx.getOrCreateContext();
    Promise<Verdict> later = Promise.promise();
    DestinationPermissions permissions = new DestinationPermissions(judge(new ArrayList<>(), d -> later.future()), lane);
    CompletableFuture<Context> heardOn = new CompletableFuture<>();
    lane.runOnContext(v -> permissions.check("QUEUE", "arn:aws:sqs:us-east-1:000000000000:q", "b", "000000000000")
        .onComplete(ar -> heardOn.complete(Vertx.currentContext())));
    // Completed from a thread that is no context of Vert.x (as a bus reply on another loop would be).
    new Thread(() -> later.complete(Verdict.ALLOWED)).start();
    assertThat(heardOn.get(10, TimeUnit.SECONDS)).isSameAs(lane);

    DestinationPermissions failing = new DestinationPermissions(
        judge(new ArrayList<>(), d -> Future.failedFuture(new IllegalStateException("unreachable"))), lane);
    Verdict refused = await(failing.check("TOPIC", "arn:aws:sns:us-east-1:000000000000:t", "b", "000000000000"));
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.reason()).contains("unreachable");
    assertThat(refused.unavailable()).as("a policy not read is no judgement: the outbox tries again").isTrue();
    assertThat(Verdict.denied("its policy does not allow it").unavailable()).isFalse();
    assertThat(Verdict.ALLOWED.unavailable()).isFalse();
  }

  @Test
  void aNoticeNamesItsBucketOrItsEventDoes() {
    assertThat(Notifier.bucketOf(new JsonObject().put("bucket", "named"))).isEqualTo("named");
    JsonObject event = new JsonObject().put("Records", new io.vertx.core.json.JsonArray().add(new JsonObject()
        .put("s3", new JsonObject().put("bucket", new JsonObject().put("name", "from-event")))));
    assertThat(Notifier.bucketOf(new JsonObject().put("event", event.encode()))).isEqualTo("from-event");
    assertThat(Notifier.bucketOf(new JsonObject().put("event", "{}"))).isNull();
  }
}
