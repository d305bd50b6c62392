package io.eventplane.broker.topic.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.broker.topic.domain.Subscription;
import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.domain.TopicArn;
import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.authz.DeliveryAuthorization.Delivery;
import io.eventplane.common.authz.DeliveryAuthorization.Verdict;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What SNS asks before a delivery in iam mode (the endpoint's action for sns.amazonaws.com, the topic
 * as aws:SourceArn) and what a verdict becomes: a refusal a client-side error in the endpoint service's
 * words, an unreadable policy a server-side one (retried), nothing asked for endpoints without a
 * resource policy.
 */
class DeliveryPermissionsTest {
  static final Topic TOPIC = new Topic(new TopicArn("us-east-1", "111122223333", "orders"), 0, Map.of(), Map.of(), Map.of(), 0);
  static final String QUEUE = "arn:aws:sqs:us-east-1:111122223333:q";
  static final String FUNCTION = "arn:aws:lambda:us-east-1:111122223333:function:f";

  final List<Delivery> asked = new ArrayList<>();

  DeliveryPermissions answering(Verdict verdict) {
    return new DeliveryPermissions(new DeliveryAuthorization() {
      @Override
      public Future<Verdict> authorize(Delivery d) {
        asked.add(d);
        return Future.succeededFuture(verdict);
      }

      @Override
      public boolean judges() {
        return true;
      }
    });
  }

  static Subscription sub(String protocol, String endpoint) {
    return new Subscription(TOPIC.arnString() + ":1", TOPIC.arnString(), protocol, endpoint, "111122223333", Map.of(), null,
        true, false);
  }

  @Test
  void aQueueOrAFunctionIsAskedForItsActionWithTheTopicAsSource() {
    DeliveryPermissions allowed = answering(Verdict.ALLOWED);
    assertThat(allowed.refusal(TOPIC, sub("sqs", QUEUE)).result()).isNull();
    assertThat(allowed.refusal(TOPIC, sub("lambda", FUNCTION)).result()).isNull();
    assertThat(allowed.deadLetter(TOPIC, QUEUE).result().allowed()).isTrue();
    String topic = "arn:aws:sns:us-east-1:111122223333:orders";
    assertThat(asked).containsExactly(
        new Delivery("sns.amazonaws.com", "sqs:SendMessage", QUEUE, topic, "111122223333"),
        new Delivery("sns.amazonaws.com", "lambda:InvokeFunction", FUNCTION, topic, "111122223333"),
        new Delivery("sns.amazonaws.com", "sqs:SendMessage", QUEUE, topic, "111122223333"));
  }

  @Test
  void aRefusalIsAClientErrorInTheEndpointServicesWords() {
    DeliveryPermissions refusing = answering(Verdict.denied("its policy does not allow it"));
    DeliveryOutcome queue = refusing.refusal(TOPIC, sub("sqs", QUEUE)).result();
    assertThat(queue).isEqualTo(DeliveryOutcome.clientError("AccessDenied", "its policy does not allow it"));
    DeliveryOutcome function = refusing.refusal(TOPIC, sub("lambda", FUNCTION)).result();
    assertThat(function.kind()).isEqualTo(DeliveryOutcome.Kind.CLIENT_ERROR);
    assertThat(function.errorCode()).isEqualTo("AccessDeniedException");
  }

  @Test
  void anUnreadablePolicyIsAServerErrorAndOtherProtocolsAreNotAsked() {
    DeliveryPermissions unsure = answering(Verdict.unavailable("SQS did not answer"));
    assertThat(unsure.refusal(TOPIC, sub("sqs", QUEUE)).result().kind()).isEqualTo(DeliveryOutcome.Kind.SERVER_ERROR);
    asked.clear();
    assertThat(unsure.refusal(TOPIC, sub("https", "https://example.com/hook")).result()).isNull();
    assertThat(unsure.refusal(TOPIC, sub("sms", "+15555550100")).result()).isNull();
    assertThat(asked).isEmpty();
    assertThat(DeliveryPermissions.ALLOW_ALL.judges()).isFalse();
  }
}
