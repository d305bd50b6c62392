package io.eventplane.server.sqs;

import static io.eventplane.server.sqs.SqsAnswers.assertAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.sqs.SqsAnswers.Answer;
import io.eventplane.server.sqs.SqsAnswers.QueryReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Visibility and message groups of FIFO queues as SQS serves them, over both wire protocols. Each
 * scenario replays one of LocalStack's AWS-validated tests of {@code test_sqs.py} (named on the row)
 * with the order of bodies AWS answered: a group's head decides whether it delivers, a group that
 * comes back (timeout ran out, changed to 0, received with 0) queues behind the groups that waited,
 * a deleted head lets the group keep its place. Deduplication per message group, and the high
 * throughput attributes switched after creation, are pinned after them.
 */
class FifoGroupAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private final SqsAnswers answers = new SqsAnswers(server);

  private SqsClient sqs() {
    return server.sqs();
  }

  /** A received message: its body and receipt handle. */
  private record Got(String body, String handle) {}

  /** The calls a scenario makes, over one wire protocol. */
  private interface Wire {
    String create(String name, Map<String, String> attributes) throws Exception;

    void send(String url, String body, String group, String dedup) throws Exception;

    List<Got> receive(String url, int max, Integer visibilityTimeout) throws Exception;

    void changeVisibility(String url, String handle, int timeout) throws Exception;

    void delete(String url, String handle) throws Exception;
  }

  private final Wire json = new Wire() {
    @Override
    public String create(String name, Map<String, String> attributes) {
      return sqs().createQueue(b -> b.queueName(name).attributesWithStrings(attributes)).queueUrl();
    }

    @Override
    public void send(String url, String body, String group, String dedup) {
      sqs().sendMessage(b -> b.queueUrl(url).messageBody(body).messageGroupId(group).messageDeduplicationId(dedup));
    }

    @Override
    public List<Got> receive(String url, int max, Integer visibilityTimeout) {
      return sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(max).visibilityTimeout(visibilityTimeout))
          .messages().stream().map((Message m) -> new Got(m.body(), m.receiptHandle())).toList();
    }

    @Override
    public void changeVisibility(String url, String handle, int timeout) {
      sqs().changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(handle).visibilityTimeout(timeout));
    }

    @Override
    public void delete(String url, String handle) {
      sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(handle));
    }
  };

  private final Wire query = new Wire() {
    @Override
    public String create(String name, Map<String, String> attributes) throws Exception {
      return ok(answers.query(SqsAnswers.withAttributes(new String[] {"Action", "CreateQueue", "QueueName", name}, attributes)))
          .text("QueueUrl");
    }

    @Override
    public void send(String url, String body, String group, String dedup) throws Exception {
      List<String> p = new ArrayList<>(List.of("Action", "SendMessage", "QueueUrl", url, "MessageBody", body, "MessageGroupId", group));
      if (dedup != null) p.addAll(List.of("MessageDeduplicationId", dedup));
      ok(answers.query(p.toArray(String[]::new)));
    }

    @Override
    public List<Got> receive(String url, int max, Integer visibilityTimeout) throws Exception {
      List<String> p = new ArrayList<>(List.of("Action", "ReceiveMessage", "QueueUrl", url, "MaxNumberOfMessages", Integer.toString(max)));
      if (visibilityTimeout != null) p.addAll(List.of("VisibilityTimeout", visibilityTimeout.toString()));
      QueryReply r = ok(answers.query(p.toArray(String[]::new)));
      List<Got> out = new ArrayList<>();
      for (Element m : r.all("Message")) out.add(new Got(QueryReply.text(m, "Body"), QueryReply.text(m, "ReceiptHandle")));
      return out;
    }

    @Override
    public void changeVisibility(String url, String handle, int timeout) throws Exception {
      ok(answers.query("Action", "ChangeMessageVisibility", "QueueUrl", url, "ReceiptHandle", handle,
          "VisibilityTimeout", Integer.toString(timeout)));
    }

    @Override
    public void delete(String url, String handle) throws Exception {
      ok(answers.query("Action", "DeleteMessage", "QueueUrl", url, "ReceiptHandle", handle));
    }

    private QueryReply ok(QueryReply r) {
      assertThat(r.status()).as(r.raw()).isEqualTo(200);
      return r;
    }
  };

  /** One step of a scenario. */
  private interface Step {}

  /** ReceiveMessage (a null timeout: the queue's) and the bodies AWS answered, in order. */
  private record Receive(int max, Integer visibilityTimeout, List<String> bodies) implements Step {}

  /** ChangeMessageVisibility of the message last received with this body. */
  private record Change(String body, int timeout) implements Step {}

  /** DeleteMessage of the message last received with this body. */
  private record Delete(String body) implements Step {}

  /** Time passes. */
  private record Wait(int seconds) implements Step {}

  /** A message sent: body, group, deduplication id (null: content-based). */
  private record Send(String body, String group, String dedup) {}

  private record Scenario(String recording, Map<String, String> attributes, List<Send> sends, List<Step> steps) {}

  private static final Map<String, String> CBD = Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true");

  private static Map<String, String> with(Map<String, String> base, String... more) {
    Map<String, String> out = new HashMap<>(base);
    for (int i = 0; i < more.length; i += 2) out.put(more[i], more[i + 1]);
    return out;
  }

  private static Send s(String body, String group) {
    return new Send(body, group, null);
  }

  private static Receive receive(int max, Integer timeout, String... bodies) {
    return new Receive(max, timeout, List.of(bodies));
  }

  private static final List<Send> INTERLEAVED = List.of(s("g1-m1", "group-1"), s("g2-m1", "group-2"), s("g1-m2", "group-1"),
      s("g2-m2", "group-2"), s("g1-m2", "group-1"), s("g1-m3", "group-1"), s("g1-m4", "group-1"), s("g3-m1", "group-3"));

  private static final List<Scenario> SCENARIOS = List.of(
      new Scenario("test_fifo_receive_message_group_id_ordering", CBD,
          List.of(s("g1-m1", "group-1"), s("g2-m1", "group-2"), s("g1-m2", "group-1"), s("g1-m3", "group-1")),
          List.of(receive(10, null, "g1-m1", "g1-m2", "g1-m3", "g2-m1"))),
      new Scenario("test_fifo_receive_message_with_zero_visibility_timeout", CBD,
          List.of(s("g1-m1", "group-1"), s("g2-m1", "group-2"), s("g2-m2", "group-2"), s("g3-m1", "group-3"), s("g1-m2", "group-1")),
          List.of(receive(3, 0, "g1-m1", "g1-m2", "g2-m1"),
              receive(10, 0, "g3-m1", "g1-m1", "g1-m2", "g2-m1", "g2-m2"))),
      new Scenario("test_fifo_receive_message_visibility_timeout_shared_in_group", with(CBD, "VisibilityTimeout", "1"),
          List.of(s("g1-m1", "group-1"), s("g1-m2", "group-1"), s("g1-m3", "group-1"), s("g1-m4", "group-1"),
              s("g2-m1", "group-2"), s("g3-m1", "group-3")),
          List.of(receive(2, null, "g1-m1", "g1-m2"), receive(1, null, "g2-m1"), new Wait(2),
              receive(10, 0, "g3-m1", "g1-m1", "g1-m2", "g1-m3", "g1-m4", "g2-m1"))),
      new Scenario("test_fifo_message_group_visibility_after_terminate_visibility_timeout", with(CBD, "VisibilityTimeout", "30"),
          List.of(s("g1-m1", "group-1"), s("g1-m2", "group-1"), s("g2-m1", "group-2")),
          List.of(receive(2, null, "g1-m1", "g1-m2"), new Change("g1-m1", 0), receive(3, null, "g2-m1", "g1-m1"))),
      new Scenario("test_fifo_message_group_visibility_after_change_message_visibility", with(CBD, "VisibilityTimeout", "30"),
          List.of(s("g1-m1", "group-1"), s("g1-m2", "group-1"), s("g2-m1", "group-2")),
          List.of(receive(2, null, "g1-m1", "g1-m2"), new Change("g1-m1", 1), new Wait(2),
              receive(3, null, "g2-m1", "g1-m1"))),
      new Scenario("test_fifo_message_group_visibility_after_delete", CBD, INTERLEAVED,
          List.of(receive(2, null, "g1-m1", "g1-m2"), new Delete("g1-m1"), new Delete("g1-m2"),
              receive(10, null, "g2-m1", "g2-m2", "g1-m3", "g1-m4", "g3-m1"))),
      new Scenario("test_fifo_message_group_visibility_after_partial_delete", CBD, INTERLEAVED,
          List.of(receive(2, null, "g1-m1", "g1-m2"), new Delete("g1-m1"), receive(10, null, "g2-m1", "g2-m2", "g3-m1"))),
      new Scenario("test_fifo_messages_in_order_after_timeout", Map.of("FifoQueue", "true", "VisibilityTimeout", "1"),
          List.of(new Send("message-0", "1", "0"), new Send("message-1", "1", "1"), new Send("message-2", "1", "2")),
          List.of(receive(10, null, "message-0", "message-1", "message-2"), new Wait(2),
              receive(10, null, "message-0", "message-1", "message-2"))),
      new Scenario("test_fifo_deduplication_not_on_message_group_id", Map.of("FifoQueue", "true"),
          List.of(new Send("item", "group-1", "dedup1"), new Send("item-again", "group-2", "dedup1")),
          List.of(receive(10, null, "item"))),
      // DeduplicationScope=messageGroup (API reference): one id deduplicates within its group only.
      new Scenario("DeduplicationScope messageGroup", Map.of("FifoQueue", "true", "DeduplicationScope", "messageGroup",
              "FifoThroughputLimit", "perMessageGroupId"),
          List.of(new Send("x", "g1", "same"), new Send("y", "g2", "same"), new Send("z", "g1", "same")),
          List.of(receive(10, null, "x", "y"))));

  private void play(Wire wire, String suffix) throws Exception {
    int n = 0;
    for (Scenario sc : SCENARIOS) {
      String url = wire.create("s" + n++ + suffix + ".fifo", sc.attributes());
      for (Send send : sc.sends()) wire.send(url, send.body(), send.group(), send.dedup());
      Map<String, String> handles = new HashMap<>();
      int i = 0;
      for (Step step : sc.steps()) {
        String what = sc.recording() + " step " + i++;
        if (step instanceof Receive r) {
          List<Got> got = wire.receive(url, r.max(), r.visibilityTimeout());
          assertThat(got).as(what).extracting(Got::body).containsExactlyElementsOf(r.bodies());
          got.forEach(g -> handles.put(g.body(), g.handle()));
        } else if (step instanceof Change c) {
          wire.changeVisibility(url, handles.get(c.body()), c.timeout());
        } else if (step instanceof Delete d) {
          wire.delete(url, handles.get(d.body()));
        } else if (step instanceof Wait w) {
          server.advance(Duration.ofSeconds(w.seconds()));
        }
      }
    }
  }

  @Test
  void messageGroupsAreServedAsAwsServesThemOverJson() throws Exception {
    play(json, "-j");
  }

  @Test
  void messageGroupsAreServedAsAwsServesThemOverQuery() throws Exception {
    play(query, "-q");
  }

  /** One SetQueueAttributes of the high throughput pair and what GetQueueAttributes shows after it. */
  private record Switch(Map<String, String> set, Answer expected, String scope, String limit) {}

  /**
   * High throughput switched on and off after creation. The API reference allows perMessageGroupId
   * only with DeduplicationScope messageGroup; no recording gives SQS's wording of that refusal,
   * so its rows pin status and code.
   */
  private static final List<Switch> SWITCHES = List.of(
      new Switch(Map.of("DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId"), Answer.ok(),
          "messageGroup", "perMessageGroupId"),
      new Switch(Map.of("FifoThroughputLimit", "perQueue"), Answer.ok(), "messageGroup", "perQueue"),
      new Switch(Map.of("FifoThroughputLimit", "perMessageGroupId"), Answer.ok(), "messageGroup", "perMessageGroupId"),
      new Switch(Map.of("DeduplicationScope", "queue"), Answer.errorCode(400, "InvalidAttributeValue"),
          "messageGroup", "perMessageGroupId"),
      new Switch(Map.of("DeduplicationScope", "queue", "FifoThroughputLimit", "perQueue"), Answer.ok(), "queue", "perQueue"),
      new Switch(Map.of("FifoThroughputLimit", "perMessageGroupId"), Answer.errorCode(400, "InvalidAttributeValue"),
          "queue", "perQueue"),
      new Switch(Map.of("DeduplicationScope", "messageGroup"), Answer.ok(), "messageGroup", "perQueue"),
      new Switch(Map.of("FifoThroughputLimit", "perGroup"), Answer.errorCode(400, "InvalidAttributeValue"),
          "messageGroup", "perQueue"));

  private static final List<String> PAIR = List.of("DeduplicationScope", "FifoThroughputLimit");

  @Test
  void highThroughputSwitchedAfterCreationOverJson() throws Exception {
    String url = json.create("ht-j.fifo", Map.of("FifoQueue", "true"));
    assertThat(sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(PAIR)).attributesAsStrings())
        .isEqualTo(Map.of("DeduplicationScope", "queue", "FifoThroughputLimit", "perQueue"));
    for (Switch s : SWITCHES) {
      Answer a = SqsAnswers.json(() -> sqs().setQueueAttributes(b -> b.queueUrl(url).attributesWithStrings(s.set())));
      assertAnswer("SetQueueAttributes " + s.set(), a, s.expected());
      assertThat(sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings(PAIR)).attributesAsStrings())
          .as("after %s", s.set()).isEqualTo(Map.of("DeduplicationScope", s.scope(), "FifoThroughputLimit", s.limit()));
    }
    assertAnswer("CreateQueue queue + perMessageGroupId", SqsAnswers.json(() -> json.create("ht-bad-j.fifo",
        Map.of("FifoQueue", "true", "DeduplicationScope", "queue", "FifoThroughputLimit", "perMessageGroupId"))),
        Answer.errorCode(400, "InvalidAttributeValue"));
  }

  @Test
  void highThroughputSwitchedAfterCreationOverQuery() throws Exception {
    String url = query.create("ht-q.fifo", Map.of("FifoQueue", "true"));
    for (Switch s : SWITCHES) {
      Answer a = answers.query(SqsAnswers.withAttributes(new String[] {"Action", "SetQueueAttributes", "QueueUrl", url},
          new LinkedHashMap<>(s.set()))).answer();
      assertAnswer("SetQueueAttributes " + s.set(), a, s.expected());
      QueryReply r = answers.query("Action", "GetQueueAttributes", "QueueUrl", url,
          "AttributeName.1", PAIR.get(0), "AttributeName.2", PAIR.get(1));
      assertThat(QueryReply.pairs(r.all("GetQueueAttributesResult").get(0), "Attribute", "Name"))
          .as("after %s", s.set()).isEqualTo(Map.of("DeduplicationScope", s.scope(), "FifoThroughputLimit", s.limit()));
    }
    assertAnswer("CreateQueue queue + perMessageGroupId", answers.query(SqsAnswers.withAttributes(
            new String[] {"Action", "CreateQueue", "QueueName", "ht-bad-q.fifo"},
            Map.of("FifoQueue", "true", "DeduplicationScope", "queue", "FifoThroughputLimit", "perMessageGroupId"))).answer(),
        Answer.errorCode(400, "InvalidAttributeValue"));
  }
}
