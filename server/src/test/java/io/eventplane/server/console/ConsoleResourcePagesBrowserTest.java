package io.eventplane.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The topic, bucket and function pages in a real browser (headless Chromium, one for the class):
 * each renders without console errors, with labelled inputs and one {@code h1}; publishing from the
 * topic page reaches a subscribed queue, an upload through the bucket page notifies its queue, and
 * the function invoke form shows the function's answer, each checked with the SDK. One-node run only
 * (as {@link ConsoleBrowserTest}). Saves the screenshots topics, topic, buckets, bucket, functions and
 * function ({@code -Deventplane.console.screenshots=../docs/console}).
 */
class ConsoleResourcePagesBrowserTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static Browser browser;

  @BeforeAll
  static void openBrowser() {
    browser = new Browser();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) browser.close();
  }

  @AfterEach
  void leavePage() {
    browser.driver.get("about:blank");
  }

  private String console(String path) {
    return server.endpoint().resolve(ConsolePages.PREFIX + path).toString();
  }

  private WebElement find(String css) {
    return browser.driver.findElement(By.cssSelector(css));
  }

  private void awaitElement(String css) {
    await().atMost(Duration.ofSeconds(30)).until(() -> !browser.driver.findElements(By.cssSelector(css)).isEmpty());
  }

  private void assertCleanPage() {
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
    assertThat(browser.unlabelledInputs()).as("inputs without a label").isEmpty();
    assertThat(browser.driver.findElements(By.tagName("h1"))).hasSize(1);
  }

  private String queueArn(String url) {
    return server.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
  }

  private List<Message> receive(String url, int atLeast) {
    List<Message> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      got.addAll(server.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
          .messageAttributeNames("All")).messages());
      return got.size() >= atLeast;
    });
    return got;
  }

  /** The first S3 event record the queue receives (S3's s3:TestEvent, sent when the configuration is set, skipped). */
  private JsonObject s3Record(String url) {
    JsonObject[] found = {null};
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      for (Message m : server.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        JsonObject body = new JsonObject(m.body());
        if (body.getJsonArray("Records") != null) found[0] = body.getJsonArray("Records").getJsonObject(0);
      }
      return found[0] != null;
    });
    return found[0];
  }

  @Test
  void publishingFromTheTopicPageReachesASubscribedQueue() {
    String topic = server.sns().createTopic(b -> b.name("orders")).topicArn();
    server.sns().createTopic(b -> b.name("payments"));
    String queue = server.sqs().createQueue(b -> b.queueName("order-audit")).queueUrl();
    String dlq = server.sqs().createQueue(b -> b.queueName("order-audit-dlq")).queueUrl();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(queue)).attributes(Map.of(
        "FilterPolicy", "{\"region\":[\"eu\",\"us\"]}", "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + queueArn(dlq) + "\"}")));

    browser.driver.get(console(""));
    find("a[href$='console/topics']").click();
    awaitElement("table#topics");
    assertThat(browser.driver.findElements(By.cssSelector("table#topics tbody tr"))).hasSize(2);
    assertCleanPage();
    browser.screenshot("topics");

    find("a[href$='topics/orders']").click();
    awaitElement("table#subscriptions");
    assertThat(find("h1").getText()).isEqualTo("Topic orders");
    assertThat(find("table#subscriptions").getText()).contains("order-audit").contains("\"region\"").contains("order-audit-dlq");
    find("#message").sendKeys("{\"order\": 42}");
    find("#subject").sendKeys("New order");
    find("#attr-name-0").sendKeys("region");
    new Select(find("#attr-type-0")).selectByVisibleText("String");
    find("#attr-value-0").sendKeys("eu");
    assertCleanPage();
    browser.screenshot("topic");
    find("#publish").click();
    await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver.findElements(By.id("flash")).isEmpty());
    assertThat(find("#flash").getText()).startsWith("Published message ");

    Message got = receive(queue, 1).get(0);
    JsonObject envelope = new JsonObject(got.body());
    assertThat(envelope.getString("Message")).isEqualTo("{\"order\": 42}");
    assertThat(envelope.getString("Subject")).isEqualTo("New order");
    assertThat(envelope.getJsonObject("MessageAttributes").getJsonObject("region").getString("Value")).isEqualTo("eu");
    assertThat(find("#flash").getText()).endsWith(envelope.getString("MessageId"));
    assertCleanPage();
  }

  @Test
  void anUploadThroughTheBucketPageNotifiesItsQueue() throws IOException {
    var s3 = server.s3();
    s3.createBucket(b -> b.bucket("photos"));
    s3.createBucket(b -> b.bucket("invoices"));
    s3.putBucketVersioning(b -> b.bucket("photos").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    s3.putObject(b -> b.bucket("photos").key("2026/cover.txt"), RequestBody.fromString("cover v1"));
    s3.putObject(b -> b.bucket("photos").key("2026/cover.txt"), RequestBody.fromString("cover v2"));
    s3.putObject(b -> b.bucket("photos").key("readme.txt"), RequestBody.fromString("hello"));
    String queue = server.sqs().createQueue(b -> b.queueName("new-photos")).queueUrl();
    s3.putBucketNotificationConfiguration(b -> b.bucket("photos").notificationConfiguration(n -> n.queueConfigurations(q -> q
        .id("new-photos").queueArn(queueArn(queue)).events(Event.S3_OBJECT_CREATED))));

    browser.driver.get(console("buckets"));
    awaitElement("table#buckets");
    assertThat(find("table#buckets").getText()).contains("photos").contains("invoices");
    assertCleanPage();
    browser.screenshot("buckets");

    find("a[href$='buckets/photos']").click();
    awaitElement("table#objects");
    assertThat(find("table#notifications").getText()).contains("new-photos").contains("s3:ObjectCreated:*");
    find("a[href$='prefix=2026%2F']").click();
    awaitElement("table#versions");
    assertThat(find("table#objects").getText()).contains("cover.txt");
    assertThat(browser.driver.findElements(By.cssSelector("table#versions tbody tr"))).hasSize(2);
    assertThat(find("#upload-prefix").getAttribute("value")).isEqualTo("2026/");

    Path file = Files.createTempDirectory("console-upload").resolve("beach.txt");
    Files.writeString(file, "sand and sea", StandardCharsets.UTF_8);
    try {
      find("#upload-file").sendKeys(file.toString());
      assertCleanPage();
      browser.screenshot("bucket");
      find("#upload").click();
      await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver.findElements(By.id("flash")).isEmpty());
      assertThat(find("#flash").getText()).isEqualTo("Uploaded 2026/beach.txt");
      assertThat(find("table#objects").getText()).contains("beach.txt");
      assertCleanPage();
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(file.getParent());
    }

    JsonObject record = s3Record(queue);
    assertThat(record.getString("eventName")).isEqualTo("ObjectCreated:Put");
    assertThat(record.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("2026/beach.txt");
    assertThat(record.getJsonObject("s3").getJsonObject("object").getLong("size")).isEqualTo(12L);
    assertThat(s3.getObjectAsBytes(b -> b.bucket("photos").key("2026/beach.txt")).asUtf8String()).isEqualTo("sand and sea");

    // Delete asks first, then deletes (a delete marker: the bucket is versioned).
    browser.driver.findElement(By.cssSelector("table#objects a.delete[aria-label='Delete 2026/beach.txt']")).click();
    awaitElement("#confirm-delete");
    assertCleanPage();
    find("#confirm-delete").click();
    await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver.findElements(By.id("flash")).isEmpty());
    assertThat(find("#flash").getText()).isEqualTo("Deleted 2026/beach.txt");
    assertThat(s3.listObjectsV2(b -> b.bucket("photos").prefix("2026/beach")).keyCount()).isZero();
  }

  @Test
  void theFunctionInvokeFormShowsTheResult() {
    Functions.create(server.lambda(), "greeter", Functions.DIAGNOSTICS);
    String queue = server.sqs().createQueue(b -> b.queueName("greetings")).queueUrl();
    server.lambda().createEventSourceMapping(b -> b.functionName("greeter").eventSourceArn(queueArn(queue)).enabled(false));

    browser.driver.get(console("functions"));
    awaitElement("table#functions");
    assertThat(find("table#functions").getText()).contains("greeter");
    assertCleanPage();
    browser.screenshot("functions");

    find("a[href$='functions/greeter']").click();
    awaitElement("#payload");
    assertThat(find("h1").getText()).isEqualTo("Function greeter");
    assertThat(find("table#configuration").getText()).contains(Functions.DIAGNOSTICS);
    assertThat(find("table#mappings").getText()).contains("greetings");
    WebElement payload = find("#payload");
    payload.clear();
    payload.sendKeys("{\"log\": \"hello from the browser\"}");
    find("#invoke").click();
    awaitElement("#invoke-result");
    assertThat(find("#invoke-status").getText()).isEqualTo("200");
    assertThat(find("#invoke-payload").getText()).contains("\"functionName\" : \"greeter\"");
    assertThat(find("#invoke-log").getText()).contains("hello from the browser");
    assertThat(browser.driver.findElements(By.id("invoke-error"))).isEmpty();
    assertCleanPage();
    browser.screenshot("function");

    // A function's error is shown as such.
    payload = find("#payload");
    payload.clear();
    payload.sendKeys("{\"fail\": \"no greeting today\"}");
    find("#invoke").click();
    await().atMost(Duration.ofSeconds(30)).until(() -> !browser.driver.findElements(By.id("invoke-error")).isEmpty());
    assertThat(find("#invoke-error").getText()).contains("Unhandled");
    assertThat(find("#invoke-payload").getText()).contains("no greeting today");
    assertCleanPage();
  }
}
