package io.eventplane.server.events;

import static io.eventplane.server.events.EventBusAnswersTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.ListRulesResponse;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsResponse;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Tag;
import software.amazon.awssdk.services.eventbridge.model.Target;

/**
 * Rules, targets and TestEventPattern as EventBridge answers them. Pinned from recordings against
 * AWS in LocalStack's test_events.snapshot.json (TestEventRule, TestEventTarget) and
 * test_events_patterns.snapshot.json (the _EXC cases), unless a comment says otherwise.
 */
class RuleAnswersTest {
  private static final String PATTERN = "{\"source\":[\"core.update-account-command\"],"
      + "\"detail-type\":[\"core.update-account-command\"],\"detail\":{\"command\":[\"update-account\"]}}";

  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  @Test
  void ruleArnsNameTheBusExceptForTheDefaultBus() {
    events().createEventBus(b -> b.name("custom"));
    assertThat(events().putRule(b -> b.name("r1").eventPattern(PATTERN)).ruleArn())
        .isEqualTo("arn:aws:events:us-east-1:000000000000:rule/r1");
    assertThat(events().putRule(b -> b.name("r1").eventBusName("custom").eventPattern(PATTERN)).ruleArn())
        .isEqualTo("arn:aws:events:us-east-1:000000000000:rule/custom/r1");
    // EventBusName by ARN.
    assertThat(events().putRule(b -> b.name("r2").eventPattern(PATTERN)
        .eventBusName("arn:aws:events:us-east-1:000000000000:event-bus/custom")).ruleArn())
        .isEqualTo("arn:aws:events:us-east-1:000000000000:rule/custom/r2");
  }

  @Test
  void putDescribeListDisableEnableDelete() {
    events().createEventBus(b -> b.name("lifecycle"));
    events().putRule(b -> b.name("rule-a").eventBusName("lifecycle").eventPattern(PATTERN).description("first"));
    DescribeRuleResponse d = events().describeRule(b -> b.name("rule-a").eventBusName("lifecycle"));
    assertThat(d.name()).isEqualTo("rule-a");
    assertThat(d.arn()).isEqualTo("arn:aws:events:us-east-1:000000000000:rule/lifecycle/rule-a");
    assertThat(d.eventPattern()).isEqualTo(PATTERN);
    assertThat(d.state()).isEqualTo(RuleState.ENABLED);
    assertThat(d.description()).isEqualTo("first");
    assertThat(d.eventBusName()).isEqualTo("lifecycle");
    assertThat(d.createdBy()).isEqualTo("000000000000");
    assertThat(d.scheduleExpression()).isNull();

    events().disableRule(b -> b.name("rule-a").eventBusName("lifecycle"));
    assertThat(events().describeRule(b -> b.name("rule-a").eventBusName("lifecycle")).state()).isEqualTo(RuleState.DISABLED);
    events().enableRule(b -> b.name("rule-a").eventBusName("lifecycle"));
    assertThat(events().describeRule(b -> b.name("rule-a").eventBusName("lifecycle")).state()).isEqualTo(RuleState.ENABLED);

    ListRulesResponse listed = events().listRules(b -> b.eventBusName("lifecycle").namePrefix("rule-"));
    assertThat(listed.rules()).singleElement().satisfies(r -> {
      assertThat(r.name()).isEqualTo("rule-a");
      assertThat(r.eventBusName()).isEqualTo("lifecycle");
      assertThat(r.state()).isEqualTo(RuleState.ENABLED);
      assertThat(r.eventPattern()).isEqualTo(PATTERN);
    });

    events().deleteRule(b -> b.name("rule-a").eventBusName("lifecycle"));
    assertThat(events().listRules(b -> b.eventBusName("lifecycle")).rules()).isEmpty();
  }

  @Test
  void listRulesPagesWithLimitAndNextToken() {
    events().createEventBus(b -> b.name("paged"));
    for (int i = 1; i <= 6; i++) {
      String name = "rule-" + i;
      events().putRule(b -> b.name(name).eventBusName("paged").eventPattern(PATTERN));
    }
    ListRulesResponse first = events().listRules(b -> b.eventBusName("paged").limit(3));
    assertThat(first.rules()).extracting(r -> r.name()).containsExactly("rule-1", "rule-2", "rule-3");
    ListRulesResponse second = events().listRules(b -> b.eventBusName("paged").limit(3).nextToken(first.nextToken()));
    assertThat(second.rules()).extracting(r -> r.name()).containsExactly("rule-4", "rule-5", "rule-6");
    assertThat(second.nextToken()).isNull();
  }

