package io.eventplane.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.audit.DataSelection;
import io.eventplane.common.audit.EventClass;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.time.MutableClock;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The gateway's cache of which data events a region's logging trails select: unknown answers "may be
 * selected" and asks the owner (once at a time), an announcement makes it unknown again and outdates
 * the questions already asked, a known selection is asked again after its time to live while it keeps
 * answering, a failed question leaves it unknown.
 */
class DataSelectionsTest {
  private final MutableClock clock = new MutableClock(1_000_000);
  private final List<ApiRequest> asked = new ArrayList<>();
  private final List<Promise<ApiReply>> answers = new ArrayList<>();
  private final DataSelections selections = new DataSelections(clock, request -> {
    asked.add(request);
    Promise<ApiReply> p = Promise.promise();
    answers.add(p);
    return p.future();
  });
  private static final RequestContext CALL = new RequestContext("111122223333", "eu-west-1", "r", "http://h");
  private static final EventClass PUT = EventClass.of("s3", "PutObject");
  private static final EventClass GET = EventClass.of("s3", "GetObject");
  private static final EventClass SEND = EventClass.of("sqs", "SendMessage");
  private static final DataSelection BUCKET_A_WRITES = new DataSelection(List.of(
      new DataSelection.Rule(Set.of("AWS::S3::Object"), List.of("arn:aws:s3:::a/"), false, true)));

  private static JsonObject object(String bucket) {
    return new JsonObject().put("Bucket", bucket).put("Key", "k");
  }

  private static JsonObject queue() {
    return new JsonObject().put("QueueUrl", "http://h/111122223333/q");
  }

  private void answer(int i, DataSelection s) {
    answers.get(i).complete(ApiReply.ok(new JsonObject().put("Selection", s.toJson())));
  }

  @Test
  void unknownMayTakeAndAsksTheOwnerOnceAtATime() {
    assertThat(selections.mayTake(SEND, queue(), CALL)).isTrue();
    assertThat(selections.mayTake(SEND, queue(), CALL)).isTrue();
    assertThat(asked).hasSize(1);
    assertThat(asked.get(0).operation()).isEqualTo(DataSelection.GET);
    assertThat(asked.get(0).context().accountId()).isEqualTo("111122223333");
    assertThat(asked.get(0).context().region()).isEqualTo("eu-west-1");
    answer(0, DataSelection.NONE);
    assertThat(selections.mayTake(SEND, queue(), CALL)).isFalse();
    assertThat(asked).hasSize(1);
  }

  @Test
  void aKnownSelectionTakesOnlyWhatItsRulesMayTake() {
    selections.mayTake(PUT, object("a"), CALL);
    answer(0, BUCKET_A_WRITES);
    assertThat(selections.mayTake(PUT, object("a"), CALL)).isTrue();
    assertThat(selections.mayTake(PUT, object("b"), CALL)).isFalse();
    assertThat(selections.mayTake(GET, object("a"), CALL)).as("a read, the rule takes writes").isFalse();
    assertThat(selections.mayTake(SEND, queue(), CALL)).as("another resource type").isFalse();
    RequestContext otherRegion = new RequestContext("111122223333", "us-east-1", "r", "http://h");
    assertThat(selections.mayTake(PUT, object("b"), otherRegion)).as("another region: unknown").isTrue();
    assertThat(asked).hasSize(2);
  }

  @Test
  void anAnnouncementMakesItUnknownAndOutdatesQuestionsAlreadyAsked() {
    selections.mayTake(PUT, object("a"), CALL);
    answer(0, DataSelection.NONE);
    assertThat(selections.mayTake(PUT, object("a"), CALL)).isFalse();

    selections.changed("111122223333", "eu-west-1");
    assertThat(selections.mayTake(PUT, object("a"), CALL)).isTrue();
    assertThat(asked).hasSize(2);
    selections.changed("111122223333", "eu-west-1");
    // The answer to the question asked before the second announcement may be older than the change.
    answer(1, DataSelection.NONE);
    assertThat(selections.mayTake(PUT, object("a"), CALL)).isTrue();
    assertThat(asked).hasSize(3);
    answer(2, BUCKET_A_WRITES);
    assertThat(selections.mayTake(PUT, object("a"), CALL)).isTrue();
    assertThat(selections.mayTake(PUT, object("b"), CALL)).isFalse();

    selections.changed(null, null);
    assertThat(selections.mayTake(PUT, object("b"), CALL)).as("after a reset every entry is unknown").isTrue();
  }

  @Test
  void aKnownSelectionIsAskedAgainAfterItsTimeToLiveAndAnswersMeanwhile() {
    selections.mayTake(PUT, object("a"), CALL);
    answer(0, DataSelection.NONE);
    clock.advance(DataSelections.TTL.minus(Duration.ofMillis(1)));
    assertThat(selections.mayTake(PUT, object("a"), CALL)).isFalse();
    assertThat(asked).hasSize(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(selections.mayTake(PUT, object("a"), CALL)).as("the old selection answers while asked again").isFalse();
    assertThat(asked).hasSize(2);
    answer(1, BUCKET_A_WRITES);
    assertThat(selections.mayTake(PUT, object("a"), CALL)).isTrue();
  }

  @Test
  void aFailedQuestionLeavesItUnknown() {
    selections.mayTake(PUT, object("a"), CALL);
    answers.get(0).complete(ApiReply.failed(ServiceError.internal("no owner")));
    assertThat(selections.mayTake(PUT, object("b"), CALL)).isTrue();
    selections.changed("111122223333", "eu-west-1");
    selections.mayTake(PUT, object("b"), CALL);
    answers.get(answers.size() - 1).complete(ApiReply.ok(new JsonObject().put("Selection", new JsonArray())));
    assertThat(selections.mayTake(PUT, object("b"), CALL)).isFalse();
  }
}
