package io.eventplane.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.model.Message;

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
  @RegisterExtension static final Browser browser = new Browser(server);

  private String queueArn(String url) {
    return QueueReads.queueArn(server.sqs(), url);
  }

  private List<Message> receive(String url, int atLeast) {
    return QueueReads.receive(server.sqs(), url, atLeast);
  }

  private JsonObject s3Record(String url) {
    return QueueReads.s3Record(server.sqs(), url);
  }

  @Test
  void publishingFromTheTopicPageReachesASubscribedQueue() {
    String topic = server.sns().createTopic(b -> b.name("orders")).topicArn();
    server.sns().createTopic(b -> b.name("payments"));
    String queue = server.sqs().createQueue(b -> b.queueName("order-audit")).queueUrl();
    String dlq = server.sqs().createQueue(b -> b.queueName("order-audit-dlq")).queueUrl();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn(queue)).attributes(Map.of(
        "FilterPolicy", "{\"region\":[\"eu\",\"us\"]}", "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + queueArn(dlq) + "\"}")));

    browser.driver.get(browser.console(""));
    browser.find("a[href$='console/topics']").click();
    browser.awaitElement("table#topics");
    assertThat(browser.driver.findElements(By.cssSelector("table#topics tbody tr"))).hasSize(2);
    browser.assertCleanPage();
    browser.screenshot("topics");

    browser.find("a[href$='topics/orders']").click();
    browser.awaitElement("table#subscriptions");
    assertThat(browser.find("h1").getText()).isEqualTo("Topic orders");
    assertThat(browser.find("table#subscriptions").getText()).contains("order-audit").contains("\"region\"").contains("order-audit-dlq");
    browser.find("#message").sendKeys("{\"order\": 42}");
    browser.find("#subject").sendKeys("New order");
    browser.find("#attr-name-0").sendKeys("region");
    new Select(browser.find("#attr-type-0")).selectByVisibleText("String");
    browser.find("#attr-value-0").sendKeys("eu");
    browser.assertCleanPage();
    browser.screenshot("topic");
    browser.find("#publish").click();
    await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver.findElements(By.id("flash")).isEmpty());
    assertThat(browser.find("#flash").getText()).startsWith("Published message ");

    Message got = receive(queue, 1).get(0);
    JsonObject envelope = new JsonObject(got.body());
    assertThat(envelope.getString("Message")).isEqualTo("{\"order\": 42}");
    assertThat(envelope.getString("Subject")).isEqualTo("New order");
    assertThat(envelope.getJsonObject("MessageAttributes").getJsonObject("region").getString("Value")).isEqualTo("eu");
    assertThat(browser.find("#flash").getText()).endsWith(envelope.getString("MessageId"));
    browser.assertCleanPage();
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

    browser.driver.get(browser.console("buckets"));
    browser.awaitElement("table#buckets");
    assertThat(browser.find("table#buckets").getText()).contains("photos").contains("invoices");
    browser.assertCleanPage();
    browser.screenshot("buckets");

    browser.find("a[href$='buckets/photos']").click();
    browser.awaitElement("table#objects");
    assertThat(browser.find("table#notifications").getText()).contains("new-photos").contains("s3:ObjectCreated:*");
    browser.find("a[href$='prefix=2026%2F']").click();
    browser.awaitElement("table#versions");
    assertThat(browser.find("table#objects").getText()).contains("cover.txt");
    assertThat(browser.driver.findElements(By.cssSelector("table#versions tbody tr"))).hasSize(2);
    assertThat(browser.find("#upload-prefix").getAttribute("value")).isEqualTo("2026/");

    Path file = Files.createTempDirectory("console-upload").resolve("beach.txt");
    Files.writeString(file, "sand and sea", StandardCharsets.UTF_8);
    try {
      browser.find("#upload-file").sendKeys(file.toString());
      browser.assertCleanPage();
      browser.screenshot("bucket");
      browser.find("#upload").click();
      await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver.findElements(By.id("flash")).isEmpty());
      assertThat(browser.find("#flash").getText()).isEqualTo("Uploaded 2026/beach.txt");
      assertThat(browser.find("table#objects").getText()).contains("beach.txt");
      browser.assertCleanPage();
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
    browser.awaitElement("#confirm-delete");
    browser.assertCleanPage();
    browser.find("#confirm-delete").click();
    await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver.findElements(By.id("flash")).isEmpty());
    assertThat(browser.find("#flash").getText()).isEqualTo("Deleted 2026/beach.txt");
    assertThat(s3.listObjectsV2(b -> b.bucket("photos").prefix("2026/beach")).keyCount()).isZero();
  }

  @Test
  void theFunctionInvokeFormShowsTheResult() {
    Functions.create(server.lambda(), "greeter", Functions.DIAGNOSTICS);
    String queue = server.sqs().createQueue(b -> b.queueName("greetings")).queueUrl();
    server.lambda().createEventSourceMapping(b -> b.functionName("greeter").eventSourceArn(queueArn(queue)).enabled(false));

    browser.driver.get(browser.console("functions"));
    browser.awaitElement("table#functions");
    assertThat(browser.find("table#functions").getText()).contains("greeter");
    browser.assertCleanPage();
    browser.screenshot("functions");

    browser.find("a[href$='functions/greeter']").click();
    browser.awaitElement("#payload");
    assertThat(browser.find("h1").getText()).isEqualTo("Function greeter");
    assertThat(browser.find("table#configuration").getText()).contains(Functions.DIAGNOSTICS);
    assertThat(browser.find("table#mappings").getText()).contains("greetings");
    WebElement payload = browser.find("#payload");
    payload.clear();
    payload.sendKeys("{\"log\": \"hello from the browser\"}");
    browser.find("#invoke").click();
    browser.awaitElement("#invoke-result");
    assertThat(browser.find("#invoke-status").getText()).isEqualTo("200");
    assertThat(browser.find("#invoke-payload").getText()).contains("\"functionName\" : \"greeter\"");
    assertThat(browser.find("#invoke-log").getText()).contains("hello from the browser");
    assertThat(browser.driver.findElements(By.id("invoke-error"))).isEmpty();
    browser.assertCleanPage();
    browser.screenshot("function");

    // A function's error is shown as such.
    payload = browser.find("#payload");
    payload.clear();
    payload.sendKeys("{\"fail\": \"no greeting today\"}");
    browser.find("#invoke").click();
    await().atMost(Duration.ofSeconds(30)).until(() -> !browser.driver.findElements(By.id("invoke-error")).isEmpty());
    assertThat(browser.find("#invoke-error").getText()).contains("Unhandled");
    assertThat(browser.find("#invoke-payload").getText()).contains("no greeting today");
    browser.assertCleanPage();
  }
}
