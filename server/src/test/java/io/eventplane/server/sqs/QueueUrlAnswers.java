package io.eventplane.server.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Queue URLs that name their region, over both wire protocols, run against a server of each
 * {@code --queue-url-style}: {@code http://sqs.<region>.<host>:<port>/<account>/<name>} is accepted
 * wherever a queue URL is and names its region (as {@code sqs.eu-west-1.amazonaws.com} does), and
 * the region style hands out that form, so one name in two regions has two URLs (LocalStack's
 * AWS-validated test_get_queue_url_multi_region and test_endpoint_strategy_with_multi_region: the
 * URLs differ and the second region's is named in its URL).
 */
abstract class QueueUrlAnswers {
  abstract EmbeddedServer server();

  /** Whether the server hands out region-style URLs. */
  abstract boolean regionStyle();

  private SqsClient europe;

  private SqsClient europe() {
    if (europe == null) {
      europe = SqsClient.builder().endpointOverride(server().endpoint()).region(Region.EU_WEST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60))).build();
    }
    return europe;
  }

  @AfterEach
  void closeClient() {
    if (europe != null) europe.close();
    europe = null;
  }

  /** The URL this server's style hands out for a queue of a region (the client reaches 127.0.0.1:port). */
  private String expectedUrl(String region, String name) {
    String hostPort = server().endpoint().getAuthority();
    return "http://" + (regionStyle() ? "sqs." + region + "." : "") + hostPort + "/000000000000/" + name;
  }

  /** A region-style URL on a host no DNS knows: only its path and its region matter to the server. */
  private String regionForm(String region, String name) {
    return "http://sqs." + region + ".localhost.localstack.cloud:" + server().endpoint().getPort() + "/000000000000/" + name;
  }

  @Test
  void oneNameInTwoRegionsOverJson() {
    SqsClient us = server().sqs();
    String usUrl = us.createQueue(b -> b.queueName("twice")).queueUrl();
    String euUrl = europe().createQueue(b -> b.queueName("twice")).queueUrl();
    assertThat(usUrl).isEqualTo(expectedUrl("us-east-1", "twice"));
    assertThat(euUrl).isEqualTo(expectedUrl("eu-west-1", "twice"));
    if (regionStyle()) assertThat(usUrl).isNotEqualTo(euUrl);
    assertThat(us.getQueueUrl(b -> b.queueName("twice")).queueUrl()).isEqualTo(usUrl);
    assertThat(europe().getQueueUrl(b -> b.queueName("twice")).queueUrl()).isEqualTo(euUrl);
    assertThat(us.listQueues().queueUrls()).containsExactly(usUrl);
    assertThat(europe().listQueues().queueUrls()).containsExactly(euUrl);

    // A region-style URL names its queue's region whoever sends: the us-east-1 client reaches eu-west-1's queue.
    us.sendMessage(b -> b.queueUrl(regionForm("eu-west-1", "twice")).messageBody("to europe"));
    assertThat(us.receiveMessage(b -> b.queueUrl(usUrl)).messages()).isEmpty();
    assertThat(europe().receiveMessage(b -> b.queueUrl(euUrl)).messages()).extracting(Message::body).containsExactly("to europe");
    assertThat(us.getQueueAttributes(b -> b.queueUrl(regionForm("eu-west-1", "twice")).attributeNamesWithStrings("QueueArn"))
        .attributesAsStrings()).containsEntry("QueueArn", "arn:aws:sqs:eu-west-1:000000000000:twice");
  }

  @Test
  void oneNameInTwoRegionsOverQuery() throws Exception {
    SqsAnswers us = new SqsAnswers(server());
    SqsAnswers eu = new SqsAnswers(server(), "eu-west-1");
    String usUrl = us.query("Action", "CreateQueue", "QueueName", "twice-q").text("QueueUrl");
    String euUrl = eu.query("Action", "CreateQueue", "QueueName", "twice-q").text("QueueUrl");
    assertThat(usUrl).isEqualTo(expectedUrl("us-east-1", "twice-q"));
    assertThat(euUrl).isEqualTo(expectedUrl("eu-west-1", "twice-q"));
    assertThat(us.query("Action", "GetQueueUrl", "QueueName", "twice-q").text("QueueUrl")).isEqualTo(usUrl);
    assertThat(eu.query("Action", "GetQueueUrl", "QueueName", "twice-q").text("QueueUrl")).isEqualTo(euUrl);
    assertThat(us.query("Action", "ListQueues").all("QueueUrl")).extracting(e -> e.getTextContent()).isEqualTo(List.of(usUrl));
    assertThat(eu.query("Action", "ListQueues").all("QueueUrl")).extracting(e -> e.getTextContent()).isEqualTo(List.of(euUrl));

    assertThat(us.query("Action", "SendMessage", "QueueUrl", regionForm("eu-west-1", "twice-q"), "MessageBody", "to europe")
        .status()).isEqualTo(200);
    assertThat(us.query("Action", "ReceiveMessage", "QueueUrl", usUrl).all("Message")).isEmpty();
    assertThat(eu.query("Action", "ReceiveMessage", "QueueUrl", euUrl).text("Body")).isEqualTo("to europe");
  }

  /**
   * An unsigned Query call sent to a region-style host (as an old script would, to the URL it was
   * handed) is SQS's, not a virtual-hosted S3 bucket's, and is in the host's region.
   */
  @Test
  void unsignedCallsToARegionHostAreInItsRegion() throws Exception {
    europe().createQueue(b -> b.queueName("raw"));
    String host = "sqs.eu-west-1.localhost:" + server().endpoint().getPort();
    String body = "Action=GetQueueUrl&QueueName=raw&Version=2012-11-05";
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server().endpoint().getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
          + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 200")
          .contains("<QueueUrl>http://" + host + "/000000000000/raw</QueueUrl>");
    }
  }
}
