package io.eventplane.server.auth;

import static io.eventplane.server.auth.SignedIdentitiesTest.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code --auth iam}: a topic delivers to a queue or a function, and a rule to its SQS, SNS or Lambda
 * target, only when the destination's own policy lets the service's principal in for that source
 * ({@code aws:SourceArn}), as on AWS. A refusal is a client-side error: not retried, the message goes
 * to the subscription's or target's dead-letter queue (whose own policy must allow the source too),
 * else it is dropped.
 */
class DeliveryPoliciesTest {
  static final String ACCOUNT = SignedIdentitiesTest.ACCOUNT;
  static final String REGION = "us-east-1";
  static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.IAM)
      .withAdminKey(SignedIdentitiesTest.ADMIN_KEY, SignedIdentitiesTest.ADMIN_SECRET)));

  static SqsClient sqs() {
    return IamEnforcementTest.client(SqsClient.builder(), server.endpoint(), admin());
  }

  static SnsClient sns() {
    return IamEnforcementTest.client(SnsClient.builder(), server.endpoint(), admin());
  }

  static EventBridgeClient events() {
    return IamEnforcementTest.client(EventBridgeClient.builder(), server.endpoint(), admin());
  }

  static LambdaClient lambda() {
    return IamEnforcementTest.client(LambdaClient.builder(), server.endpoint(), admin());
  }

  static String queueArn(String name) {
    return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name;
  }

  static String queueUrl(SqsClient sqs, String name) {
    return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
  }

  /** A resource policy allowing {@code service} the action on {@code resource} for {@code sourceArn} alone. */
  static String allowService(String service, String action, String resource, String sourceArn) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement("Allow", service, action, resource, sourceArn) + "]}";
  }

  static String statement(String effect, String service, String action, String resource, String sourceArn) {
    String condition = sourceArn == null ? ""
        : ",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"" + sourceArn + "\"}}";
    return "{\"Effect\":\"" + effect + "\",\"Principal\":{\"Service\":\"" + service + "\"},\"Action\":\"" + action
        + "\",\"Resource\":\"" + resource + "\"" + condition + "}";
  }

  static void setPolicy(SqsClient sqs, String queue, String policy) {
    sqs.setQueueAttributes(b -> b.queueUrl(queueUrl(sqs, queue)).attributes(Map.of(QueueAttributeName.POLICY, policy)));
  }

  /** The next message of a queue (waiting for it), with its attributes. */
  static Message next(SqsClient sqs, String queue) {
    String url = queueUrl(sqs, queue);
    List<Message> got = new ArrayList<>();
    await().atMost(WAIT).until(() -> {
      got.addAll(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1).maxNumberOfMessages(1)
          .messageAttributeNames("All")).messages());
      return !got.isEmpty();
    });
    Message m = got.get(0);
    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
    return m;
  }

  /** What a queue holds now (no waiting): its messages' bodies, received and deleted. */
  static List<String> drain(SqsClient sqs, String queue) {
    String url = queueUrl(sqs, queue);
    List<String> bodies = new ArrayList<>();
    List<Message> batch;
    do {
      batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
      for (Message m : batch) {
        bodies.add(m.body());
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
    } while (!batch.isEmpty());
    return bodies;
  }

  static String attribute(Message m, String name) {
    return m.messageAttributes().get(name) == null ? null : m.messageAttributes().get(name).stringValue();
  }

  /** Everything a function logged so far, read as the admin. */
  static String logText(String function) {
    StringBuilder all = new StringBuilder();
    try (CloudWatchLogsClient logs = IamEnforcementTest.client(CloudWatchLogsClient.builder(), server.endpoint(), admin())) {
      for (FilteredLogEvent e : logs.filterLogEventsPaginator(b -> b.logGroupName("/aws/lambda/" + function)).events()) {
        all.append(e.message()).append('\n');
      }
    } catch (ResourceNotFoundException noLogsYet) {
      return "";
    }
    return all.toString();
  }

  /** A function of the examples jar running as a role Lambda may assume. */
  static String function(LambdaClient lambda, String name, String handler) {
    try (IamClient iam = IamEnforcementTest.client(IamClient.builder(), server.endpoint(), admin())) {
      String trustsLambda = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
          + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
      String role = iam.createRole(b -> b.roleName(name + "-role").assumeRolePolicyDocument(trustsLambda)).role().arn();
      return lambda.createFunction(b -> b.functionName(name).runtime(software.amazon.awssdk.services.lambda.model.Runtime.JAVA17)
          .role(role).handler(handler).timeout(30).memorySize(256)
          .code(c -> c.zipFile(SdkBytes.fromByteArray(EmbeddedServer.examplesJar())))).functionArn();
    }
  }

  /**
   * Sends (a fresh one, numbered from 0, every 3 s) until {@code arrived}: a policy change reaches the
   * node that delivers by its change notice, which may come a moment after the call that made the
   * change answered (on AWS too a policy change takes a while to apply everywhere).
   */
  static void sendUntil(java.util.function.IntConsumer send, java.util.concurrent.Callable<Boolean> arrived) {
    int[] sent = {0};
    long[] at = {0};
    await().atMost(WAIT).until(() -> {
      if (sent[0] > 0 && arrived.call()) return true;
      if (sent[0] == 0 || System.nanoTime() - at[0] > 3_000_000_000L) {
        send.accept(sent[0]++);
        at[0] = System.nanoTime();
      }
      return false;
    });
  }

  /** Receives what a queue has now (waiting up to a second), deleting it, into {@code into}; whether any body contains {@code text}. */
  static boolean received(SqsClient sqs, String queue, List<Message> into, String text) {
    String url = queueUrl(sqs, queue);
    for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1).maxNumberOfMessages(10)
        .messageAttributeNames("All")).messages()) {
      into.add(m);
      sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
    }
    return into.stream().anyMatch(m -> m.body().contains(text));
  }

  static Message firstWith(List<Message> messages, String text) {
    return messages.stream().filter(m -> m.body().contains(text)).findFirst().orElseThrow();
  }

  @Test
  void aTopicDeliversToAQueueOnlyWhenTheQueuePolicyAllowsThatTopic() {
    try (SqsClient sqs = sqs(); SnsClient sns = sns()) {
      String topic = sns.createTopic(b -> b.name("orders")).topicArn();
      String other = sns.createTopic(b -> b.name("other")).topicArn();
      sqs.createQueue(b -> b.queueName("orders-q"));
      sqs.createQueue(b -> b.queueName("orders-dlq"));
      setPolicy(sqs, "orders-dlq", allowService("sns.amazonaws.com", "sqs:SendMessage", queueArn("orders-dlq"), topic));
      String sub = sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("orders-q"))
          .attributes(Map.of("RawMessageDelivery", "true",
              "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + queueArn("orders-dlq") + "\"}"))).subscriptionArn();

      // No queue policy: SNS may not send; the refusal is a client error, so the message is dead-lettered at once.
      String first = sns.publish(b -> b.topicArn(topic).message("first")).messageId();
      Message dead = next(sqs, "orders-dlq");
      assertThat(dead.body()).isEqualTo("first");
      assertThat(attribute(dead, "RequestID")).isEqualTo(first);
      assertThat(attribute(dead, "ErrorCode")).isEqualTo("AccessDenied");
      assertThat(attribute(dead, "ErrorMessage")).contains("sns.amazonaws.com", "sqs:SendMessage", topic);
      assertThat(drain(sqs, "orders-q")).as("the refused message never reached the queue").isEmpty();

      // A policy for another topic does not let this one in.
      setPolicy(sqs, "orders-q", allowService("sns.amazonaws.com", "sqs:SendMessage", queueArn("orders-q"), other));
      sns.publish(b -> b.topicArn(topic).message("second"));
      assertThat(next(sqs, "orders-dlq").body()).isEqualTo("second");
      assertThat(drain(sqs, "orders-q")).isEmpty();

      // The topic's own ARN: delivered.
      setPolicy(sqs, "orders-q", allowService("sns.amazonaws.com", "sqs:SendMessage", queueArn("orders-q"), topic));
      List<Message> delivered = new ArrayList<>();
      sendUntil(i -> sns.publish(b -> b.topicArn(topic).message("third-" + i)),
          () -> received(sqs, "orders-q", delivered, "third-"));

      // An explicit deny wins over the allow.
      setPolicy(sqs, "orders-q", "{\"Version\":\"2012-10-17\",\"Statement\":["
          + statement("Allow", "sns.amazonaws.com", "sqs:SendMessage", queueArn("orders-q"), topic) + ","
          + statement("Deny", "sns.amazonaws.com", "sqs:*", queueArn("orders-q"), null) + "]}");
      List<Message> dlq = new ArrayList<>();
      sendUntil(i -> sns.publish(b -> b.topicArn(topic).message("fourth-" + i)),
          () -> received(sqs, "orders-dlq", dlq, "fourth-"));
      assertThat(attribute(firstWith(dlq, "fourth-"), "ErrorMessage")).contains("denies");
      assertThat(sub).startsWith(topic + ":");
    }
  }

  @Test
  void aSubscriptionsDeadLetterQueueMustAllowTheTopicToo() {
    try (SqsClient sqs = sqs(); SnsClient sns = sns()) {
      String refused = sns.createTopic(b -> b.name("alerts")).topicArn();
      String allowed = sns.createTopic(b -> b.name("alarms")).topicArn();
      sqs.createQueue(b -> b.queueName("alerts-q"));
      sqs.createQueue(b -> b.queueName("alerts-dlq"));
      // The dead-letter queue lets one topic in; the endpoint neither.
      setPolicy(sqs, "alerts-dlq", allowService("sns.amazonaws.com", "sqs:SendMessage", queueArn("alerts-dlq"), allowed));
      for (String topic : List.of(refused, allowed)) {
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("alerts-q"))
            .attributes(Map.of("RawMessageDelivery", "true",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + queueArn("alerts-dlq") + "\"}")));
      }
      sns.publish(b -> b.topicArn(refused).message("lost"));
      sns.publish(b -> b.topicArn(allowed).message("kept"));
      assertThat(next(sqs, "alerts-dlq").body()).isEqualTo("kept");
      assertThat(drain(sqs, "alerts-dlq")).as("the other topic's message could not be redriven").isEmpty();
      assertThat(drain(sqs, "alerts-q")).isEmpty();
    }
  }

  @Test
  void aTopicInvokesAFunctionOnlyWithItsPermission() {
    try (SqsClient sqs = sqs(); SnsClient sns = sns(); LambdaClient lambda = lambda()) {
      String topic = sns.createTopic(b -> b.name("notices")).topicArn();
      String fn = function(lambda, "notifier", "io.eventplane.examples.SnsNotifier::handleRequest");
      sqs.createQueue(b -> b.queueName("notices-dlq"));
      setPolicy(sqs, "notices-dlq", allowService("sns.amazonaws.com", "sqs:SendMessage", queueArn("notices-dlq"), topic));
      sns.subscribe(b -> b.topicArn(topic).protocol("lambda").endpoint(fn)
          .attributes(Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + queueArn("notices-dlq") + "\"}")));

      sns.publish(b -> b.topicArn(topic).message("unpermitted"));
      Message dead = next(sqs, "notices-dlq");
      assertThat(dead.body()).contains("unpermitted");
      assertThat(attribute(dead, "ErrorCode")).isEqualTo("AccessDeniedException");
      assertThat(attribute(dead, "ErrorMessage")).contains("lambda:InvokeFunction", fn);

      lambda.addPermission(b -> b.functionName("notifier").statementId("sns").action("lambda:InvokeFunction")
          .principal("sns.amazonaws.com").sourceArn(topic));
      sendUntil(i -> sns.publish(b -> b.topicArn(topic).message("permitted-" + i)),
          () -> logText("notifier").contains("message=permitted-"));
      assertThat(logText("notifier")).doesNotContain("message=unpermitted");
    }
  }

  @Test
  void aRuleDeliversToAQueueOnlyWhenTheQueuePolicyAllowsTheRule() {
    try (SqsClient sqs = sqs(); EventBridgeClient events = events()) {
      sqs.createQueue(b -> b.queueName("eb-q"));
      sqs.createQueue(b -> b.queueName("eb-dlq"));
      String rule = events.putRule(b -> b.name("to-queue").eventPattern("{\"source\":[\"shop\"]}")).ruleArn();
      String unheard = events.putRule(b -> b.name("unheard").eventPattern("{\"source\":[\"shop\"]}")).ruleArn();
      for (String name : List.of("to-queue", "unheard")) {
        events.putTargets(b -> b.rule(name).targets(Target.builder().id("q").arn(queueArn("eb-q"))
            .deadLetterConfig(d -> d.arn(queueArn("eb-dlq"))).build()));
      }
      // Neither rule may send to the queue; the dead-letter queue lets one of them in. The other's
      // refused event is gone.
      setPolicy(sqs, "eb-dlq", allowService("events.amazonaws.com", "sqs:SendMessage", queueArn("eb-dlq"), rule));
      put(events, "{\"n\":1}");
      Message dead = next(sqs, "eb-dlq");
      assertThat(dead.body()).contains("\"n\":1");
      assertThat(attribute(dead, "RULE_ARN")).isEqualTo(rule);
      assertThat(attribute(dead, "TARGET_ARN")).isEqualTo(queueArn("eb-q"));
      assertThat(attribute(dead, "ERROR_CODE")).isEqualTo("NO_PERMISSIONS");
      assertThat(attribute(dead, "ERROR_MESSAGE")).contains("events.amazonaws.com", "sqs:SendMessage", rule);
      assertThat(attribute(dead, "RETRY_ATTEMPTS")).as("not retried").isNull();
      assertThat(drain(sqs, "eb-dlq")).as("the other rule's event was not dead-lettered: " + unheard).isEmpty();
      assertThat(drain(sqs, "eb-q")).isEmpty();

      // The queue's policy lets the rule in: delivered (the other rule's events are still refused).
      setPolicy(sqs, "eb-q", allowService("events.amazonaws.com", "sqs:SendMessage", queueArn("eb-q"), rule));
      List<Message> delivered = new ArrayList<>();
      sendUntil(i -> put(events, "{\"n\":\"allowed-" + i + "\"}"), () -> received(sqs, "eb-q", delivered, "allowed-"));
      assertThat(delivered).allSatisfy(m -> assertThat(m.body()).doesNotContain("\"n\":1"));
    }
  }

  @Test
  void aRulesTopicTargetNeedsTheTopicPolicy() {
    try (SqsClient sqs = sqs(); SnsClient sns = sns(); EventBridgeClient events = events()) {
      String topic = sns.createTopic(b -> b.name("eb-topic")).topicArn();
      sqs.createQueue(b -> b.queueName("eb-topic-q"));
      sqs.createQueue(b -> b.queueName("eb-topic-dlq"));
      setPolicy(sqs, "eb-topic-q", allowService("sns.amazonaws.com", "sqs:SendMessage", queueArn("eb-topic-q"), topic));
      sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("eb-topic-q"))
          .attributes(Map.of("RawMessageDelivery", "true")));
      String rule = events.putRule(b -> b.name("to-topic").eventPattern("{\"source\":[\"shop\"]}")).ruleArn();
      setPolicy(sqs, "eb-topic-dlq", allowService("events.amazonaws.com", "sqs:SendMessage", queueArn("eb-topic-dlq"), rule));
      events.putTargets(b -> b.rule("to-topic").targets(Target.builder().id("t").arn(topic)
          .deadLetterConfig(d -> d.arn(queueArn("eb-topic-dlq"))).build()));

      // The topic's default policy lets the account's principals publish, not EventBridge.
      put(events, "{\"n\":1}");
      Message dead = next(sqs, "eb-topic-dlq");
      assertThat(attribute(dead, "ERROR_CODE")).isEqualTo("NO_PERMISSIONS");
      assertThat(attribute(dead, "ERROR_MESSAGE")).contains("sns:Publish");

      sns.setTopicAttributes(b -> b.topicArn(topic).attributeName("Policy")
          .attributeValue(allowService("events.amazonaws.com", "sns:Publish", topic, rule)));
      List<Message> published = new ArrayList<>();
      sendUntil(i -> put(events, "{\"n\":\"allowed-" + i + "\"}"), () -> received(sqs, "eb-topic-q", published, "allowed-"));
      assertThat(published).as("the refused event was never published")
          .allSatisfy(m -> assertThat(m.body()).doesNotContain("\"n\":1"));
    }
  }

  @Test
  void aRuleInvokesAFunctionOnlyWithItsPermission() {
    try (SqsClient sqs = sqs(); EventBridgeClient events = events(); LambdaClient lambda = lambda()) {
      String fn = function(lambda, "eb-diag", "io.eventplane.examples.Diagnostics::handleRequest");
      sqs.createQueue(b -> b.queueName("eb-fn-dlq"));
      String rule = events.putRule(b -> b.name("to-function").eventPattern("{\"source\":[\"shop\"]}")).ruleArn();
      setPolicy(sqs, "eb-fn-dlq", allowService("events.amazonaws.com", "sqs:SendMessage", queueArn("eb-fn-dlq"), rule));
      events.putTargets(b -> b.rule("to-function").targets(Target.builder().id("fn").arn(fn)
          .inputTransformer(t -> t.inputPathsMap(Map.of("n", "$.detail.n")).inputTemplate("{\"log\":\"EVENT-<n>\"}"))
          .deadLetterConfig(d -> d.arn(queueArn("eb-fn-dlq"))).build()));

      put(events, "{\"n\":1}");
      Message dead = next(sqs, "eb-fn-dlq");
      assertThat(attribute(dead, "TARGET_ARN")).isEqualTo(fn);
      assertThat(attribute(dead, "ERROR_CODE")).isEqualTo("NO_PERMISSIONS");
      assertThat(attribute(dead, "ERROR_MESSAGE")).contains("lambda:InvokeFunction");

      lambda.addPermission(b -> b.functionName("eb-diag").statementId("events").action("lambda:InvokeFunction")
          .principal("events.amazonaws.com").sourceArn(rule));
      sendUntil(i -> put(events, "{\"n\":\"ok" + i + "\"}"), () -> logText("eb-diag").contains("EVENT-ok"));
      assertThat(logText("eb-diag")).doesNotContain("EVENT-1");
    }
  }

  static void put(EventBridgeClient events, String detail) {
    var out = events.putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("shop").detailType("order")
        .detail(detail).build()));
    assertThat(out.failedEntryCount()).isZero();
  }

  @Test
  void anAlarmPublishesToItsTopicOnlyWhenTheTopicPolicyAllowsCloudWatch() {
    try (SqsClient sqs = sqs(); SnsClient sns = sns();
        software.amazon.awssdk.services.cloudwatch.CloudWatchClient cw = IamEnforcementTest.client(
            software.amazon.awssdk.services.cloudwatch.CloudWatchClient.builder(), server.endpoint(), admin())) {
      String topic = sns.createTopic(b -> b.name("alarm-topic")).topicArn();
      sqs.createQueue(b -> b.queueName("alarm-q"));
      setPolicy(sqs, "alarm-q", allowService("sns.amazonaws.com", "sqs:SendMessage", queueArn("alarm-q"), topic));
      sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn("alarm-q"))
          .attributes(Map.of("RawMessageDelivery", "true")));
      String alarm = "arn:aws:cloudwatch:" + REGION + ":" + ACCOUNT + ":alarm:guarded";
      cw.putMetricAlarm(b -> b.alarmName("guarded").namespace("Shop").metricName("Errors").statistic("Sum").period(60)
          .evaluationPeriods(1).threshold(1.0).comparisonOperator("GreaterThanThreshold").alarmActions(topic));

      // The topic's default policy does not let CloudWatch publish: the action fails for good, in the history.
      cw.setAlarmState(b -> b.alarmName("guarded").stateValue("ALARM").stateReason("refused"));
      await().atMost(WAIT).untilAsserted(() -> assertThat(cw.describeAlarmHistory(b -> b.alarmName("guarded")
          .historyItemType("Action")).alarmHistoryItems()).extracting(i -> i.historySummary())
          .containsExactly("Failed to execute action " + topic));
      assertThat(drain(sqs, "alarm-q")).isEmpty();

      sns.setTopicAttributes(b -> b.topicArn(topic).attributeName("Policy")
          .attributeValue(allowService("cloudwatch.amazonaws.com", "sns:Publish", topic, alarm)));
      List<String> got = new ArrayList<>();
      sendUntil(i -> {
        cw.setAlarmState(b -> b.alarmName("guarded").stateValue("OK").stateReason("reset " + i));
        cw.setAlarmState(b -> b.alarmName("guarded").stateValue("ALARM").stateReason("allowed " + i));
      }, () -> {
        got.addAll(drain(sqs, "alarm-q"));
        return got.stream().anyMatch(body -> body.contains("\"NewStateReason\":\"allowed "));
      });
    }
  }
}
