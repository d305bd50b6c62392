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
 * growing to completion, and another is cancelled from its page by keyboard; the audit page finds a call the SDK just made. Saves each page's screenshot.
 */
class ConsoleEventsBrowserTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  @RegisterExtension static final Browser browser = new Browser(server);

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

    browser.driver.get(browser.console(""));
    browser.find("a[href$='console/buses']").click();
    browser.awaitElement("table#buses");
    assertThat(browser.find("table#buses").getText()).contains("default").contains("orders");
    browser.assertCleanPage();
    browser.screenshot("buses");

    browser.find("table#buses a[href$='buses/orders']").click();
    browser.awaitElement("table#rules");
    assertThat(browser.find("table#rules").getText()).contains("paid-orders").contains("refunds").contains("DISABLED");
    assertThat(browser.find("table#archives").getText()).contains("orders-archive").contains("400");
    browser.assertCleanPage();
    browser.screenshot("bus");

    browser.find("table#rules a[href$='rules/paid-orders']").click();
    browser.awaitElement("#pattern");
    assertThat(browser.find("#pattern").getText()).contains("\"numeric\"").contains("\"OrderPaid\"");
    assertThat(browser.find("table#targets").getText()).contains("shipping-dlq").contains("at most 3 retries");
    String event = "{\"id\":\"1\",\"account\":\"000000000000\",\"source\":\"shop\",\"time\":\"2026-01-01T00:00:00Z\","
        + "\"region\":\"us-east-1\",\"resources\":[],\"detail-type\":\"OrderPaid\",\"detail\":{\"amount\":%d}}";
    setValue("#event", event.formatted(25));
    browser.find("#test-pattern").click();
    await().atMost(Duration.ofSeconds(10)).until(() -> "Match: the rule would send this event to its targets."
        .equals(browser.live("#test-result", null)));
    // htmx swapped the answer in: still the rule's page, the event as typed.
    assertThat(browser.driver.getCurrentUrl()).endsWith("rules/paid-orders");
    WebElement textarea = browser.find("#event");
    textarea.clear();
    textarea.sendKeys(event.formatted(0));
    browser.find("#test-pattern").click();
    await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(browser.live("#test-result", null)).startsWith("No match"));
    browser.assertCleanPage();
    browser.screenshot("rule");

    browser.find("a[href$='buses/orders']").click();
    browser.find("table#archives a[href$='archives/orders-archive']").click();
    browser.awaitElement("#start-replay");
    browser.assertCleanPage();
    setValue("#replay-name", "orders-again");
    setValue("#replay-start", "2026-01-01T00:00:00");
    setValue("#replay-end", "2026-01-01T00:06:40");
    System.setProperty("eventplane.events.replayPagePauseMillis", "1500");
    List<Integer> seen = new CopyOnWriteArrayList<>();
    try {
      browser.find("#start-replay").click();
      await().atMost(Duration.ofSeconds(10)).until(() -> browser.driver.getCurrentUrl().endsWith("replays/orders-again"));
      assertThat(browser.find("h1").getText()).isEqualTo("Replay orders-again");
      // Caught mid-way: a page replayed, more to come.
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
        String v = browser.live("#replay-progress", "value");
        if (v != null) seen.add(Integer.parseInt(v));
        return v != null && Integer.parseInt(v) > 0 && Integer.parseInt(v) < 1000;
      });
      assertThat(browser.live("#replay-state", null)).isEqualTo("RUNNING");
      browser.screenshot("replay-in-progress");
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
        String v = browser.live("#replay-progress", "value");
        if (v != null) seen.add(Integer.parseInt(v));
        return "COMPLETED".equals(browser.live("#replay-state", null));
      });
    } finally {
      System.clearProperty("eventplane.events.replayPagePauseMillis");
    }
    assertThat(browser.live("#replay-progress", "value")).isEqualTo("1000");
    assertThat(browser.live("#replay-percent", null)).isEqualTo("100%");
    // The bar only grew, through values between empty and full.
    assertThat(seen).isSorted();
    assertThat(seen.stream().filter(v -> v > 0 && v < 1000).distinct().count()).isGreaterThanOrEqualTo(2);
    assertThat(browser.live("#replay-last", null)).isEqualTo("2026-01-01T00:06:39Z");
    // The stream's last round took the cancel button away: a completed replay cannot be cancelled.
    assertThat(browser.driver.findElements(By.id("cancel-replay"))).isEmpty();
    assertThat(browser.live("#cancel-gone", null)).isEqualTo("COMPLETED: the replay can no longer be cancelled.");
    browser.assertCleanPage();
    browser.screenshot("replay");

    // Another replay of the same window, cancelled by keyboard from its page while it runs.
    browser.find("a[href$='archives/orders-archive']").click();
    browser.awaitElement("#start-replay");
    setValue("#replay-name", "orders-cancelled");
    setValue("#replay-start", "2026-01-01T00:00:00");
    setValue("#replay-end", "2026-01-01T00:06:40");
    System.setProperty("eventplane.events.replayPagePauseMillis", "1500");
    try {
      browser.find("#start-replay").click();
      await().atMost(Duration.ofSeconds(10)).until(() -> browser.driver.getCurrentUrl().endsWith("replays/orders-cancelled"));
      browser.find("#cancel-replay").sendKeys(Keys.ENTER);
      await().atMost(Duration.ofSeconds(10)).until(() -> browser.driver.getCurrentUrl().endsWith("?cancelled=CANCELLING"));
      assertThat(browser.find("#flash").getText()).startsWith("CancelReplay answered CANCELLING");
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .until(() -> "CANCELLED".equals(browser.live("#replay-state", null)));
    } finally {
      System.clearProperty("eventplane.events.replayPagePauseMillis");
    }
    assertThat(browser.driver.findElements(By.id("cancel-replay"))).isEmpty();
    assertThat(Integer.parseInt(browser.live("#replay-progress", "value"))).isLessThan(1000);
    assertThat(events.describeReplay(b -> b.replayName("orders-cancelled")).stateAsString()).isEqualTo("CANCELLED");
    browser.assertCleanPage();
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

    browser.driver.get(browser.console(""));
    browser.find("a[href$='console/streams']").click();
    browser.awaitElement("table#streams");
    assertThat(browser.find("table#streams").getText()).contains("clickstream").contains("orders-stream");
    browser.assertCleanPage();
    browser.screenshot("streams");

    browser.find("table#streams a[href$='streams/orders-stream']").click();
    browser.awaitElement("table#shards");
    assertThat(browser.driver.findElements(By.cssSelector("table#shards tbody tr"))).hasSize(3);
    assertThat(browser.find("table#shards").getText()).contains("shardId-000000000000").contains("closed");
    assertThat(browser.find("table#consumers").getText()).contains("analytics");
    assertThat(browser.find("#throughput-source").getText()).contains("this node's metrics");
    // One node owns every stream; in a cluster (this class named with -Dtest) the asked node may not be the owner.
    if (EmbeddedServer.nodes() == 1) assertThat(browser.find("#incoming-records").getText()).isEqualTo("5");
    browser.assertCleanPage();
    browser.screenshot("stream");
  }

  @Test
  void theAuditTrailFindsTheSdksCallAndTheClusterPageShowsTheNode() {
    server.sqs().createQueue(b -> b.queueName("audited-by-browser"));
    browser.driver.get(browser.console(""));
    browser.find("a[href$='console/audit']").click();
    browser.awaitElement("#audit-search");
    new Select(browser.find("#audit-key")).selectByValue("ResourceName");
    WebElement value = browser.find("#audit-value");
    value.sendKeys("audited-by-browser");
    value.sendKeys(Keys.ENTER);
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      if (!browser.driver.findElements(By.cssSelector("table#audit .event-name")).isEmpty()) return true;
      browser.driver.navigate().refresh();
      return false;
    });
    assertThat(browser.driver.getCurrentUrl()).contains("key=ResourceName").contains("value=audited-by-browser");
    assertThat(browser.find("table#audit .event-name").getText()).isEqualTo("CreateQueue");
    WebElement json = browser.find("table#audit details pre");
    assertThat(json.isDisplayed()).isFalse();
    browser.find("table#audit details summary").click();
    assertThat(json.isDisplayed()).isTrue();
    assertThat(json.getText()).contains("\"eventName\" : \"CreateQueue\"").contains("audited-by-browser");
    browser.assertCleanPage();
    browser.screenshot("audit-trail");

    browser.find("a[href$='console/cluster']").click();
    browser.awaitElement("table#nodes");
    assertThat(browser.find("table#nodes").getText()).contains("yes");
    assertThat(browser.find("main").getText()).contains("Partition placement and replication lag").contains("Failovers");
    browser.assertCleanPage();
    browser.screenshot("cluster");
  }
}
