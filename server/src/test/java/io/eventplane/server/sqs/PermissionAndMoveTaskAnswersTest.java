package io.eventplane.server.sqs;

import static io.eventplane.server.sqs.SqsAnswers.assertAnswer;
import static io.eventplane.server.sqs.SqsAnswers.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.sqs.SqsAnswers.Answer;
import io.eventplane.server.sqs.SqsAnswers.QueryReply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;

/**
 * AddPermission/RemovePermission as SQS writes them into the queue's Policy attribute, and message
 * move task handles and refusals, over both wire protocols. From LocalStack's AWS-validated
 * snapshots of test_sqs_permission_lifecycle and of test_sqs_move_task.py (its task handles are
 * built as the tests build them: base64 of {"taskId":...,"sourceArn":...}, which AWS took as
 * well-formed handles).
 */
class PermissionAndMoveTaskAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static final String ACCOUNT = "000000000000";
  private static final String OTHER = "668614515564";

  private final SqsAnswers answers = new SqsAnswers(server);

  private SqsClient sqs() {
    return server.sqs();
  }

  private static String arn(String name) {
    return "arn:aws:sqs:us-east-1:" + ACCOUNT + ":" + name;
  }

  private static String root(String account) {
    return "arn:aws:iam::" + account + ":root";
  }

  private static JsonObject statement(String sid, Object principal, Object action, String queue) {
    return new JsonObject().put("Sid", sid).put("Effect", "Allow").put("Principal", new JsonObject().put("AWS", principal))
        .put("Action", action).put("Resource", arn(queue));
  }

  private static JsonObject policy(String queue, JsonObject... statements) {
    return new JsonObject().put("Version", "2008-10-17").put("Id", arn(queue) + "/SQSDefaultPolicy")
        .put("Statement", new JsonArray(List.of((Object[]) statements)));
  }

  /** The permission calls over one protocol; the Policy is null when the queue has none. */
  private interface Wire {
    String create(String name) throws Exception;

    Answer add(String url, String label, List<String> accounts, List<String> actions) throws Exception;

    Answer remove(String url, String label) throws Exception;

    String policy(String url) throws Exception;
  }

  private final Wire overJson = new Wire() {
    @Override
    public String create(String name) {
      return sqs().createQueue(b -> b.queueName(name)).queueUrl();
    }

    @Override
    public Answer add(String url, String label, List<String> accounts, List<String> actions) {
      return json(() -> sqs().addPermission(b -> b.queueUrl(url).label(label).awsAccountIds(accounts).actions(actions)));
    }

    @Override
    public Answer remove(String url, String label) {
      return json(() -> sqs().removePermission(b -> b.queueUrl(url).label(label)));
    }

    @Override
    public String policy(String url) {
      Map<String, String> a = sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("Policy")).attributesAsStrings();
      assertThat(a.keySet()).isSubsetOf("Policy");
      return a.get("Policy");
    }
  };

  private final Wire overQuery = new Wire() {
    @Override
    public String create(String name) throws Exception {
      return answers.query("Action", "CreateQueue", "QueueName", name).text("QueueUrl");
    }

    @Override
    public Answer add(String url, String label, List<String> accounts, List<String> actions) throws Exception {
      List<String> p = new ArrayList<>(List.of("Action", "AddPermission", "QueueUrl", url, "Label", label));
      for (int i = 0; i < accounts.size(); i++) p.addAll(List.of("AWSAccountId." + (i + 1), accounts.get(i)));
      for (int i = 0; i < actions.size(); i++) p.addAll(List.of("ActionName." + (i + 1), actions.get(i)));
      return answers.queryAnswer(p.toArray(String[]::new));
    }

    @Override
    public Answer remove(String url, String label) throws Exception {
      return answers.queryAnswer("Action", "RemovePermission", "QueueUrl", url, "Label", label);
    }

    @Override
    public String policy(String url) throws Exception {
      QueryReply r = answers.query("Action", "GetQueueAttributes", "QueueUrl", url, "AttributeName.1", "Policy");
      Map<String, String> a = QueryReply.pairs(r.all("GetQueueAttributesResult").get(0), "Attribute", "Name");
      assertThat(a.keySet()).isSubsetOf("Policy");
      return a.get("Policy");
    }
  };

  /** test_sqs_permission_lifecycle, step by step, and several actions in one statement. */
  private void permissionLifecycle(Wire wire, String queue) throws Exception {
    String url = wire.create(queue);
    String label = "crossaccountpermission";
    String label2 = "crossaccountpermission2";
    assertAnswer("add two accounts", wire.add(url, label, List.of(ACCOUNT, OTHER), List.of("ReceiveMessage")), Answer.ok());
    JsonObject first = new JsonObject(wire.policy(url));
    // Two principals are a list (the recording lists them in an order its anonymised account id hides).
    JsonArray principals = first.getJsonArray("Statement").getJsonObject(0).getJsonObject("Principal").getJsonArray("AWS");
    assertThat(principals.getList()).containsExactlyInAnyOrder(root(ACCOUNT), root(OTHER));
    first.getJsonArray("Statement").getJsonObject(0).getJsonObject("Principal").put("AWS", "checked");
    assertThat(first).isEqualTo(policy(queue, statement(label, "checked", "SQS:ReceiveMessage", queue)));

    assertAnswer("remove", wire.remove(url, label), Answer.ok());
    assertThat(wire.policy(url)).as("the last statement removed, no Policy").isNull();

    assertAnswer("add one account", wire.add(url, label, List.of(ACCOUNT), List.of("ReceiveMessage")), Answer.ok());
    assertThat(new JsonObject(wire.policy(url)))
        .isEqualTo(policy(queue, statement(label, root(ACCOUNT), "SQS:ReceiveMessage", queue)));
    assertAnswer("same label again", wire.add(url, label, List.of(OTHER), List.of("ReceiveMessage")),
        Answer.error(400, "InvalidParameterValue", "Value " + label + " for parameter Label is invalid. Reason: Already exists."));
    assertAnswer("second label", wire.add(url, label2, List.of(ACCOUNT), List.of("ReceiveMessage")), Answer.ok());
    assertThat(new JsonObject(wire.policy(url))).isEqualTo(policy(queue,
        statement(label, root(ACCOUNT), "SQS:ReceiveMessage", queue), statement(label2, root(ACCOUNT), "SQS:ReceiveMessage", queue)));
    assertAnswer("remove first", wire.remove(url, label), Answer.ok());
    assertThat(new JsonObject(wire.policy(url)))
        .isEqualTo(policy(queue, statement(label2, root(ACCOUNT), "SQS:ReceiveMessage", queue)));
    assertAnswer("remove second", wire.remove(url, label2), Answer.ok());
    assertThat(wire.policy(url)).isNull();
    assertAnswer("remove again", wire.remove(url, label2),
        Answer.error(400, "InvalidParameterValue", "Value " + label2 + " for parameter Label is invalid. Reason: can't find label."));

    // Several actions: a list, each with SQS's prefix.
    assertAnswer("two actions", wire.add(url, "both", List.of(OTHER), List.of("SendMessage", "ReceiveMessage")), Answer.ok());
    assertThat(new JsonObject(wire.policy(url))).isEqualTo(policy(queue,
        statement("both", root(OTHER), new JsonArray().add("SQS:SendMessage").add("SQS:ReceiveMessage"), queue)));
  }

  @Test
  void permissionsAreWrittenAsAwsWritesThemOverJson() throws Exception {
    permissionLifecycle(overJson, "perm-j");
  }

  @Test
  void permissionsAreWrittenAsAwsWritesThemOverQuery() throws Exception {
    permissionLifecycle(overQuery, "perm-q");
  }

  private static String handle(String taskId, String sourceArn) {
    String doc = "{\"taskId\":\"" + taskId + "\",\"sourceArn\":\"" + sourceArn + "\"}";
    return Base64.getEncoder().encodeToString(doc.getBytes(StandardCharsets.UTF_8));
  }

  /** A dead-letter queue with a source and messages to move, and a plain queue; returns the DLQ's name. */
  private String deadLetterQueue(String suffix) {
    String dlq = sqs().createQueue(b -> b.queueName("dlq" + suffix)).queueUrl();
    sqs().createQueue(b -> b.queueName("src" + suffix).attributesWithStrings(Map.of("RedrivePolicy",
        "{\"deadLetterTargetArn\":\"" + arn("dlq" + suffix) + "\",\"maxReceiveCount\":1}")));
    for (int i = 0; i < 10; i++) sqs().sendMessage(b -> b.queueUrl(dlq).messageBody("m"));
    sqs().createQueue(b -> b.queueName("plain" + suffix));
    return "dlq" + suffix;
  }

  /** test_sqs_move_task.py's refusals: status, code and message, as recorded. */
  private static List<Object[]> moveTaskRefusals(String dlq, String plain, String running) {
    return List.of(
        new Object[] {"CancelMessageMoveTask", Map.of("TaskHandle", "foobared"),
            Answer.error(400, "InvalidParameterValue", "Value for parameter TaskHandle is invalid.")},
        new Object[] {"CancelMessageMoveTask", Map.of("TaskHandle", handle("10f57157-fc38-4da9-a113-4de7e12d05dd",
                "arn:aws:sqs:us-east-1:878966065785:test-queue-doesnt-exist-123456")),
            Answer.error(404, "ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist.")},
        new Object[] {"CancelMessageMoveTask", Map.of("TaskHandle", handle("10f57157-fc38-4da9-a113-4de7e12d05aa", arn(dlq))),
            Answer.error(404, "ResourceNotFoundException", "Task does not exist.")},
        new Object[] {"StartMessageMoveTask", Map.of("SourceArn", arn(plain)),
            Answer.error(400, "InvalidParameterValue", "Source queue must be configured as a Dead Letter Queue.")},
        new Object[] {"StartMessageMoveTask", Map.of("SourceArn", arn(dlq), "DestinationArn", arn("nowhere")),
            Answer.error(404, "ResourceNotFoundException", "The resource that you specified for the DestinationArn parameter doesn't exist.")},
        new Object[] {"StartMessageMoveTask", Map.of("SourceArn", arn(running)), Answer.error(400, "InvalidParameterValue",
            "There is already a task running. Only one active task is allowed for a source queue arn at a given time.")});
  }

  @SuppressWarnings("unchecked")
  private Answer jsonCall(String action, Map<String, String> in) {
    return switch (action) {
      case "CancelMessageMoveTask" -> json(() -> sqs().cancelMessageMoveTask(b -> b.taskHandle(in.get("TaskHandle"))));
      default -> json(() -> sqs().startMessageMoveTask(b -> b.sourceArn(in.get("SourceArn")).destinationArn(in.get("DestinationArn"))));
    };
  }

  @Test
  void moveTaskHandlesAndRefusalsAreAwsOverJson() throws Exception {
    String dlq = deadLetterQueue("-j");
    // test_move_task_cancel: a task moving to a destination, one message a second, listed while it runs.
    String handle = sqs().startMessageMoveTask(b -> b.sourceArn(arn(dlq)).destinationArn(arn("plain-j"))
        .maxNumberOfMessagesPerSecond(1)).taskHandle();
    JsonObject decoded = new JsonObject(new String(Base64.getDecoder().decode(handle), StandardCharsets.UTF_8));
    assertThat(decoded.fieldNames()).containsExactly("taskId", "sourceArn");
    assertThat(decoded.getString("sourceArn")).isEqualTo(arn(dlq));
    assertThat(decoded.getString("taskId")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    ListMessageMoveTasksResultEntry running = sqs().listMessageMoveTasks(b -> b.sourceArn(arn(dlq))).results().get(0);
    assertThat(running.status()).isEqualTo("RUNNING");
    assertThat(running.taskHandle()).isEqualTo(handle);
    assertThat(running.maxNumberOfMessagesPerSecond()).isEqualTo(1);
    assertThat(running.destinationArn()).isEqualTo(arn("plain-j"));
    for (Object[] row : moveTaskRefusals(dlq, "plain-j", dlq)) {
      assertAnswer(row[0] + " " + row[1], jsonCall((String) row[0], (Map<String, String>) row[1]), (Answer) row[2]);
    }
    assertThat(sqs().cancelMessageMoveTask(b -> b.taskHandle(handle)).approximateNumberOfMessagesMoved()).isNotNull();
    ListMessageMoveTasksResultEntry cancelled = sqs().listMessageMoveTasks(b -> b.sourceArn(arn(dlq))).results().get(0);
    assertThat(cancelled.status()).isEqualTo("CANCELLED");
    assertThat(cancelled.taskHandle()).isNull();
  }

  @Test
  @SuppressWarnings("unchecked")
  void moveTaskHandlesAndRefusalsAreAwsOverQuery() throws Exception {
    String dlq = deadLetterQueue("-q");
    String handle = answers.query("Action", "StartMessageMoveTask", "SourceArn", arn(dlq), "DestinationArn", arn("plain-q"),
        "MaxNumberOfMessagesPerSecond", "1").text("TaskHandle");
    assertThat(new JsonObject(new String(Base64.getDecoder().decode(handle), StandardCharsets.UTF_8)).getString("sourceArn"))
        .isEqualTo(arn(dlq));
    assertThat(answers.query("Action", "ListMessageMoveTasks", "SourceArn", arn(dlq)).text("TaskHandle")).isEqualTo(handle);
    for (Object[] row : moveTaskRefusals(dlq, "plain-q", dlq)) {
      List<String> p = new ArrayList<>(List.of("Action", (String) row[0]));
      ((Map<String, String>) row[1]).forEach((k, v) -> p.addAll(List.of(k, v)));
      assertAnswer(row[0] + " " + row[1], answers.queryAnswer(p.toArray(String[]::new)), (Answer) row[2]);
    }
    assertThat(answers.query("Action", "CancelMessageMoveTask", "TaskHandle", handle).status()).isEqualTo(200);
    QueryReply listed = answers.query("Action", "ListMessageMoveTasks", "SourceArn", arn(dlq));
    assertThat(listed.text("Status")).isEqualTo("CANCELLED");
    assertThat(listed.all("TaskHandle")).isEmpty();
  }
}
