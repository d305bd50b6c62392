package io.eventplane.eventbridge.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tables of what a target receives. Where a row says "recorded", the expected text is what AWS
 * delivered in LocalStack's recordings against AWS (tests/aws/services/events/
 * test_events_inputs.snapshot.json); "guide" rows are the EventBridge user guide's "Transforming
 * target input" examples on its EC2 event.
 */
class TargetInputTest {
  static final String RULE_ARN = "arn:aws:events:us-east-1:111111111111:rule/my-bus/my-rule";
  static final Instant INGESTED = Instant.parse("2024-06-11T08:33:10.123Z");

  /** The event LocalStack's recordings put (TEST_EVENT_PATTERN / EVENT_DETAIL). */
  static final JsonObject RECORDED_EVENT = new JsonObject("""
      {"version":"0","id":"1f2e3d4c-0000-4000-8000-000000000001","detail-type":"core.update-account-command",
       "source":"core.update-account-command","account":"111111111111","time":"2024-06-11T08:33:10Z",
       "region":"us-east-1","resources":[],
       "detail":{"command":"update-account","payload":{"acc_id":"0a787ecb-4015","sf_id":"baz"}}}""");

  /** The user guide's EC2 event. */
  static final JsonObject EC2_EVENT = new JsonObject("""
      {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602",
       "detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","account":"123456789012",
       "time":"2015-11-11T21:29:54Z","region":"us-east-1",
       "resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
       "detail":{"instance-id":"i-0123456789","state":"RUNNING"}}""");

  static final JsonObject EC2_PATHS = new JsonObject()
      .put("timestamp", "$.time").put("instance", "$.detail.instance-id").put("state", "$.detail.state");

  static final JsonObject RECORDED_PATHS = new JsonObject()
      .put("detail-type", "$.detail-type").put("timestamp", "$.time").put("command", "$.detail.command");

  static final JsonObject RECORDED_PATHS_MISSING = RECORDED_PATHS.copy().put("command", "$.detail.notinmessage");

  static JsonObject transformer(JsonObject paths, String template) {
    return new JsonObject().put("Id", "t1").put("Arn", "arn:aws:sqs:us-east-1:111111111111:q")
        .put("InputTransformer", new JsonObject().put("InputPathsMap", paths).put("InputTemplate", template));
  }

  static String render(JsonObject target, JsonObject event) {
    return TargetInput.render(target, event, RULE_ARN, "my-rule", INGESTED);
  }