  @Test
  void ruleErrorsAreEventBridges() {
    assertThatThrownBy(() -> events().describeRule(b -> b.name("missing")))
        .satisfies(e -> assertError(e, "ResourceNotFoundException", 400, "Rule missing does not exist on EventBus default."));
    assertThatThrownBy(() -> events().putRule(b -> b.name("r").eventBusName("no-such-bus").eventPattern(PATTERN)))
        .satisfies(e -> assertError(e, "ResourceNotFoundException", 400, "Event bus no-such-bus does not exist."));
    events().putRule(b -> b.name("with-target").eventPattern(PATTERN));
    events().putTargets(b -> b.rule("with-target").targets(sqsTarget("t1")));
    assertThatThrownBy(() -> events().deleteRule(b -> b.name("with-target")))
        .satisfies(e -> assertError(e, "ValidationException", 400, "Rule can't be deleted since it has targets."));
  }

  @Test
  void anUpdateKeepsTheTargets() {
    events().putRule(b -> b.name("updated").eventPattern(PATTERN));
    events().putTargets(b -> b.rule("updated").targets(sqsTarget("t1")));
    events().putRule(b -> b.name("updated").eventPattern("{\"source\":[\"other\"]}"));
    assertThat(events().listTargetsByRule(b -> b.rule("updated")).targets()).extracting(Target::id).containsExactly("t1");
  }

  @Test
  void targetsArePutListedAndRemovedAsGiven() {
    events().putRule(b -> b.name("targets").eventPattern(PATTERN));
    Target full = Target.builder().id("full").arn("arn:aws:sqs:us-east-1:000000000000:q")
        .inputPath("$.detail")
        .retryPolicy(r -> r.maximumRetryAttempts(3).maximumEventAgeInSeconds(120))
        .deadLetterConfig(d -> d.arn("arn:aws:sqs:us-east-1:000000000000:dlq"))
        .build();
    PutTargetsResponse put = events().putTargets(b -> b.rule("targets").targets(full, sqsTarget("plain")));
    assertThat(put.failedEntryCount()).isZero();
    assertThat(put.failedEntries()).isEmpty();
    List<Target> listed = events().listTargetsByRule(b -> b.rule("targets")).targets();
    assertThat(listed).containsExactly(full, sqsTarget("plain"));
    assertThat(events().listRuleNamesByTarget(b -> b.targetArn("arn:aws:sqs:us-east-1:000000000000:q")).ruleNames())
        .containsExactly("targets");

    assertThat(events().removeTargets(b -> b.rule("targets").ids("full", "plain")).failedEntryCount()).isZero();
    assertThat(events().listTargetsByRule(b -> b.rule("targets")).targets()).isEmpty();
  }

  @Test
  void targetLimitsAndChecks() {
    events().putRule(b -> b.name("limits").eventPattern(PATTERN));
    events().putTargets(b -> b.rule("limits").targets(sqsTarget("0"), sqsTarget("1"), sqsTarget("2"), sqsTarget("3"),
        sqsTarget("4")));
    assertThatThrownBy(() -> events().putTargets(b -> b.rule("limits").targets(sqsTarget("5"))))
        .satisfies(e -> assertError(e, "LimitExceededException", 400,
            "The requested resource exceeds the maximum number allowed."));
    // Pages of ListTargetsByRule keep the order the targets were put in.
    var first = events().listTargetsByRule(b -> b.rule("limits").limit(3));
    assertThat(first.targets()).extracting(Target::id).containsExactly("0", "1", "2");
    assertThat(events().listTargetsByRule(b -> b.rule("limits").limit(3).nextToken(first.nextToken())).targets())
        .extracting(Target::id).containsExactly("3", "4");

    assertThatThrownBy(() -> events().putTargets(b -> b.rule("limits").targets(sqsTarget("!@#$@!#$"))))
        .satisfies(e -> assertError(e, "ValidationException", 400, "1 validation error detected: Value '!@#$@!#$' at "
            + "'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: "
            + "[\\.\\-_A-Za-z0-9]+"));
    String longId = "x".repeat(65);
    assertThatThrownBy(() -> events().putTargets(b -> b.rule("limits").targets(sqsTarget(longId))))
        .satisfies(e -> assertError(e, "ValidationException", 400, "1 validation error detected: Value '" + longId
            + "' at 'targets.1.member.id' failed to satisfy constraint: Member must have length less than or equal to 64"));
    assertThatThrownBy(() -> events().putTargets(b -> b.rule("limits").targets(Target.builder().id("r").arn("arn:aws:sqs:us-east-1:000000000000:q")
        .retryPolicy(r -> r.maximumRetryAttempts(186)).build())))
        .satisfies(e -> assertError(e, "ValidationException", 400, "1 validation error detected: Value '186' at "
            + "'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value "
            + "less than or equal to 185"));
    assertThatThrownBy(() -> events().putTargets(b -> b.rule("missing-rule").targets(sqsTarget("a"))))
        .satisfies(e -> assertError(e, "ResourceNotFoundException", 400, "Rule missing-rule does not exist on EventBus default."));
  }

