package io.eventplane.server.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * HTTP/S subscriptions against a real HTTP endpoint in the test: the SubscriptionConfirmation
 * handshake, signatures a subscriber verifies with the certificate from SigningCertURL, retries by
 * the delivery policy, and the subscription's DLQ once they run out.
 */
class HttpDeliveryTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  /** One request the endpoint got. */
  record Received(Map<String, List<String>> headers, String body, int answered) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
          .findFirst().orElse(null);
    }
  }

  private HttpServer endpoint;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  /** How many notifications to fail, and with which status. */
  private final AtomicInteger failNotifications = new AtomicInteger();
  private volatile int failStatus = 500;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startEndpoint() throws Exception {
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext("/hook", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean notification = "Notification".equals(exchange.getRequestHeaders().getFirst("x-amz-sns-message-type"));
      int status = notification && failNotifications.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? failStatus : 200;
      received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body, status));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    endpoint.start();
  }

  @AfterEach
  void stopEndpoint() {
    endpoint.stop(0);
  }

  private String hookUrl() {
    return "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/hook";
  }

  private SnsClient sns() {
    return server.sns();
  }

  private List<Received> of(String type) {
    return received.stream().filter(r -> type.equals(r.header("x-amz-sns-message-type"))).toList();
  }

  /** Subscribes the endpoint and confirms it the way a subscriber does: by opening the SubscribeURL. */
  private String subscribeAndConfirm(String topic, Map<String, String> attributes) throws Exception {
    return subscribeAndConfirm(topic, attributes, false);
  }

  /** @param withSdk confirm with ConfirmSubscription and the token instead of opening the SubscribeURL */
  private String subscribeAndConfirm(String topic, Map<String, String> attributes, boolean withSdk) throws Exception {
    String pending = sns().subscribe(b -> b.topicArn(topic).protocol("http").endpoint(hookUrl()).attributes(attributes))
        .subscriptionArn();
    assertThat(pending).isEqualTo("pending confirmation");
    await().atMost(Duration.ofSeconds(10)).until(() -> !of("SubscriptionConfirmation").isEmpty());
    JsonObject confirmation = of("SubscriptionConfirmation").get(0).json();
    verifySignature(confirmation, List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"));
    if (withSdk) {
      return sns().confirmSubscription(b -> b.topicArn(topic).token(confirmation.getString("Token"))
          .authenticateOnUnsubscribe("true")).subscriptionArn();
    }
    HttpResponse<String> opened = http.send(HttpRequest.newBuilder(URI.create(confirmation.getString("SubscribeURL"))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
    assertThat(opened.body()).contains("<ConfirmSubscriptionResult><SubscriptionArn>" + topic + ":");
    return opened.body().replaceAll("(?s).*<SubscriptionArn>([^<]+)</SubscriptionArn>.*", "$1");
  }

  /** What a subscriber does: fetch the certificate and check the signature over the signed fields. */
  private void verifySignature(JsonObject message, List<String> fields) throws Exception {
    HttpResponse<byte[]> cert = http.send(HttpRequest.newBuilder(URI.create(message.getString("SigningCertURL"))).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(cert.statusCode()).isEqualTo(200);
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(cert.body()));
    StringBuilder toSign = new StringBuilder();
    for (String f : fields) {
      if (message.containsKey(f)) toSign.append(f).append('\n').append(message.getString(f)).append('\n');
    }
    Signature s = Signature.getInstance("2".equals(message.getString("SignatureVersion")) ? "SHA256withRSA" : "SHA1withRSA");
    s.initVerify(certificate.getPublicKey());
    s.update(toSign.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(s.verify(Base64.getDecoder().decode(message.getString("Signature")))).as("signature of %s", message).isTrue();
    // A tampered message must not verify.
    s.initVerify(certificate.getPublicKey());
    s.update(toSign.toString().replace(message.getString("MessageId"), "tampered").getBytes(StandardCharsets.UTF_8));
    assertThat(s.verify(Base64.getDecoder().decode(message.getString("Signature")))).isFalse();
  }

  @Test
  void confirmationHandshakeThenSignedNotificationsInBothSignatureVersions() throws Exception {
    String topic = sns().createTopic(b -> b.name("web")).topicArn();
    String pendingArn = sns().subscribe(b -> b.topicArn(topic).protocol("http").endpoint(hookUrl() + "?x=1")
        .returnSubscriptionArn(true)).subscriptionArn();
    assertThat(sns().getSubscriptionAttributes(b -> b.subscriptionArn(pendingArn)).attributes())
        .containsEntry("PendingConfirmation", "true");
    // An unconfirmed subscription gets nothing but its confirmation request.
    sns().publish(b -> b.topicArn(topic).message("before confirming"));
    String sub = subscribeAndConfirm(topic, Map.of());
    assertThat(sns().getSubscriptionAttributes(b -> b.subscriptionArn(sub)).attributes())
        .containsEntry("PendingConfirmation", "false").containsEntry("Protocol", "http");
    Received confirmationRequest = of("SubscriptionConfirmation").get(0);
    assertThat(confirmationRequest.header("x-amz-sns-topic-arn")).isEqualTo(topic);
    assertThat(confirmationRequest.header("Content-Type")).isEqualTo("text/plain; charset=UTF-8");

    String id = sns().publish(b -> b.topicArn(topic).message("hello web").subject("Greeting")).messageId();
    await().atMost(Duration.ofSeconds(10)).until(() -> !of("Notification").isEmpty());
    Received n = of("Notification").get(0);
    assertThat(n.header("x-amz-sns-message-id")).isEqualTo(id);
    assertThat(n.header("x-amz-sns-subscription-arn")).isEqualTo(sub);
    assertThat(n.header("User-Agent")).isEqualTo("Amazon Simple Notification Service Agent");
    JsonObject v1 = n.json();
    assertThat(v1.getString("Message")).isEqualTo("hello web");
    assertThat(v1.getString("SignatureVersion")).isEqualTo("1");
    List<String> notificationFields = List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
    verifySignature(v1, notificationFields);

    sns().setTopicAttributes(b -> b.topicArn(topic).attributeName("SignatureVersion").attributeValue("2"));
    sns().publish(b -> b.topicArn(topic).message("hello again"));
    await().atMost(Duration.ofSeconds(10)).until(() -> of("Notification").size() == 2);
    JsonObject v2 = of("Notification").get(1).json();
    assertThat(v2.getString("SignatureVersion")).isEqualTo("2");
    assertThat(v2.containsKey("Subject")).isFalse();
    verifySignature(v2, notificationFields);
    assertThat(of("Notification")).extracting(r -> r.json().getString("Message")).doesNotContain("before confirming");
  }

  /**
   * The requests an endpoint gets carry SNS's headers (test_sns.snapshot.json,
   * TestSNSSubscriptionHttp): a confirmation is always text/plain, a notification takes its
   * Content-Type from the subscription's requestPolicy, else the topic's defaultRequestPolicy;
   * the SubscribeURL has the TopicArn as it is.
   */
  @Test
  void requestsCarrySnsHeadersAndUrls() throws Exception {
    String topic = sns().createTopic(b -> b.name("headers")).topicArn();
    sns().setTopicAttributes(b -> b.topicArn(topic).attributeName("DeliveryPolicy")
        .attributeValue("{\"http\":{\"defaultRequestPolicy\":{\"headerContentType\":\"application/json\"}}}"));
    String sub = subscribeAndConfirm(topic, Map.of());
    Received confirmation = of("SubscriptionConfirmation").get(0);
    JsonObject confirm = confirmation.json();
    assertThat(confirm.getString("SubscribeURL")).isEqualTo(server.endpoint()
        + "/?Action=ConfirmSubscription&TopicArn=" + topic + "&Token=" + confirm.getString("Token"));
    Map<String, String> confirmationHeaders = Map.of("Content-Type", "text/plain; charset=UTF-8",
        "Accept-Encoding", "gzip,deflate", "User-Agent", "Amazon Simple Notification Service Agent",
        "x-amz-sns-message-type", "SubscriptionConfirmation", "x-amz-sns-message-id", confirm.getString("MessageId"),
        "x-amz-sns-topic-arn", topic);
    confirmationHeaders.forEach((name, value) -> assertThat(confirmation.header(name)).as(name).isEqualTo(value));
    assertThat(confirmation.header("x-amz-sns-subscription-arn")).isNull();

    String id = sns().publish(b -> b.topicArn(topic).message("typed")).messageId();
    await().atMost(Duration.ofSeconds(10)).until(() -> of("Notification").size() == 1);
    Received n = of("Notification").get(0);
    Map<String, String> notificationHeaders = Map.of("Content-Type", "application/json",
        "Accept-Encoding", "gzip,deflate", "User-Agent", "Amazon Simple Notification Service Agent",
        "x-amz-sns-message-type", "Notification", "x-amz-sns-message-id", id, "x-amz-sns-topic-arn", topic,
        "x-amz-sns-subscription-arn", sub);
    notificationHeaders.forEach((name, value) -> assertThat(n.header(name)).as(name).isEqualTo(value));
    assertThat(n.header("x-amz-sns-rawdelivery")).isNull();

    sns().setSubscriptionAttributes(b -> b.subscriptionArn(sub).attributeName("DeliveryPolicy")
        .attributeValue("{\"requestPolicy\":{\"headerContentType\":\"text/csv\"}}"));
    sns().publish(b -> b.topicArn(topic).message("csv"));
    await().atMost(Duration.ofSeconds(10)).until(() -> of("Notification").size() == 2);
    assertThat(of("Notification").get(1).header("Content-Type")).isEqualTo("text/csv");
  }

  @Test
  void serverErrorsAreRetriedByTheDeliveryPolicy() throws Exception {
    String topic = sns().createTopic(b -> b.name("flaky")).topicArn();
    String sub = subscribeAndConfirm(topic, Map.of("DeliveryPolicy",
        "{\"healthyRetryPolicy\":{\"minDelayTarget\":1,\"maxDelayTarget\":1,\"numRetries\":3}}"), true);
    assertThat(sns().getSubscriptionAttributes(b -> b.subscriptionArn(sub)).attributes())
        .containsEntry("PendingConfirmation", "false").containsEntry("ConfirmationWasAuthenticated", "true");
    failNotifications.set(2);
    String id = sns().publish(b -> b.topicArn(topic).message("eventually")).messageId();
    await().atMost(Duration.ofSeconds(15)).until(() -> of("Notification").stream().anyMatch(r -> r.answered() == 200));
    assertThat(of("Notification")).extracting(Received::answered).containsExactly(500, 500, 200);
    assertThat(of("Notification")).allSatisfy(r -> assertThat(r.json().getString("MessageId")).isEqualTo(id));
  }

  @Test
  void whenRetriesRunOutTheMessageGoesToTheDlq() throws Exception {
    var sqs = server.sqs();
    String dlq = sqs.createQueue(b -> b.queueName("http-dlq")).queueUrl();
    String topic = sns().createTopic(b -> b.name("down")).topicArn();
    subscribeAndConfirm(topic, Map.of(
        "DeliveryPolicy", "{\"healthyRetryPolicy\":{\"minDelayTarget\":1,\"maxDelayTarget\":1,\"numRetries\":1}}",
        "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + FanOutTest.queueArn(sqs, dlq) + "\"}"));
    failNotifications.set(Integer.MAX_VALUE);
    String id = sns().publish(b -> b.topicArn(topic).message("nobody home")).messageId();
    Message dead = FanOutTest.receiveAll(sqs, dlq, 1).get(0);
    assertThat(of("Notification")).hasSize(2);
    assertThat(new JsonObject(dead.body()).getString("MessageId")).isEqualTo(id);
    assertThat(dead.messageAttributes().get("ErrorCode").stringValue()).isEqualTo("500");
    assertThat(dead.messageAttributes().get("RequestID").stringValue()).isEqualTo(id);
  }

  @Test
  void aClientErrorIsNotRetriedAndRawDeliveryPostsTheMessageItself() throws Exception {
    var sqs = server.sqs();
    String dlq = sqs.createQueue(b -> b.queueName("http-dlq-4xx")).queueUrl();
    String topic = sns().createTopic(b -> b.name("gone")).topicArn();
    subscribeAndConfirm(topic, Map.of("RawMessageDelivery", "true",
        "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + FanOutTest.queueArn(sqs, dlq) + "\"}"));
    failStatus = 403;
    failNotifications.set(1);
    sns().publish(b -> b.topicArn(topic).message("raw body"));
    Message dead = FanOutTest.receiveAll(sqs, dlq, 1).get(0);
    assertThat(dead.body()).isEqualTo("raw body");
    assertThat(dead.messageAttributes().get("ErrorCode").stringValue()).isEqualTo("403");
    assertThat(of("Notification")).singleElement().satisfies(r -> {
      assertThat(r.body()).isEqualTo("raw body");
      assertThat(r.header("x-amz-sns-rawdelivery")).isEqualTo("true");
    });
    // The next one goes through.
    sns().publish(b -> b.topicArn(topic).message("second"));
    await().atMost(Duration.ofSeconds(10)).until(() -> of("Notification").size() == 2);
    assertThat(of("Notification").get(1).answered()).isEqualTo(200);
  }

  /**
   * Unsubscribe tells a confirmed HTTP/S endpoint as SNS does (test_sns.snapshot.json,
   * test_subscribe_external_http_endpoint_lambda_url_sig_validation, "unsubscribe-event"): an
   * UnsubscribeConfirmation with a new token, signed over the confirmation's fields, naming the
   * subscription in its header; its SubscribeURL restores the subscription.
   */
  @Test
  void unsubscribingSendsAnUnsubscribeConfirmationWhoseSubscribeUrlRestoresTheSubscription() throws Exception {
    String topic = sns().createTopic(b -> b.name("leaving-web")).topicArn();
    String sub = subscribeAndConfirm(topic, Map.of());
    String firstToken = of("SubscriptionConfirmation").get(0).json().getString("Token");
    // The UnsubscribeURL opened unsigned, as a subscriber does.
    sns().publish(b -> b.topicArn(topic).message("before leaving"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !of("Notification").isEmpty());
    HttpResponse<String> left = http.send(HttpRequest.newBuilder(URI.create(of("Notification").get(0).json()
        .getString("UnsubscribeURL"))).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(left.statusCode()).isEqualTo(200);
    assertThat(sns().listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions()).isEmpty();

    await().atMost(Duration.ofSeconds(10)).until(() -> !of("UnsubscribeConfirmation").isEmpty());
    Received notice = of("UnsubscribeConfirmation").get(0);
    assertThat(notice.header("x-amz-sns-subscription-arn")).isEqualTo(sub);
    assertThat(notice.header("x-amz-sns-topic-arn")).isEqualTo(topic);
    assertThat(notice.header("x-amz-sns-message-id")).isEqualTo(notice.json().getString("MessageId"));
    assertThat(notice.header("Content-Type")).isEqualTo("text/plain; charset=UTF-8");
    JsonObject body = notice.json();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("Type", "MessageId", "Token", "TopicArn", "Message",
        "SubscribeURL", "Timestamp", "SignatureVersion", "Signature", "SigningCertURL");
    assertThat(body.getString("Type")).isEqualTo("UnsubscribeConfirmation");
    assertThat(body.getString("Message")).isEqualTo("You have chosen to deactivate subscription " + sub
        + ".\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.");
    assertThat(body.getString("Token")).isNotEqualTo(firstToken).matches("[0-9a-f]+");
    assertThat(body.getString("SubscribeURL")).endsWith("/?Action=ConfirmSubscription&TopicArn=" + topic + "&Token="
        + body.getString("Token"));
    verifySignature(body, List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"));
    // Nothing reaches a deleted subscription.
    sns().publish(b -> b.topicArn(topic).message("while away"));

    HttpResponse<String> restored = http.send(HttpRequest.newBuilder(URI.create(body.getString("SubscribeURL"))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(restored.statusCode()).isEqualTo(200);
    assertThat(restored.body()).contains("<SubscriptionArn>" + sub + "</SubscriptionArn>");
    assertThat(sns().listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions()).extracting(x -> x.subscriptionArn())
        .containsExactly(sub);
    sns().publish(b -> b.topicArn(topic).message("back again"));
    await().atMost(Duration.ofSeconds(10)).until(() -> of("Notification").size() == 2);
    assertThat(of("Notification")).extracting(r -> r.json().getString("Message")).containsExactly("before leaving", "back again");
  }
}
