package io.eventplane.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The console in a real browser (headless Chromium, one for the class): each page renders without
 * console errors and with labelled inputs; the send form, peek, redrive and purge do what they say,
 * checked with the SDK. Runs in the one-node run only: the console's calls take the gateway's path
 * to the services, and the 3-node run covers the SQS operations it uses (peek, the console's own, is
 * routed like them by QueueUrl; this class passes on the cluster too when named with -Dtest).
 * Saves a screenshot of each page ({@code -Deventplane.console.screenshots=../docs/console}).
 */
class ConsoleBrowserTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  @RegisterExtension static final Browser browser = new Browser(server);

  private SqsClient sqs() {
    return server.sqs();
  }

  private void open(String url) {
    browser.driver.get(url);
  }

  private String arn(String url) {
    return sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributesAsStrings().get("QueueArn");
  }

  private Map<String, String> counts(String url) {
    return sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributesAsStrings();
  }

  @Test
  void theRootOpensTheOverviewAndTheQueueList() {
    String dlq = sqs().createQueue(b -> b.queueName("orders-dlq")).queueUrl();
    sqs().createQueue(b -> b.queueName("orders").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
        "{\"deadLetterTargetArn\":\"" + arn(dlq) + "\",\"maxReceiveCount\":\"3\"}")));
    sqs().createQueue(b -> b.queueName("payments.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")));
    String url = sqs().getQueueUrl(b -> b.queueName("orders")).queueUrl();
    for (int i = 0; i < 3; i++) sqs().sendMessage(b -> b.queueUrl(url).messageBody("order"));
    server.s3().createBucket(b -> b.bucket("invoices"));

    open(server.endpoint().resolve("/").toString());
    assertThat(browser.driver.getCurrentUrl()).endsWith(ConsolePages.PREFIX);
    assertThat(browser.find("h1").getText()).isEqualTo("Overview");
    assertThat(browser.find("main").getText()).contains("Queues (SQS)").contains("Buckets (S3)");
    browser.assertCleanPage();
    browser.screenshot("overview");

    browser.find("a[href$='console/queues']").click();
    browser.awaitElement("table#queues");
    assertThat(browser.driver.findElements(By.cssSelector("table#queues tbody tr"))).hasSize(3);
    assertThat(browser.find("table#queues").getText()).contains("orders").contains("orders-dlq").contains("payments.fifo");
    browser.assertCleanPage();
    browser.screenshot("queues");

    // The prefix filter, by keyboard.
    WebElement prefix = browser.find("#prefix");
    prefix.sendKeys("orders");
    prefix.sendKeys(Keys.ENTER);
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.driver.getCurrentUrl().contains("prefix=orders"));
    assertThat(browser.driver.findElements(By.cssSelector("table#queues tbody tr"))).hasSize(2);
  }

  @Test
  void theSendFormSendsAndPeekLeavesTheQueueAsItWas() {
    String url = sqs().createQueue(b -> b.queueName("orders")).queueUrl();
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("{\"order\": 1}"));
    sqs().sendMessage(b -> b.queueUrl(url).messageBody("{\"order\": 2}"));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(url).visibilityTimeout(600)).messages()).hasSize(1);

    open(browser.console("queues/orders"));
    assertThat(browser.find("h1").getText()).isEqualTo("Queue orders");
    browser.awaitElement("#depth-chart canvas");
    assertThat(browser.live("#count-inflight", null)).isEqualTo("1");
    browser.find("#body").sendKeys("hello from the console");
    browser.find("#send").click();
    await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver.findElements(By.id("flash")).isEmpty());
    assertThat(browser.find("#flash").getText()).startsWith("Sent message ");
    // The live stream brings the new count.
    await().atMost(Duration.ofSeconds(15)).until(() -> "2".equals(browser.live("#count-visible", null)));

    browser.find("#peek-button").click();
    browser.awaitElement("table#peek");
    assertThat(browser.find("table#peek").getText()).contains("hello from the console").contains("in flight").contains("visible");
    assertThat(counts(url)).containsEntry("ApproximateNumberOfMessagesNotVisible", "1")
        .containsEntry("ApproximateNumberOfMessages", "2");
    // Two live updates since the page opened, so the chart draws a line.
    String first = browser.live("#depth-live dl", "data-time");
    await().atMost(Duration.ofSeconds(15)).until(() -> !first.equals(browser.live("#depth-live dl", "data-time")));
    browser.assertCleanPage();
    browser.screenshot("queue");

    List<Message> got = sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
    assertThat(got).extracting(Message::body).containsExactlyInAnyOrder("{\"order\": 2}", "hello from the console");
  }

  @Test
  void theRedriveButtonMovesADeadLetterQueueBack() {
    String dlq = sqs().createQueue(b -> b.queueName("jobs-dlq")).queueUrl();
    String src = sqs().createQueue(b -> b.queueName("jobs").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
        "{\"deadLetterTargetArn\":\"" + arn(dlq) + "\",\"maxReceiveCount\":\"1\"}", QueueAttributeName.VISIBILITY_TIMEOUT, "5")))
        .queueUrl();
    for (int i = 0; i < 3; i++) {
      int n = i;
      sqs().sendMessage(b -> b.queueUrl(src).messageBody("job " + n));
    }
    assertThat(sqs().receiveMessage(b -> b.queueUrl(src).maxNumberOfMessages(10)).messages()).hasSize(3);
    server.advance(Duration.ofSeconds(6));
    assertThat(sqs().receiveMessage(b -> b.queueUrl(src).maxNumberOfMessages(10)).messages()).isEmpty();
    assertThat(counts(dlq)).containsEntry("ApproximateNumberOfMessages", "3");

    open(browser.console("queues/jobs-dlq"));
    assertThat(browser.find("#dlq-h").getText()).isEqualTo("Dead-letter queue");
    assertThat(browser.find("main").getText()).contains("Dead-letter queue of: jobs");
    browser.find("#peek-button").click();
    browser.awaitElement("table#peek");
    assertThat(browser.find("table#peek").getText()).contains("job 0").contains("job 2");
    browser.find("#redrive").click();
    await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver.findElements(By.id("flash")).isEmpty());
    assertThat(browser.find("#flash").getText()).startsWith("Redrive started");
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      String status = browser.live("#move-tasks .task-status", null);
      return status != null && status.startsWith("COMPLETED");
    });
    assertThat(browser.live("#move-tasks .task-moved", null)).isEqualTo("3");
    browser.assertCleanPage();
    browser.screenshot("dead-letter-queue");

    List<Message> back = sqs().receiveMessage(b -> b.queueUrl(src).maxNumberOfMessages(10)).messages();
    assertThat(back).extracting(Message::body).containsExactlyInAnyOrder("job 0", "job 1", "job 2");
    assertThat(counts(dlq)).containsEntry("ApproximateNumberOfMessages", "0");
  }

  @Test
  void purgeAsksAndThenPurges() {
    String url = sqs().createQueue(b -> b.queueName("scratch")).queueUrl();
    for (int i = 0; i < 4; i++) sqs().sendMessage(b -> b.queueUrl(url).messageBody("junk"));
    open(browser.console("queues/scratch"));
    browser.find("#purge").click();
    browser.awaitElement("#confirm-purge");
    assertThat(browser.find("h1").getText()).isEqualTo("Purge scratch?");
    assertThat(counts(url)).containsEntry("ApproximateNumberOfMessages", "4");
    browser.assertCleanPage();
    browser.screenshot("purge-confirmation");
    browser.find("#confirm-purge").click();
    await().atMost(Duration.ofSeconds(10)).until(() -> !browser.driver.findElements(By.id("flash")).isEmpty());
    assertThat(browser.find("#flash").getText()).isEqualTo("Purge requested: scratch");
    assertThat(counts(url)).containsEntry("ApproximateNumberOfMessages", "0");
    browser.assertCleanPage();
  }
}