  @Test
  void ruleTagsAreKeptWithTheRule() {
    String arn = events().putRule(b -> b.name("tagged-rule").eventPattern(PATTERN).tags(Tag.builder().key("k").value("v").build()))
        .ruleArn();
    assertThat(events().listTagsForResource(b -> b.resourceARN(arn)).tags()).containsExactly(Tag.builder().key("k").value("v").build());
    events().untagResource(b -> b.resourceARN(arn).tagKeys("k"));
    assertThat(events().listTagsForResource(b -> b.resourceARN(arn)).tags()).isEmpty();
  }

  /** Recorded as Message; AWS's text continues after a newline with the parser's position (MessageRaw). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"int\": 42}|\"int\" must be an object or an array|1|11",
      "{\"string\": \"my-value\"}|\"string\" must be an object or an array|1|13",
      "{\"resources\": []}|Empty arrays are not allowed|1|17",
      "{\"my_key\": [{\"EXISTS\": true}]}|Unrecognized match type EXISTS|1|28",
      "{\"detail\": {\"c-count\": [{\"numeric\": [\">\", 0, \">\", 0]}]}}|Bad numeric range operator: >|1|49",
  })
  void invalidPatternsAreRefusedWithEventRulersReason(String pattern, String reason, int line, int column) {
    assertThatThrownBy(() -> events().putRule(b -> b.name("bad").eventPattern(pattern)))
        .isInstanceOf(InvalidEventPatternException.class)
        .satisfies(e -> {
          EventBridgeException x = (EventBridgeException) e;
          assertThat(x.statusCode()).isEqualTo(400);
          assertThat(x.awsErrorDetails().errorMessage()).isEqualTo("Event pattern is not valid. Reason: " + reason
              + "\n at [Source: (String)\"" + pattern + "\"; line: " + line + ", column: " + column + "]");
        });
    assertThatThrownBy(() -> events().testEventPattern(b -> b.eventPattern(pattern).event(event("{}"))))
        .isInstanceOf(InvalidEventPatternException.class);
  }

  @Test
  void aRuleNeedsAPatternOrASchedule() {
    // Not in the recordings: the message as AWS words it in its PutRule answers.
    assertThatThrownBy(() -> events().putRule(b -> b.name("nothing")))
        .satisfies(e -> assertError(e, "ValidationException", 400,
            "Parameter(s) EventPattern or ScheduleExpression must be specified."));
    assertThatThrownBy(() -> events().putRule(b -> b.name("r").state("SOMETIMES").eventPattern(PATTERN)))
        .satisfies(e -> assertError(e, "ValidationException", 400, "1 validation error detected: Value 'SOMETIMES' at "
            + "'state' failed to satisfy constraint: Member must satisfy enum value set: "
            + "[DISABLED, ENABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]"));
  }

  @Test
  void testEventPatternMatchesWithAwsMatcher() {
    assertThat(events().testEventPattern(b -> b.eventPattern("{\"detail\":{\"n\":[{\"numeric\":[\">\",5]}]}}")
        .event(event("{\"n\": 7}"))).result()).isTrue();
    assertThat(events().testEventPattern(b -> b.eventPattern("{\"detail\":{\"n\":[{\"numeric\":[\">\",5]}]}}")
        .event(event("{\"n\": 3}"))).result()).isFalse();
    assertThat(events().testEventPattern(b -> b.eventPattern("{\"source\":[{\"prefix\":\"my.\"}]}")
        .event(event("{}"))).result()).isTrue();
    // A user's report of AWS's answer to an event without the mandatory fields.
    assertThatThrownBy(() -> events().testEventPattern(b -> b.eventPattern("{\"source\":[\"a\"]}").event("{\"source\":\"a\"}")))
        .satisfies(e -> assertError(e, "ValidationException", 400, "Parameter Event is not valid."));
  }

  static String event(String detail) {
    return "{\"id\":\"1\",\"account\":\"000000000000\",\"source\":\"my.app\",\"time\":\"2024-01-01T00:00:00Z\","
        + "\"region\":\"us-east-1\",\"resources\":[],\"detail-type\":\"t\",\"detail\":" + detail + "}";
  }

  static Target sqsTarget(String id) {
    return Target.builder().id(id).arn("arn:aws:sqs:us-east-1:000000000000:q").build();
  }
}