  static Stream<Arguments> transformations() {
    return Stream.of(
        Arguments.of("recorded: string template, every path matches", RECORDED_EVENT, RECORDED_PATHS,
            "\"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>\"",
            "\"Event of core.update-account-command type, at time 2024-06-11T08:33:10Z, info extracted from detail update-account\""),
        Arguments.of("recorded: string template, a path selects nothing", RECORDED_EVENT, RECORDED_PATHS_MISSING,
            "\"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>\"",
            "\"Event of core.update-account-command type, at time 2024-06-11T08:33:10Z, info extracted from detail \""),
        Arguments.of("recorded: string starting with special characters", RECORDED_EVENT, RECORDED_PATHS,
            "\"{[/Check with special starting characters for event of <detail-type> type\"",
            "\"{[/Check with special starting characters for event of core.update-account-command type\""),
        Arguments.of("recorded body (template with unquoted placeholders assumed): JSON template, every path matches", RECORDED_EVENT, RECORDED_PATHS,
            "{\"detailType\": <detail-type>, \"time\": <timestamp>, \"command\": <command>}",
            "{\"detailType\":\"core.update-account-command\",\"time\":\"2024-06-11T08:33:10Z\",\"command\":\"update-account\"}"),
        Arguments.of("recorded body (template form assumed): JSON value placeholder selects nothing", RECORDED_EVENT, RECORDED_PATHS_MISSING,
            "{\"detailType\": <detail-type>, \"time\": <timestamp>, \"command\": <command>}",
            "{\"detailType\":\"core.update-account-command\",\"time\":\"2024-06-11T08:33:10Z\",\"command\":\"\"}"),
        Arguments.of("recorded body (template form assumed): quoted placeholder selects nothing", RECORDED_EVENT, RECORDED_PATHS_MISSING,
            "{\"command\": \"<command>\"}", "{\"command\":\"\"}"),
        Arguments.of("recorded: predefined variables in a string", RECORDED_EVENT, new JsonObject(),
            "\"Message containing all pre defined variables <aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>\"",
            "\"Message containing all pre defined variables " + RULE_ARN + " my-rule 2024-06-11T08:33:10Z\""),
        Arguments.of("guide: simple string", EC2_EVENT, EC2_PATHS,
            "\"instance <instance> is in <state>\"", "\"instance i-0123456789 is in RUNNING\""),
        Arguments.of("guide: string with escaped quotes", EC2_EVENT, EC2_PATHS,
            "\"instance \\\"<instance>\\\" is in <state>\"", "\"instance \\\"i-0123456789\\\" is in RUNNING\""),
        Arguments.of("API reference: text without quotes", EC2_EVENT, EC2_PATHS,
            "<instance> is in state <state>", "i-0123456789 is in state RUNNING"),
        Arguments.of("guide: simple JSON", EC2_EVENT, EC2_PATHS,
            "{\n  \"instance\" : <instance>,\n  \"state\": <state>\n}",
            "{\"instance\":\"i-0123456789\",\"state\":\"RUNNING\"}"),
        Arguments.of("guide: JSON with strings and variables", EC2_EVENT, EC2_PATHS,
            "{\n \"instance\" : <instance>,\n \"state\": \"<state>\",\n \"instanceStatus\": \"instance \\\"<instance>\\\" is in <state>\"\n}",
            "{\"instance\":\"i-0123456789\",\"state\":\"RUNNING\",\"instanceStatus\":\"instance \\\"i-0123456789\\\" is in RUNNING\"}"),
        Arguments.of("guide: JSON with a mix of variables and static information", EC2_EVENT, EC2_PATHS,
            "{\n  \"instance\" : <instance>,\n  \"state\": [ 9, <state>, true ],\n  \"Transformed\" : \"Yes\"\n}",
            "{\"instance\":\"i-0123456789\",\"state\":[9,\"RUNNING\",true],\"Transformed\":\"Yes\"}"),
        Arguments.of("guide: reserved variables in JSON", EC2_EVENT, EC2_PATHS,
            "{\"instance\" : <instance>, \"ruleArn\" : <aws.events.rule-arn>, \"ruleName\" : <aws.events.rule-name>}",
            "{\"instance\":\"i-0123456789\",\"ruleArn\":\"" + RULE_ARN + "\",\"ruleName\":\"my-rule\"}"),
        Arguments.of("guide: reserved variable in a string", EC2_EVENT, EC2_PATHS,
            "\"<aws.events.rule-name> triggered\"", "\"my-rule triggered\""),
        Arguments.of("object and array as JSON values", EC2_EVENT, new JsonObject().put("d", "$.detail").put("r", "$.resources"),
            "{\"d\": <d>, \"r\": <r>}",
            "{\"d\":{\"instance-id\":\"i-0123456789\",\"state\":\"RUNNING\"},\"r\":[\"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111\"]}"),
        Arguments.of("object inside a string: its JSON text, escaped", EC2_EVENT, new JsonObject().put("d", "$.detail"),
            "{\"text\": \"detail is <d>\"}",
            "{\"text\":\"detail is {\\\"instance-id\\\":\\\"i-0123456789\\\",\\\"state\\\":\\\"RUNNING\\\"}\"}"),
        Arguments.of("number and boolean as values and in strings", new JsonObject().put("detail", new JsonObject().put("n", 42).put("b", true)),
            new JsonObject().put("n", "$.detail.n").put("b", "$.detail.b"),
            "{\"n\": <n>, \"b\": <b>, \"s\": \"<n>/<b>\"}", "{\"n\":42,\"b\":true,\"s\":\"42/true\"}"),
        Arguments.of("array index", EC2_EVENT, new JsonObject().put("r", "$.resources[0]"),
            "\"first: <r>\"", "\"first: arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111\""),
        Arguments.of("special characters inside a string are escaped", new JsonObject().put("detail", new JsonObject().put("m", "say \"hi\"\\ now\nbye\t!")),
            new JsonObject().put("m", "$.detail.m"),
            "{\"message\": \"got <m>\"}", "{\"message\":\"got say \\\"hi\\\"\\\\ now\\nbye\\t!\"}"),
        Arguments.of("special characters as a JSON value are encoded", new JsonObject().put("detail", new JsonObject().put("m", "a\"b")),
            new JsonObject().put("m", "$.detail.m"), "{\"message\": <m>}", "{\"message\":\"a\\\"b\"}"),
        Arguments.of("text template keeps values raw", new JsonObject().put("detail", new JsonObject().put("m", "a\"b")),
            new JsonObject().put("m", "$.detail.m"), "value: <m>", "value: a\"b"),
        Arguments.of("a JSON null value", new JsonObject().put("detail", new JsonObject().putNull("x")),
            new JsonObject().put("x", "$.detail.x"), "{\"x\": <x>}", "{\"x\":null}"),
        Arguments.of("wildcard selects every member", EC2_EVENT, new JsonObject().put("all", "$.detail.*"),
            "{\"all\": <all>}", "{\"all\":[\"i-0123456789\",\"RUNNING\"]}"),
        Arguments.of("angle brackets that are no placeholder stay text", EC2_EVENT, EC2_PATHS,
            "\"1 < 2 and <state>\"", "\"1 < 2 and RUNNING\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transformations")
  void transformerRendersAsEventBridge(String name, JsonObject event, JsonObject paths, String template, String expected) {
    assertThat(render(transformer(paths, template), event)).isEqualTo(expected);
  }

  @Test
  void recordedOriginalEventAndEventJson() {
    String out = render(transformer(new JsonObject(),
        "{\"originalEvent\": <aws.events.event>, \"originalEventJson\": <aws.events.event.json>}"), RECORDED_EVENT);
    JsonObject body = new JsonObject(out);
    // Recorded against AWS: the event without detail, with detailType, in this member order.
    assertThat(body.getJsonObject("originalEvent").fieldNames())
        .containsExactly("id", "account", "detailType", "time", "source", "region", "resources", "version");
    assertThat(body.getJsonObject("originalEvent").getString("detailType")).isEqualTo("core.update-account-command");
    assertThat(body.getJsonObject("originalEventJson")).isEqualTo(RECORDED_EVENT);
  }

  @Test
  void withoutInputFieldsTheEventIsDelivered() {
    JsonObject target = new JsonObject().put("Id", "t1").put("Arn", "arn:aws:sqs:us-east-1:111111111111:q");
    assertThat(new JsonObject(render(target, RECORDED_EVENT))).isEqualTo(RECORDED_EVENT);
  }

  @Test
  void inputIsDeliveredVerbatim() {
    JsonObject target = new JsonObject().put("Id", "t1").put("Input", "{ \"custom-value\" : \"somecustominput\" }");
    assertThat(render(target, RECORDED_EVENT)).isEqualTo("{ \"custom-value\" : \"somecustominput\" }");
  }

  static Stream<Arguments> inputPaths() {
    return Stream.of(
        Arguments.of("recorded", "$.detail", RECORDED_EVENT.getJsonObject("detail").encode()),
        Arguments.of("recorded", "$.detail.payload", "{\"acc_id\":\"0a787ecb-4015\",\"sf_id\":\"baz\"}"),
        Arguments.of("recorded", "$.detail.payload.sf_id", "\"baz\""),
        Arguments.of("the whole event", "$", RECORDED_EVENT.encode()),
        Arguments.of("an empty array", "$.resources", "[]"),
        Arguments.of("nothing selected", "$.detail.nothing", "null"),
        Arguments.of("index past the end", "$.resources[3]", "null"),
        Arguments.of("names with dashes", "$.detail-type", "\"core.update-account-command\""));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("inputPaths")
  void inputPathSelects(String source, String path, String expected) {
    JsonObject target = new JsonObject().put("Id", "t1").put("InputPath", path);
    assertThat(render(target, RECORDED_EVENT)).isEqualTo(expected);
  }

  static Stream<Arguments> refusals() {
    JsonObject many = new JsonObject();
    for (int i = 0; i < 101; i++) many.put("k" + i, "$.detail");
    return Stream.of(
        Arguments.of("recorded: more than one input member",
            new JsonObject().put("Id", "t1").put("Input", "{}").put("InputPath", "$.detail"),
            "Only one of Input, InputPath, or InputTransformer must be provided for target t1."),
        Arguments.of("recorded: a placeholder nothing defines",
            transformer(new JsonObject().put("key", "$.detail"), "{\"a\": <key>, \"b\": <notdefinedkey>}"),
            "InputTemplate for target t1 contains invalid placeholder notdefinedkey."),
        Arguments.of("Input that is no JSON", new JsonObject().put("Id", "t1").put("Input", "not json"),
            "Input for target t1 is not a valid JSON text."),
        Arguments.of("Input with trailing text", new JsonObject().put("Id", "t1").put("Input", "{} {}"),
            "Input for target t1 is not a valid JSON text."),
        Arguments.of("InputPath without $", new JsonObject().put("Id", "t1").put("InputPath", "detail.a"),
            "InputPath for target t1 is invalid."),
        Arguments.of("InputPath in quoted bracket notation", new JsonObject().put("Id", "t1").put("InputPath", "$.detail['a']"),
            "InputPath for target t1 is invalid."),
        Arguments.of("InputPath with an empty name", new JsonObject().put("Id", "t1").put("InputPath", "$..a"),
            "InputPath for target t1 is invalid."),
        Arguments.of("an InputPathsMap path without $", transformer(new JsonObject().put("a", "detail"), "<a>"),
            "InputPath for target t1 is invalid."),
        Arguments.of("more than 100 variables", transformer(many, "\"x\""),
            "1 validation error detected: Value '" + many.getMap() + "' at 'targets.1.member.inputTransformer.inputPathsMap'"
                + " failed to satisfy constraint: Member must have length less than or equal to 100"),
        Arguments.of("a key with a dot", transformer(new JsonObject().put("a.b", "$.detail"), "\"x\""),
            "1 validation error detected: Value '{a.b=$.detail}' at 'targets.1.member.inputTransformer.inputPathsMap'"
                + " failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [A-Za-z0-9\\_\\-]+]"),
        Arguments.of("a reserved name as a key", transformer(new JsonObject().put("aws.events.rule-name", "$.detail"), "\"x\""),
            "1 validation error detected: Value '{aws.events.rule-name=$.detail}' at 'targets.1.member.inputTransformer.inputPathsMap'"
                + " failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [A-Za-z0-9\\_\\-]+]"),
        Arguments.of("no InputTemplate", new JsonObject().put("Id", "t1").put("InputTransformer", new JsonObject()),
            "1 validation error detected: Value null at 'targets.1.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must not be null"),
        Arguments.of("an empty InputTemplate", transformer(new JsonObject(), ""),
            "1 validation error detected: Value '' at 'targets.1.member.inputTransformer.inputTemplate' failed to satisfy constraint: Member must have length greater than or equal to 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void putTargetsRefuses(String name, JsonObject target, String message) {
    assertThatThrownBy(() -> TargetInput.of(target, 1))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.error().code()).isEqualTo("ValidationException");
          assertThat(e.error().message()).isEqualTo(message);
        });
  }

  @Test
  void constraintMessagesNameTheTargetsPosition() {
    JsonObject target = new JsonObject().put("Id", "t3").put("Input", "\"" + "x".repeat(8192) + "\"");
    assertThatThrownBy(() -> TargetInput.of(target, 3))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.error().message())
            .startsWith("1 validation error detected: Value '\"xxx")
            .endsWith("' at 'targets.3.member.input' failed to satisfy constraint: Member must have length less than or equal to 8192"));
  }

