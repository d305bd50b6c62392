package io.eventplane.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The console's escaping, form parsing, fragments and the webjar files it serves. */
class ConsolePiecesTest {
  @Test
  void textEscapesMarkupAndQuotes() {
    assertThat(Html.text("<script>alert('x') & \"y\"</script>"))
        .isEqualTo("&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
    assertThat(Html.text("plain-name_1.fifo")).isEqualTo("plain-name_1.fifo");
    assertThat(Html.text(null)).isEmpty();
    assertThat(Html.url("a b&c=d/é")).isEqualTo("a%20b%26c%3Dd%2F%C3%A9");
  }

  @Test
  void formsDecodeFieldsAndSkipMalformedOnes() {
    MultiMap form = Forms.parse("body=hello+world%21&delay=5&bad=%zz&empty=&flag");
    assertThat(form.get("body")).isEqualTo("hello world!");
    assertThat(form.get("delay")).isEqualTo("5");
    assertThat(form.get("bad")).isNull();
    assertThat(form.get("empty")).isEmpty();
    assertThat(form.get("flag")).isEmpty();
    assertThat(Forms.parse("").isEmpty()).isTrue();
  }

  @Test
  void fragmentsEscapeWhatTheServicesAnswer() {
    String peeked = QueueFragments.peeked(new JsonObject().put("Messages", new JsonArray().add(new JsonObject()
        .put("MessageId", "id<1>").put("Body", "<img src=x onerror=alert(1)>").put("Status", "IN_FLIGHT")
        .put("Attributes", new JsonObject().put("SentTimestamp", "0").put("ApproximateReceiveCount", "2")))));
    assertThat(peeked).contains("&lt;img src=x onerror=alert(1)&gt;").contains("id&lt;1&gt;").contains("in flight")
        .doesNotContain("<img");
    assertThat(QueueFragments.peeked(new JsonObject())).contains("no messages");
    String depth = QueueFragments.depth(new JsonObject().put("ApproximateNumberOfMessages", "3")
        .put("ApproximateNumberOfMessagesNotVisible", "1"), 2_000);
    assertThat(depth).contains("data-visible=\"3\"").contains("data-inflight=\"1\"").contains("data-delayed=\"0\"")
        .contains("data-time=\"2.0\"").doesNotContain("\n");
    String tasks = QueueFragments.moveTasks(new JsonObject().put("Results", new JsonArray().add(new JsonObject()
        .put("Status", "RUNNING").put("ApproximateNumberOfMessagesMoved", 2).put("ApproximateNumberOfMessagesToMove", 5)
        .put("StartedTimestamp", 0L))));
    assertThat(tasks).contains("<progress max=\"5\" value=\"2\"").contains("RUNNING").contains("its source queues");
  }

  @Test
  void everyServedFileIsOnTheClasspath() throws Exception {
    for (String resource : Assets.FILES.values()) {
      assertThat(Assets.read(resource)).as(resource).isNotEmpty();
    }
    assertThat(new String(Assets.read(Assets.HTMX), StandardCharsets.UTF_8)).contains("htmx");
    assertThat(new String(Assets.read(Assets.HTMX_SSE), StandardCharsets.UTF_8)).contains("sse-swap");
    assertThat(new String(Assets.read(Assets.UPLOT_JS), StandardCharsets.UTF_8)).contains("uPlot");
  }

  @Test
  void thePeekOperationIsNotOnTheSqsWire() {
    assertThat(io.eventplane.gateway.sqs.SqsModel.operations()).doesNotContain(QueueNames.PEEK);
  }
}
