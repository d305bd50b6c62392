package io.eventplane.gateway.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.authz.DeliveryAuthorization.Delivery;
import io.eventplane.common.authz.DeliveryAuthorization.Verdict;
import io.eventplane.identity.policy.PolicyDocument;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The judge of services' deliveries in iam mode: the destination's policy for the service principal
 * with aws:SourceArn, answered at once when the policy is known and on the asking context when it
 * had to be read (the read completes wherever it was started).
 */
class ServiceDeliveryAuthorizerTest {
  static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:orders";
  static final String TOPIC = "arn:aws:sns:us-east-1:000000000000:orders";

  static String policy(String extraStatement) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"},"
        + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"" + QUEUE + "\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\""
        + TOPIC + "\"}}}" + extraStatement + "]}";
  }

  static Delivery from(String source) {
    return new Delivery("sns.amazonaws.com", "sqs:SendMessage", QUEUE, source, "000000000000");
  }

  static ServiceDeliveryAuthorizer authorizer(String policy, AtomicInteger reads) {
    ResourcePolicy read = new ResourcePolicy("000000000000", policy == null ? null : PolicyDocument.parse(policy));
    return new ServiceDeliveryAuthorizer(new ResourcePolicies(holder -> {
      reads.incrementAndGet();
      return Future.succeededFuture(read);
    }, 10, System::nanoTime));
  }

  static Verdict now(Future<Verdict> f) {
    assertThat(f.isComplete()).as("a policy already known is answered at once").isTrue();
    return f.result();
  }

  @Test
  void theQueuePolicyDecidesForTheSourceItNames() {
    AtomicInteger reads = new AtomicInteger();
    ServiceDeliveryAuthorizer judge = authorizer(policy(""), reads);
    assertThat(judge.judges()).isTrue();
    assertThat(now(judge.authorize(from(TOPIC))).allowed()).isTrue();
    Verdict other = now(judge.authorize(from("arn:aws:sns:us-east-1:000000000000:other")));
    assertThat(other.allowed()).isFalse();
    assertThat(other.reason()).contains("does not allow");
    assertThat(reads).as("read once, then kept").hasValue(1);
  }

  @Test
  void anExplicitDenyWinsAndNoPolicyAllowsNothing() {
    String deny = ",{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sqs:*\",\"Resource\":\"" + QUEUE + "\"}";
    Verdict denied = now(authorizer(policy(deny), new AtomicInteger()).authorize(from(TOPIC)));
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.reason()).contains("denies");
    Verdict none = now(authorizer(null, new AtomicInteger()).authorize(from(TOPIC)));
    assertThat(none.allowed()).isFalse();
    assertThat(none.reason()).contains("no policy");
  }

  @Test
  void aPolicyStillBeingReadIsAnsweredOnTheAskingContext() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Promise<ResourcePolicy> reading = Promise.promise();
      ServiceDeliveryAuthorizer judge = new ServiceDeliveryAuthorizer(new ResourcePolicies(holder -> reading.future(), 10,
          System::nanoTime));
      Context asking = vertx.getOrCreateContext();
      Context reader = vertx.getOrCreateContext();
      CompletableFuture<Void> asked = new CompletableFuture<>();
      CompletableFuture<Context> answeredOn = new CompletableFuture<>();
      CompletableFuture<Verdict> verdict = new CompletableFuture<>();
      asking.runOnContext(v -> {
        judge.authorize(from(TOPIC)).onComplete(ar -> {
          answeredOn.complete(Vertx.currentContext());
          verdict.complete(ar.result());
        });
        asked.complete(null);
      });
      asked.get(5, TimeUnit.SECONDS);
      reader.runOnContext(v -> reading.complete(new ResourcePolicy("000000000000", PolicyDocument.parse(policy("")))));
      assertThat(answeredOn.get(5, TimeUnit.SECONDS)).isSameAs(asking);
      assertThat(verdict.get().allowed()).isTrue();
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPolicyThatCannotBeReadIsNotAllowedYetRetryable() {
    ServiceDeliveryAuthorizer judge = new ServiceDeliveryAuthorizer(new ResourcePolicies(
        holder -> Future.failedFuture(new IllegalStateException("SQS is away")), 10, System::nanoTime));
    Verdict v = now(judge.authorize(from(TOPIC)));
    assertThat(v.allowed()).isFalse();
    assertThat(v.reason()).contains("could not be read", "SQS is away");
    assertThat(v.unavailable()).isTrue();
    assertThat(now(authorizer(null, new AtomicInteger()).authorize(from(TOPIC))).unavailable()).as("a refusal is final").isFalse();
  }
}
