package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.sqs.SqsAnswers.Raw;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SQS's Query API over GET, as AWS serves it: actions in the query string sent to the endpoint or
 * to a queue URL, the actions a queue URL refuses, a GET naming no action, and answers in JSON for
 * a caller that accepts application/json. Each row replays a test of LocalStack's AWS-validated
 * {@code TestSqsQueryApi} (named on the row) and checks what it checked against AWS: the status and
 * the pieces of the body it asserted (the XML exactly as AWS writes those elements).
 */
class QueryGetAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private final SqsAnswers answers = new SqsAnswers(server);

  /** The queues a row can address. */
  private record Queues(String endpoint, String first, String second, String fifo, String doomed, String deleted) {}

  /**
   * One GET: where to (from the queues), its parameters, whether the caller accepts JSON, the
   * status AWS answered, what the body contains and lacks, and for JSON answers a check of the
   * document.
   */
  private record Get(String recording, Function<Queues, String> to, Function<Queues, List<String>> params, boolean acceptJson,
      int status, List<String> contains, List<String> lacks, java.util.function.BiConsumer<Queues, JsonObject> json) {
    static Get xml(String recording, Function<Queues, String> to, List<String> params, int status, String... contains) {
      return new Get(recording, to, q -> params, false, status, List.of(contains), List.of(), null);
    }

    Get lacking(String... absent) {
      return new Get(recording, to, params, acceptJson, status, contains, List.of(absent), json);
    }
  }

  private static final String INVALID_ACTION = "<Code>InvalidAction</Code>";
  private static final String SENDER = "<Type>Sender</Type>";

  private static final List<Get> GETS = List.of(
      Get.xml("test_get_list_queues_with_query_auth", Queues::endpoint, List.of("Action", "ListQueues", "Version", "2012-11-05"),
          200, "<ListQueuesResponse"),
      Get.xml("test_get_queue_attributes_all", Queues::first, List.of("Action", "GetQueueAttributes", "AttributeName.1", "All"),
          200, "<GetQueueAttributesResponse", "<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:",
          "<Attribute><Name>VisibilityTimeout</Name><Value>30", "get-first"),
      Get.xml("test_get_queue_attributes_with_query_args", Queues::first,
              List.of("Action", "GetQueueAttributes", "AttributeName.1", "QueueArn"),
              200, "<GetQueueAttributesResponse", "<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:", "get-first")
          .lacking("<Attribute><Name>VisibilityTimeout</Name>"),
      Get.xml("test_invalid_action_raises_exception", Queues::first, List.of("Action", "FooBar", "Version", "2012-11-05"),
          400, INVALID_ACTION, SENDER, "<Message>The action FooBar is not valid for this endpoint.</Message>"),
      Get.xml("test_valid_action_with_missing_parameter_raises_exception", Queues::first, List.of("Action", "SendMessage"),
          400, "<Code>MissingParameter</Code>", SENDER, "<Message>The request must contain the parameter MessageBody.</Message>"),
      Get.xml("test_get_queue_attributes_of_fifo_queue", Queues::fifo, List.of("Action", "GetQueueAttributes", "AttributeName.1", "All"),
          200, "<Name>FifoQueue</Name><Value>true</Value>", "get-fifo.fifo"),
      Get.xml("test_get_queue_attributes_with_invalid_arg_returns_error", Queues::first,
          List.of("Action", "GetQueueAttributes", "AttributeName.1", "Foobar"),
          400, SENDER, "<Code>InvalidAttributeName</Code>", "<Message>Unknown Attribute Foobar.</Message>"),
      Get.xml("test_get_send_and_receive_messages", Queues::first, List.of("Action", "SendMessage", "MessageBody", "foobar"), 200),
      Get.xml("test_get_send_and_receive_messages", Queues::second, List.of("Action", "ReceiveMessage"), 200, "<ReceiveMessageResult/>")
          .lacking("foobar"),
      Get.xml("test_get_send_and_receive_messages", Queues::first, List.of("Action", "ReceiveMessage"), 200,
          "<Body>foobar</Body>", "<MD5OfBody>"),
      Get.xml("test_get_delete_queue", Queues::doomed, List.of("Action", "DeleteQueue"), 200, "<DeleteQueueResponse "),
      Get.xml("test_get_on_deleted_queue_fails", Queues::deleted, List.of("Action", "GetQueueAttributes", "AttributeName.1", "QueueArn"),
          400, "<Code>AWS.SimpleQueueService.NonExistentQueue</Code>",
          "<Message>The specified queue does not exist for this wsdl version"),
      Get.xml("test_get_without_query_returns_unknown_operation", Queues::first, List.of(), 404, "<UnknownOperationException"),
      Get.xml("test_get_create_queue_fails", Queues::first, List.of("Action", "CreateQueue", "QueueName", "get-other"),
          400, INVALID_ACTION, "<Message>The action CreateQueue is not valid for this endpoint"),
      Get.xml("test_get_list_queues_fails", Queues::first, List.of("Action", "ListQueues"),
          400, INVALID_ACTION, "<Message>The action ListQueues is not valid for this endpoint"),
      new Get("test_get_queue_url_works_for_same_queue", Queues::first, q -> List.of("Action", "GetQueueUrl", "QueueName", "get-first"),
          false, 200, List.of(), List.of(), null),
      new Get("test_overwrite_queue_url_in_params", Queues::first,
          q -> List.of("Action", "GetQueueAttributes", "QueueUrl", q.second(), "AttributeName.1", "QueueArn"), false, 200,
          List.of("<Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:", "get-second"), List.of("get-first"), null),
      new Get("test_get_list_queues_fails_json_format", Queues::first, q -> List.of("Action", "ListQueues"), true, 400,
          List.of(), List.of(), (q, doc) -> {
            assertThat(doc.getJsonObject("Error").getString("Code")).isEqualTo("InvalidAction");
            assertThat(doc.getJsonObject("Error").getString("Message")).isEqualTo("The action ListQueues is not valid for this endpoint.");
          }),
      new Get("test_get_queue_attributes_json_format", Queues::first, q -> List.of("Action", "GetQueueAttributes", "AttributeName.1", "All"),
          true, 200, List.of(), List.of(), (q, doc) -> {
            JsonArray attributes = doc.getJsonObject("GetQueueAttributesResponse").getJsonObject("GetQueueAttributesResult")
                .getJsonArray("Attributes");
            assertThat(attributes.stream().map(JsonObject.class::cast).filter(a -> a.getString("Name").equals("QueueArn"))
                .map(a -> a.getString("Value")).toList()).singleElement().asString().contains("arn:aws:sqs").endsWith("get-first");
          }),
      new Get("test_get_without_query_json_format_returns_returns_xml", Queues::first, q -> List.of(), true, 404,
          List.of("<UnknownOperationException"), List.of(), null));

  @Test
  void getRequestsAreAnsweredAsAwsAnswersThem() throws Exception {
    String endpoint = server.endpoint().toString().replaceAll("/$", "");
    String first = answers.query("Action", "CreateQueue", "QueueName", "get-first").text("QueueUrl");
    String second = answers.query("Action", "CreateQueue", "QueueName", "get-second").text("QueueUrl");
    String fifo = answers.query("Action", "CreateQueue", "QueueName", "get-fifo.fifo",
        "Attribute.1.Name", "FifoQueue", "Attribute.1.Value", "true").text("QueueUrl");
    String doomed = answers.query("Action", "CreateQueue", "QueueName", "get-doomed").text("QueueUrl");
    String deleted = answers.query("Action", "CreateQueue", "QueueName", "get-deleted").text("QueueUrl");
    answers.query("Action", "DeleteQueue", "QueueUrl", deleted);
    Queues queues = new Queues(endpoint + "/", first, second, fifo, doomed, deleted);
    for (Get g : GETS) {
      String to = g.to().apply(queues);
      Raw r = answers.get(to, g.acceptJson() ? Map.of("Accept", "application/json") : Map.of(),
          g.params().apply(queues).toArray(String[]::new));
      String what = g.recording() + " " + g.params().apply(queues) + " -> " + r.body();
      assertThat(r.status()).as(what).isEqualTo(g.status());
      for (String piece : g.contains()) assertThat(r.body()).as(what).contains(piece);
      for (String piece : g.lacks()) assertThat(r.body()).as(what).doesNotContain(piece);
      if (g.json() != null) {
        assertThat(r.contentType()).as(what).startsWith("application/json");
        g.json().accept(queues, new JsonObject(r.body()));
      }
    }
    // test_get_queue_url_works_for_same_queue / _work_for_different_queue: the URL is the queue's, wherever asked.
    assertThat(answers.get(first, Map.of(), "Action", "GetQueueUrl", "QueueName", "get-first").body())
        .contains("<QueueUrl>" + first + "</QueueUrl>");
    assertThat(answers.get(first, Map.of(), "Action", "GetQueueUrl", "QueueName", "get-second").body())
        .contains("<QueueUrl>" + second + "</QueueUrl>").doesNotContain(first);
    // The queue deleted over GET is gone.
    assertThat(answers.query("Action", "GetQueueUrl", "QueueName", "get-doomed").status()).isEqualTo(400);
  }
}
