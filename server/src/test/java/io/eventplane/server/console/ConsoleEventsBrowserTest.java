package io.eventplane.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The buses, rules, archives and replays, streams, audit trail and cluster pages in a real browser
 * (headless Chromium, one for the class; one-node run only, like {@link ConsoleBrowserTest}): each
 * renders without console errors, with labelled inputs and one {@code h1}; the rule's test form
 * answers match and no match; a replay started from its archive's page shows its progress bar
 * growing to completion; the audit page finds a call the SDK just made. Saves each page's screenshot.
 */
class ConsoleEventsBrowserTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
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

  private WebElement awaitElement(String css) {
    await().atMost(Duration.ofSeconds(15)).until(() -> !browser.driver.findElements(By.cssSelector(css)).isEmpty());
    return find(css);
  }

  /** An attribute (or, for null, the text) of what the live stream keeps replacing, read in one go. */
  private String live(String css, String attribute) {
    Object value = browser.driver.executeScript("const e = document.querySelector(arguments[0]);"
        + " return e == null ? null : arguments[1] == null ? e.textContent.trim() : e.getAttribute(arguments[1]);", css, attribute);
    return value == null ? null : value.toString();
  }

  private void assertCleanPage() {
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
    assertThat(browser.unlabelledInputs()).as("inputs without a label").isEmpty();
    assertThat(browser.driver.findElements(By.tagName("h1"))).hasSize(1);
  }

  private void setValue(String css, String value) {
    browser.driver.executeScript("document.querySelector(arguments[0]).value = arguments[1];", css, value);
  }

  @Test
  void theRuleTestsEventsAndAReplaysProgressBarAdvancesToCompletion() {
    EventBridgeClient events = server.eventBridge();
    String busArn = events.createEventBus(b -> b.name("orders")).eventBusArn();
    String queue = server.sqs().createQueue(b -> b.queueName("shipping")).queueUrl();
    events.putRule(b -> b.name("paid-orders").eventBusName("orders").description("Orders paid, to shipping")
        .eventPattern("{\"source\":[\"shop\"],\"detail-type\":[\"OrderPaid\"],\"detail\":{\"amount\":[{\"numeric\":[\">\",0]}]}}"));
    events.putTargets(b -> b.rule("paid-orders").eventBusName("orders").targets(Target.builder().id("shipping")
        .arn("arn:aws:sqs:us-east-1:000000000000:shipping").retryPolicy(r -> r.maximumRetryAttempts(3))
        .deadLetterConfig(d -> d.arn("arn:aws:sqs:us-east-1:000000000000:shipping-dlq")).build()));
    events.putRule(b -> b.name("refunds").eventBusName("orders").state("DISABLED").eventPattern("{\"detail-type\":[\"Refund\"]}"));
    events.createArchive(b -> b.archiveName("orders-archive").eventSourceArn(busArn).description("Every order event"));
    // 400 events a second apart on the injected clock's calendar: four pages of the replay's 100.
    for (int i = 0; i < 40; i++) {
      List<PutEventsRequestEntry> batch = new ArrayList<>();
      for (int j = 0; j < 10; j++) {
        int n = i * 10 + j;
        batch.add(PutEventsRequestEntry.builder().eventBusName("orders").source("shop").detailType("OrderPaid")
            .time(T0.plusSeconds(n)).detail("{\"amount\":" + (n + 1) + "}").build());
      }
      events.putEvents(b -> b.entries(batch));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> events.describeArchive(b -> b.archiveName("orders-archive")).eventCount() == 400);
    assertThat(queue).isNotNull();

    browser.driver.get(console(""));
    find("a[href$='console/buses']").click();
    awaitElement("table#buses");
    assertThat(find("table#buses").getText()).contains("default").contains("orders");
    assertCleanPage();
    browser.screenshot("buses");

    find("table#buses a[href$='buses/orders']").click();
    awaitElement("table#rules");
    assertThat(find("table#rules").getText()).contains("paid-orders").contains("refunds").contains("DISABLED");
    assertThat(find("table#archives").getText()).contains("orders-archive").contains("400");
    assertCleanPage();
    browser.screenshot("bus");

    find("table#rules a[href$='rules/paid-orders']").click();
    awaitElement("#pattern");
    assertThat(find("#pattern").getText()).contains("\"numeric\"").contains("\"OrderPaid\"");
    assertThat(find("table#targets").getText()).contains("shipping-dlq").contains("at most 3 retries");
    String event = "{\"id\":\"1\",\"account\":\"000000000000\",\"source\":\"shop\",\"time\":\"2026-01-01T00:00:00Z\","
        + "\"region\":\"us-east-1\",\"resources\":[],\"detail-type\":\"OrderPaid\",\"detail\":{\"amount\":%d}}";
    setValue("#event", event.formatted(25));
    find("#test-pattern").click();
    await().atMost(Duration.ofSeconds(10)).until(() -> "Match: the rule would send this event to its targets."
        .equals(live("#test-result", null)));
    // htmx swapped the answer in: still the rule's page, the event as typed.
    assertThat(browser.driver.getCurrentUrl()).endsWith("rules/paid-orders");
    WebElement textarea = find("#event");
    textarea.clear();
    textarea.sendKeys(event.formatted(0));
    find("#test-pattern").click();
    await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(live("#test-result", null)).startsWith("No match"));
    assertCleanPage();
    browser.screenshot("rule");

    find("a[href$='buses/orders']").click();
    find("table#archives a[href$='archives/orders-archive']").click();
    awaitElement("#start-replay");
    assertCleanPage();
    setValue("#replay-name", "orders-again");
    setValue("#replay-start", "2026-01-01T00:00:00");
    setValue("#replay-end", "2026-01-01T00:06:40");
    System.setProperty("eventplane.events.replayPagePauseMillis", "1500");
    List<Integer> seen = new CopyOnWriteArrayList<>();
    try {
      find("#start-replay").click();
      await().atMost(Duration.ofSeconds(10)).until(() -> browser.driver.getCurrentUrl().endsWith("replays/orders-again"));
      assertThat(find("h1").getText()).isEqualTo("Replay orders-again");
      // Caught mid-way: a page replayed, more to come.
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
        String v = live("#replay-progress", "value");
        if (v != null) seen.add(Integer.parseInt(v));
        return v != null && Integer.parseInt(v) > 0 && Integer.parseInt(v) < 1000;
      });
      assertThat(live("#replay-state", null)).isEqualTo("RUNNING");
      browser.screenshot("replay-in-progress");
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
        String v = live("#replay-progress", "value");
        if (v != null) seen.add(Integer.parseInt(v));
        return "COMPLETED".equals(live("#replay-state", null));
      });
    } finally {
      System.clearProperty("eventplane.events.replayPagePauseMillis");
    }
    assertThat(live("#replay-progress", "value")).isEqualTo("1000");
    assertThat(live("#replay-percent", null)).isEqualTo("100%");
    // The bar only grew, through values between empty and full.
    assertThat(seen).isSorted();
    assertThat(seen.stream().filter(v -> v > 0 && v < 1000).distinct().count()).isGreaterThanOrEqualTo(2);
    assertThat(live("#replay-last", null)).isEqualTo("2026-01-01T00:06:39Z");
    assertCleanPage();
    browser.screenshot("replay");
  }

  @Test
  void streamsListAndAStreamsShardsAndConsumers() {
    KinesisClient k = server.kinesis();
    k.createStream(b -> b.streamName("clickstream").shardCount(2));
    k.createStream(b -> b.streamName("orders-stream").shardCount(1));
    String arn = k.describeStreamSummary(b -> b.streamName("orders-stream")).streamDescriptionSummary().streamARN();
    server.advance(Duration.ofSeconds(1));
    k.splitShard(b -> b.streamName("orders-stream").shardToSplit("shardId-000000000000")
        .newStartingHashKey(BigInteger.ONE.shiftLeft(127).toString()));
    server.advance(Duration.ofSeconds(1));
    k.registerStreamConsumer(b -> b.streamARN(arn).consumerName("analytics"));
    for (int i = 0; i < 5; i++) {
      int n = i;
      k.putRecord(b -> b.streamName("orders-stream").partitionKey("order-" + n)
          .data(software.amazon.awssdk.core.SdkBytes.fromUtf8String("{\"order\":" + n + "}")));
    }

    browser.driver.get(console(""));
    find("a[href$='console/streams']").click();
    awaitElement("table#streams");
    assertThat(find("table#streams").getText()).contains("clickstream").contains("orders-stream");
    assertCleanPage();
    browser.screenshot("streams");

    find("table#streams a[href$='streams/orders-stream']").click();
    awaitElement("table#shards");
    assertThat(browser.driver.findElements(By.cssSelector("table#shards tbody tr"))).hasSize(3);
    assertThat(find("table#shards").getText()).contains("shardId-000000000000").contains("closed");
    assertThat(find("table#consumers").getText()).contains("analytics");
    assertThat(find("#throughput-source").getText()).contains("this node's metrics");
    // One node owns every stream; in a cluster (this class named with -Dtest) the asked node may not be the owner.
    if (EmbeddedServer.nodes() == 1) assertThat(find("#incoming-records").getText()).isEqualTo("5");
    assertCleanPage();
    browser.screenshot("stream");
  }

  @Test
  void theAuditTrailFindsTheSdksCallAndTheClusterPageShowsTheNode() {
    server.sqs().createQueue(b -> b.queueName("audited-by-browser"));
    browser.driver.get(console(""));
    find("a[href$='console/audit']").click();
    awaitElement("#audit-search");
    new Select(find("#audit-key")).selectByValue("ResourceName");
    WebElement value = find("#audit-value");
    value.sendKeys("audited-by-browser");
    value.sendKeys(Keys.ENTER);
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      if (!browser.driver.findElements(By.cssSelector("table#audit .event-name")).isEmpty()) return true;
      browser.driver.navigate().refresh();
      return false;
    });
    assertThat(browser.driver.getCurrentUrl()).contains("key=ResourceName").contains("value=audited-by-browser");
    assertThat(find("table#audit .event-name").getText()).isEqualTo("CreateQueue");
    WebElement json = find("table#audit details pre");
    assertThat(json.isDisplayed()).isFalse();
    find("table#audit details summary").click();
    assertThat(json.isDisplayed()).isTrue();
    assertThat(json.getText()).contains("\"eventName\" : \"CreateQueue\"").contains("audited-by-browser");
    assertCleanPage();
    browser.screenshot("audit-trail");

    find("a[href$='console/cluster']").click();
    awaitElement("table#nodes");
    assertThat(find("table#nodes").getText()).contains("yes");
    assertThat(find("main").getText()).contains("Partition placement and replication lag").contains("Failovers");
    assertCleanPage();
    browser.screenshot("cluster");
  }
}
