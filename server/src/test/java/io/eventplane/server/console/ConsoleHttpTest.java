package io.eventplane.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The console over plain HTTP (no browser): where a browser's {@code GET /} goes and where an SDK's
 * stays, pages and their paging, escaping, the forms' effects seen through the SDK, peek leaving
 * messages as they are, the live stream, and bad requests.
 */
class ConsoleHttpTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  private final ConsolePages pages = new ConsolePages(server.endpoint());

  private SqsClient sqs() {
    return server.sqs();
  }

  @Test
  void aBrowserAtTheRootIsSentToTheConsoleAndAnSdkIsNot() {
    HttpResponse<String> browser = pages.get("/", "Accept", BROWSER_ACCEPT);
    assertThat(browser.statusCode()).isEqualTo(302);
    assertThat(browser.headers().firstValue("Location")).hasValue(ConsolePages.PREFIX);
    // An unsigned GET / that does not ask for HTML is what it was before (not a redirect).
    assertThat(pages.get("/").statusCode()).isNotEqualTo(302);
    assertThat(pages.get("/", "Accept", "*/*").statusCode()).isNotEqualTo(302);
    // A signed GET / is S3's ListBuckets, whatever it accepts.
    server.s3().createBucket(b -> b.bucket("console-root"));
    HttpResponse<String> signed = pages.get("/", "Accept", BROWSER_ACCEPT, "Authorization",
        "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00",
        "x-amz-content-sha256", "UNSIGNED-PAYLOAD", "x-amz-date", "20260101T000000Z");
    assertThat(signed.statusCode()).isEqualTo(200);
    assertThat(signed.body()).contains("ListAllMyBucketsResult").contains("console-root");
    assertThat(server.s3().listBuckets().buckets()).extracting(b -> b.name()).contains("console-root");
    HttpResponse<String> presigned = pages.get("/?X-Amz-Credential=test%2F20260101%2Fus-east-1%2Fs3%2Faws4_request",
        "Accept", BROWSER_ACCEPT);
    assertThat(presigned.statusCode()).isNotEqualTo(302);
  }

  @Test
  void overviewCountsResourcesAndShowsTheNode() {
    sqs().createQueue(b -> b.queueName("ov-1"));
    sqs().createQueue(b -> b.queueName("ov-2"));
    HttpResponse<String> page = pages.get(ConsolePages.PREFIX);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(page.body()).contains("<h1>Overview</h1>").containsPattern("Queues \\(SQS\\)</a></th><td>2</td>")
        .contains("Topics (SNS)").contains("Buckets (S3)").contains("Functions (Lambda)").contains("class=\"health\">ok<");
    assertThat(pages.get("/_eventplane/console").statusCode()).isEqualTo(301);
  }

  @Test
  void queuesArePagedThroughListQueues() {
    for (int i = 0; i < 120; i++) {
      String name = String.format("pg-%03d", i);
      sqs().createQueue(b -> b.queueName(name));
    }
    sqs().createQueue(b -> b.queueName("other"));
    List<String> seen = new ArrayList<>();
    String path = ConsolePages.PREFIX + "queues?prefix=pg-";
    int pagesRead = 0;
    while (path != null) {
      HttpResponse<String> page = pages.get(path);
      assertThat(page.statusCode()).isEqualTo(200);
      Matcher names = Pattern.compile("queues/(pg-\\d{3})\">").matcher(page.body());
      List<String> onPage = new ArrayList<>();
      while (names.find()) onPage.add(names.group(1));
      assertThat(onPage).hasSizeLessThanOrEqualTo(50).isNotEmpty();
      assertThat(page.body()).doesNotContain("queues/other\"");
      seen.addAll(onPage);
      Matcher next = Pattern.compile("rel=\"next\" href=\"([^\"]+)\"").matcher(page.body());
      path = next.find() ? next.group(1).replace("&amp;", "&") : null;
      pagesRead++;
    }
    assertThat(pagesRead).isEqualTo(3);
    assertThat(seen).hasSize(120).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void sendPutsAMessageThatAReceiveGetsAndBodiesAreEscaped() {
    String url = sqs().createQueue(b -> b.queueName("sendme")).queueUrl();
    String body = "<script>alert('x')</script> & more";
    HttpResponse<String> sent = pages.post(ConsolePages.PREFIX + "queues/sendme/send",
        "body=" + java.net.URLEncoder.encode(body, StandardCharsets.UTF_8) + "&delay=0");
    assertThat(sent.statusCode()).isEqualTo(303);
    String location = sent.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(ConsolePages.PREFIX + "queues/sendme?sent=");
    List<Message> got = sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
    assertThat(got).singleElement().satisfies(m -> {
      assertThat(m.body()).isEqualTo(body);
      assertThat(location).endsWith(m.messageId());
    });
    HttpResponse<String> after = pages.get(location);
    assertThat(after.body()).contains("Sent message " + got.get(0).messageId());
    HttpResponse<String> peek = pages.get(ConsolePages.PREFIX + "queues/sendme/peek", "HX-Request", "true");
    assertThat(peek.body()).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more").doesNotContain("<script>alert");
    // A delay out of range is SQS's error, shown on the page.
    HttpResponse<String> refused = pages.post(ConsolePages.PREFIX + "queues/sendme/send", "body=x&delay=901");
    assertThat(refused.statusCode()).isEqualTo(303);
    assertThat(pages.get(refused.headers().firstValue("Location").orElseThrow()).body())
        .contains("role=\"alert\"").contains("InvalidParameterValue");
  }

  @Test
  void peekLeavesMessagesAsTheyAre() {
    String url = sqs().createQueue(b -> b.queueName("peeky")).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("first"));
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("second"));
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("later").delaySeconds(60));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).visibilityTimeout(30)).messages())
        .extracting(Message::body).containsExactly("first");
    Map<String, String> before = counts(url);
    assertThat(before).containsEntry("ApproximateNumberOfMessagesNotVisible", "1")
        .containsEntry("ApproximateNumberOfMessages", "1").containsEntry("ApproximateNumberOfMessagesDelayed", "1");

    HttpResponse<String> peek = pages.get(ConsolePages.PREFIX + "queues/peeky/peek");
    assertThat(peek.statusCode()).isEqualTo(200);
    assertThat(peek.body()).contains("<h1>Peek at peeky</h1>").contains("first").contains("second").contains("later")
        .contains("in flight").contains("delayed").contains("visible");
    assertThat(counts(url)).isEqualTo(before);
    // The visible message was not received by the peek: its first receive counts 1.
    List<Message> got = sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
        .messageSystemAttributeNamesWithStrings("ApproximateReceiveCount")).messages();
    assertThat(got).singleElement().satisfies(m -> {
      assertThat(m.body()).isEqualTo("second");
      assertThat(m.attributesAsStrings()).containsEntry("ApproximateReceiveCount", "1");
    });
  }

  @Test
  void purgeNeedsItsConfirmation() {
    String url = sqs().createQueue(b -> b.queueName("purgeable")).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("doomed"));
    assertThat(pages.get(ConsolePages.PREFIX + "queues/purgeable/purge").body()).contains("id=\"confirm-purge\"");
    HttpResponse<String> unconfirmed = pages.post(ConsolePages.PREFIX + "queues/purgeable/purge", "");
    assertThat(unconfirmed.headers().firstValue("Location").orElseThrow()).contains("failed=");
    assertThat(counts(url)).containsEntry("ApproximateNumberOfMessages", "1");
    HttpResponse<String> purged = pages.post(ConsolePages.PREFIX + "queues/purgeable/purge", "confirm=purgeable");
    assertThat(purged.headers().firstValue("Location").orElseThrow()).endsWith("?purged=purgeable");
    assertThat(counts(url)).containsEntry("ApproximateNumberOfMessages", "0");
  }

  @Test
  void theLiveStreamSendsTheCounts() throws Exception {
    String url = sqs().createQueue(b -> b.queueName("livewire")).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("one"));
    HttpRequest request = HttpRequest.newBuilder(pages.uri(ConsolePages.PREFIX + "queues/livewire/live"))
        .timeout(Duration.ofSeconds(30)).header("Accept", "text/event-stream").GET().build();
    HttpResponse<InputStream> stream = pages.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      String event = null;
      String data = null;
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.startsWith("event: ")) event = line.substring(7);
        if (line.startsWith("data: ")) data = line.substring(6);
        if (line.isEmpty() && event != null) break;
      }
      assertThat(event).isEqualTo("depth");
      assertThat(data).contains("data-visible=\"1\"").contains("data-inflight=\"0\"");
    }
    assertThat(pages.get(ConsolePages.PREFIX + "queues/nosuchqueue/live").statusCode()).isEqualTo(204);
  }

  @Test
  void badRequestsGetPagesNotFailures() {
    assertThat(pages.get(ConsolePages.PREFIX + "queues/nosuchqueue").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "queues/nosuchqueue").body()).contains("QueueDoesNotExist");
    assertThat(pages.get(ConsolePages.PREFIX + "queues/bad%20name!").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "nowhere").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "assets/../../pom.xml").statusCode()).isEqualTo(404);
    assertThat(pages.get(ConsolePages.PREFIX + "assets/htmx.min.js").statusCode()).isEqualTo(200);
    sqs().createQueue(b -> b.queueName("guarded"));
    // A form from another site is refused (the browser says where it comes from).
    assertThat(pages.post(ConsolePages.PREFIX + "queues/guarded/send", "body=x", "Origin", "http://evil.example")
        .statusCode()).isEqualTo(403);
    assertThat(pages.post(ConsolePages.PREFIX + "queues/guarded/send", "body=x", "Sec-Fetch-Site", "cross-site")
        .statusCode()).isEqualTo(403);
    // Not a form; the wrong method.
    HttpResponse<String> json = pages.send(HttpRequest.newBuilder(pages.uri(ConsolePages.PREFIX + "queues/guarded/send"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(json.statusCode()).isEqualTo(400);
    assertThat(pages.get(ConsolePages.PREFIX + "queues/guarded/send").statusCode()).isEqualTo(405);
    // A body larger than the console's forms take.
    byte[] huge = new byte[4 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) 'a');
    HttpResponse<String> tooLarge = pages.send(HttpRequest.newBuilder(pages.uri(ConsolePages.PREFIX + "queues/guarded/send"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(tooLarge.statusCode()).isEqualTo(400);
    assertThat(counts(sqs().getQueueUrl(b -> b.queueName("guarded")).queueUrl())).containsEntry("ApproximateNumberOfMessages", "0");
  }

  @Test
  void thePeekOperationIsNotOnTheWire() {
    String url = sqs().createQueue(b -> b.queueName("wired")).queueUrl();
    HttpResponse<String> answer = pages.send(HttpRequest.newBuilder(pages.uri("/"))
        .header("Content-Type", "application/x-amz-json-1.0").header("X-Amz-Target", "AmazonSQS.eventplane:PeekMessages")
        .POST(HttpRequest.BodyPublishers.ofString("{\"QueueUrl\":\"" + url + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("UnknownOperationException").doesNotContain("\"Messages\"");
  }

  @Test
  void fifoQueuesTakeAGroupAndTheConsolesCallsAreCountedLikeAnSdks() {
    String url = sqs().createQueue(b -> b.queueName("ordered.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
        QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
    assertThat(pages.get(ConsolePages.PREFIX + "queues/ordered.fifo").body()).contains("id=\"group\"").doesNotContain("id=\"delay\"");
    double before = sendsCounted();
    HttpResponse<String> sent = pages.post(ConsolePages.PREFIX + "queues/ordered.fifo/send", "body=first&group=g1&dedup=");
    assertThat(sent.headers().firstValue("Location").orElseThrow()).contains("?sent=");
    List<Message> got = sqs().receiveMessage(b -> b.queueUrl(url).messageSystemAttributeNamesWithStrings("MessageGroupId")).messages();
    assertThat(got).singleElement().satisfies(m -> {
      assertThat(m.body()).isEqualTo("first");
      assertThat(m.attributesAsStrings()).containsEntry("MessageGroupId", "g1");
    });
    // The gateway's API metrics count the console's SendMessage as a client's.
    assertThat(sendsCounted()).isEqualTo(before + 1);
  }

  /** eventplane_api_requests_total of sqs SendMessage ok on the console's node. */
  private double sendsCounted() {
    double sum = 0;
    for (String line : pages.get("/metrics").body().split("\n")) {
      if (line.startsWith("eventplane_api_requests_total{") && line.contains("service=\"sqs\"")
          && line.contains("operation=\"SendMessage\"") && line.contains("outcome=\"ok\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  private Map<String, String> counts(String url) {
    return sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
        .attributesAsStrings();
  }
}