  @Test
  void acceptsWhatEventBridgeAccepts() {
    JsonObject hundred = new JsonObject();
    for (int i = 0; i < 100; i++) hundred.put("k_" + i, "$.detail.a[" + i + "]");
    TargetInput.of(transformer(hundred, "\"<k_0>\""), 1);
    TargetInput.of(transformer(new JsonObject(),
        "\"<aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time> <aws.events.event> <aws.events.event.json>\""), 1);
    TargetInput.of(new JsonObject().put("Id", "t1").put("InputPath", "$"), 1);
    TargetInput.of(new JsonObject().put("Id", "t1").put("InputPath", "$.detail/x.a-b_c[2][*]"), 1);
    TargetInput.of(new JsonObject().put("Id", "t1").put("Input", "\"just a string\""), 1);
    assertThat(TargetInput.of(new JsonObject().put("Id", "t1").put("Input", "[1,2]"), 1)
        .render(RECORDED_EVENT, RULE_ARN, "my-rule", INGESTED)).isEqualTo("[1,2]");
  }

  @Test
  void oneCompiledInputServesManyEvents() {
    TargetInput compiled = TargetInput.of(transformer(new JsonObject().put("s", "$.detail.state"), "{\"s\": <s>}"), 1);
    for (String state : new String[] {"RUNNING", "STOPPED"}) {
      JsonObject event = EC2_EVENT.copy();
      event.getJsonObject("detail").put("state", state);
      assertThat(compiled.render(event, RULE_ARN, "my-rule", INGESTED)).isEqualTo("{\"s\":\"" + state + "\"}");
    }
  }

  @Test
  void wildcardOverAnArray() {
    JsonObject event = new JsonObject().put("detail", new JsonObject()
        .put("items", new JsonArray().add(new JsonObject().put("id", 1)).add(new JsonObject().put("id", 2))));
    JsonObject target = new JsonObject().put("Id", "t1").put("InputPath", "$.detail.items[*].id");
    assertThat(render(target, event)).isEqualTo("[1,2]");
  }
}
