package io.eventplane.server.events;

import static io.eventplane.server.events.EventBusAnswersTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeEventBusResponse;
import software.amazon.awssdk.services.eventbridge.model.UpdateEventBusResponse;

/**
 * UpdateEventBus, PutPermission, RemovePermission and the bus's Policy as DescribeEventBus shows
 * it. The policy's shape, a statement id put again replacing its statement, a Policy replacing the
 * whole policy, RemovePermission by id and all, and the errors for a missing bus or statement are
 * those recorded against AWS in LocalStack's test_events.snapshot.json (TestEventBus.test_put_permission,
 * test_put_permission_non_existing_event_bus, test_remove_permission, test_remove_permission_non_existing_sid);
 * the member checks are the API model's constraints in AWS's front-end words.
 */
class EventBusPolicyTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String ACCOUNT = "000000000000";
  private static final String OTHER = "111122223333";

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  @ParameterizedTest
  @ValueSource(strings = {"custom-policy-bus", "default"})
  void putPermissionWritesOneStatementPerIdAsEventBridgeDoes(String bus) {
    if (!bus.equals("default")) events().createEventBus(b -> b.name(bus));
    String busArn = "arn:aws:events:us-east-1:000000000000:event-bus/" + bus;
    events().putPermission(b -> b.eventBusName(bus).action("events:PutEvents").principal(ACCOUNT).statementId("statement-1"));
    events().putPermission(b -> b.eventBusName(bus).action("events:PutEvents").principal(ACCOUNT).statementId("statement-2"));
    events().putPermission(b -> b.eventBusName(bus).action("events:PutEvents").principal(OTHER).statementId("statement-3"));
    assertThat(policy(bus)).isEqualTo(document(
        statement("statement-1", account(ACCOUNT), busArn),
        statement("statement-2", account(ACCOUNT), busArn),
        statement("statement-3", account(OTHER), busArn)));

    // A statement id put again replaces its statement.
    events().putPermission(b -> b.eventBusName(bus).action("events:PutEvents").principal("*").statementId("statement-4"));
    events().putPermission(b -> b.eventBusName(bus).action("events:PutEvents").principal("*").statementId("statement-4"));
    events().putPermission(b -> b.eventBusName(bus).action("events:PutEvents").principal(OTHER).statementId("statement-2"));
    assertThat(policy(bus)).isEqualTo(document(
        statement("statement-1", account(ACCOUNT), busArn),
        statement("statement-2", account(OTHER), busArn),
        statement("statement-3", account(OTHER), busArn),
        statement("statement-4", "*", busArn)));

    // A Policy replaces the whole policy, as written.
    JsonObject given = new JsonObject().put("Version", "2012-10-17").put("Statement", new JsonArray().add(new JsonObject()
        .put("Sid", "statement-5").put("Effect", "Allow").put("Principal", new JsonObject().put("Service", "events.amazonaws.com"))
        .put("Action", "events:ListRules").put("Resource", "*")));
    events().putPermission(b -> b.eventBusName(bus).policy(given.encodePrettily()));
    assertThat(policy(bus)).isEqualTo(given);

    events().removePermission(b -> b.eventBusName(bus).removeAllPermissions(true));
    assertThat(events().describeEventBus(b -> b.name(bus)).policy()).isNull();
  }

  @Test
  void anOrganizationConditionBecomesTheStatementsCondition() {
    events().putPermission(b -> b.action("events:PutEvents").principal("*").statementId("org")
        .condition(c -> c.type("StringEquals").key("aws:PrincipalOrgID").value("o-1234567890")));
    assertThat(policy("default").getJsonArray("Statement").getJsonObject(0)).isEqualTo(
        statement("org", "*", "arn:aws:events:us-east-1:000000000000:event-bus/default")
            .put("Condition", new JsonObject().put("StringEquals", new JsonObject().put("aws:PrincipalOrgID", "o-1234567890"))));
    // The policy is shown by ListEventBuses too (the EventBus shape has it).
    assertThat(events().listEventBuses(b -> b.namePrefix("default")).eventBuses().get(0).policy()).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"custom-remove-bus", "default"})
  void removePermissionTakesOutOneStatementOrAll(String bus) {
    if (!bus.equals("default")) events().createEventBus(b -> b.name(bus));
    String busArn = "arn:aws:events:us-east-1:000000000000:event-bus/" + bus;
    assertError(catchThrowable(() -> events().removePermission(b -> b.eventBusName(bus).statementId("non-existing-sid"))),
        "ResourceNotFoundException", 400, "Statement with the provided id does not exist.");
    events().putPermission(b -> b.eventBusName(bus).action("events:PutEvents").principal(ACCOUNT).statementId("statement-1"));
    events().putPermission(b -> b.eventBusName(bus).action("events:PutEvents").principal(OTHER).statementId("statement-2"));
    assertError(catchThrowable(() -> events().removePermission(b -> b.eventBusName(bus).statementId("non-existing-sid"))),
        "ResourceNotFoundException", 400, "Statement with the provided id does not exist.");

    events().removePermission(b -> b.eventBusName(bus).statementId("statement-1").removeAllPermissions(false));
    assertThat(policy(bus)).isEqualTo(document(statement("statement-2", account(OTHER), busArn)));
    events().removePermission(b -> b.eventBusName(bus).removeAllPermissions(true));
    DescribeEventBusResponse described = events().describeEventBus(b -> b.name(bus));
    assertThat(described.policy()).isNull();
    assertThat(described.arn()).isEqualTo(busArn);
  }

  @Test
  void updateEventBusReplacesItsSettingsAndDescribeShowsThem() {
    events().createEventBus(b -> b.name("settings-bus").description("first"));
    UpdateEventBusResponse updated = events().updateEventBus(b -> b.name("settings-bus").description("second")
        .kmsKeyIdentifier("alias/bus-key").deadLetterConfig(d -> d.arn("arn:aws:sqs:us-east-1:000000000000:bus-dlq")));
    assertThat(updated.arn()).isEqualTo("arn:aws:events:us-east-1:000000000000:event-bus/settings-bus");
    assertThat(updated.name()).isEqualTo("settings-bus");
    assertThat(updated.description()).isEqualTo("second");
    assertThat(updated.kmsKeyIdentifier()).isEqualTo("alias/bus-key");
    assertThat(updated.deadLetterConfig().arn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:bus-dlq");
    DescribeEventBusResponse described = events().describeEventBus(b -> b.name("settings-bus"));
    assertThat(described.description()).isEqualTo("second");
    assertThat(described.kmsKeyIdentifier()).isEqualTo("alias/bus-key");
    assertThat(described.deadLetterConfig().arn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:bus-dlq");
    assertThat(described.lastModifiedTime()).isAfterOrEqualTo(described.creationTime());

    // Without a KmsKeyIdentifier the bus goes back to an AWS owned key; members left out are gone.
    events().putPermission(b -> b.eventBusName("settings-bus").action("events:PutEvents").principal("*").statementId("all"));
    UpdateEventBusResponse cleared = events().updateEventBus(b -> b.name("settings-bus"));
    assertThat(cleared.description()).isNull();
    assertThat(cleared.kmsKeyIdentifier()).isNull();
    assertThat(cleared.deadLetterConfig()).isNull();
    DescribeEventBusResponse after = events().describeEventBus(b -> b.name("settings-bus"));
    assertThat(after.description()).isNull();
    assertThat(after.kmsKeyIdentifier()).isNull();
    assertThat(after.deadLetterConfig()).isNull();
    assertThat(after.policy()).as("the policy is not a setting UpdateEventBus replaces").isNotNull();

    // Without a Name: the default bus.
    assertThat(events().updateEventBus(b -> b.description("the default")).arn())
        .isEqualTo("arn:aws:events:us-east-1:000000000000:event-bus/default");
    assertThat(events().describeEventBus(b -> b.name("default")).description()).isEqualTo("the default");
  }

  @Test
  void createEventBusTakesTheSameSettings() {
    var created = events().createEventBus(b -> b.name("created-with-settings").kmsKeyIdentifier("alias/bus-key")
        .deadLetterConfig(d -> d.arn("arn:aws:sqs:us-east-1:000000000000:bus-dlq")));
    assertThat(created.kmsKeyIdentifier()).isEqualTo("alias/bus-key");
    assertThat(created.deadLetterConfig().arn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:bus-dlq");
    DescribeEventBusResponse described = events().describeEventBus(b -> b.name("created-with-settings"));
    assertThat(described.kmsKeyIdentifier()).isEqualTo("alias/bus-key");
    assertThat(described.deadLetterConfig().arn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:bus-dlq");
    assertError(catchThrowable(() -> events().createEventBus(b -> b.name("bad-key").kmsKeyIdentifier("key with spaces"))),
        "ValidationException", 400, "1 validation error detected: Value 'key with spaces' at 'kmsKeyIdentifier' failed to "
            + "satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\\-/:]*$");
  }

  /** Refusals: (call, code, message). */
  @Test
  void refusalsAsEventBridgeAnswersThem() {
    String tooLong = "x".repeat(513);
    List<Object[]> table = List.of(
        row(() -> events().putPermission(b -> b.eventBusName("no-such-bus").action("events:PutEvents").principal("*")
            .statementId("statement-id")), "ResourceNotFoundException", "Event bus no-such-bus does not exist."),
        row(() -> events().removePermission(b -> b.eventBusName("no-such-bus").statementId("statement-id")),
            "ResourceNotFoundException", "Event bus no-such-bus does not exist."),
        row(() -> events().updateEventBus(b -> b.name("no-such-bus")),
            "ResourceNotFoundException", "Event bus no-such-bus does not exist."),
        row(() -> events().putPermission(b -> b.action("events:PutEvents").principal("12345").statementId("s")),
            "ValidationException", "1 validation error detected: Value '12345' at 'principal' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: (\\d{12}|\\*)"),
        row(() -> events().putPermission(b -> b.action("sqs:SendMessage").principal("*").statementId("s")),
            "ValidationException", "1 validation error detected: Value 'sqs:SendMessage' at 'action' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: events:[a-zA-Z]+"),
        row(() -> events().putPermission(b -> b.action("events:PutEvents").principal("*").statementId("has space")),
            "ValidationException", "1 validation error detected: Value 'has space' at 'statementId' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+"),
        row(() -> events().putPermission(b -> b.eventBusName("arn:aws:events:us-east-1:000000000000:event-bus/default")
            .action("events:PutEvents").principal("*").statementId("s")),
            "ValidationException", "1 validation error detected: Value 'arn:aws:events:us-east-1:000000000000:event-bus/default' "
                + "at 'eventBusName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + "[\\.\\-_A-Za-z0-9]+"),
        row(() -> events().updateEventBus(b -> b.description(tooLong)),
            "ValidationException", "1 validation error detected: Value '" + tooLong + "' at 'description' failed to satisfy "
                + "constraint: Member must have length less than or equal to 512"),
        row(() -> events().updateEventBus(b -> b.kmsKeyIdentifier("key with spaces")),
            "ValidationException", "1 validation error detected: Value 'key with spaces' at 'kmsKeyIdentifier' failed to "
                + "satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\\-/:]*$"));
    for (Object[] r : table) {
      Runnable call = (Runnable) r[0];
      assertError(catchThrowable(call::run), (String) r[1], 400, (String) r[2]);
    }
  }

  @Test
  void aPolicyOverTenKilobytesIsRefused() {
    JsonArray statements = new JsonArray();
    for (int i = 0; i < 60; i++) {
      statements.add(statement("statement-" + i, account(OTHER), "arn:aws:events:us-east-1:000000000000:event-bus/default"));
    }
    String big = new JsonObject().put("Version", "2012-10-17").put("Statement", statements).encode();
    assertThat(big.length()).isGreaterThan(10 * 1024);
    assertError(catchThrowable(() -> events().putPermission(b -> b.policy(big))), "PolicyLengthExceededException", 400,
        "The event bus policy is too long. For more information, see the limits.");
    assertThat(events().describeEventBus(b -> b.name("default")).policy()).isNull();
  }

  private static Object[] row(Runnable call, String code, String message) {
    return new Object[] {call, code, message};
  }

  private JsonObject policy(String bus) {
    String p = events().describeEventBus(b -> b.name(bus)).policy();
    assertThat(p).isNotNull();
    return new JsonObject(p);
  }

  private static JsonObject account(String account) {
    return new JsonObject().put("AWS", "arn:aws:iam::" + account + ":root");
  }

  private static JsonObject statement(String sid, Object principal, String resource) {
    return new JsonObject().put("Sid", sid).put("Effect", "Allow").put("Principal", principal).put("Action", "events:PutEvents")
        .put("Resource", resource);
  }

  private static JsonObject document(JsonObject... statements) {
    JsonArray all = new JsonArray();
    for (JsonObject s : statements) all.add(s);
    return new JsonObject().put("Version", "2012-10-17").put("Statement", all);
  }
}
