package io.eventplane.server.sns;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SNS Query protocol on the wire, where no SDK call reaches: unknown actions, malformed
 * parameters, oversized bodies, and the unsigned UnsubscribeURL a subscriber opens.
 */
class SnsQueryWireTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(String form) throws Exception {
    return http.send(HttpRequest.newBuilder(server.endpoint()).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersInTheSnsNamespace() throws Exception {
    HttpResponse<String> ok = post("Action=ListTopics&Version=2010-03-31");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("<ListTopicsResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">")
        .contains("<ListTopicsResult><Topics></Topics></ListTopicsResult>").contains("<RequestId>");
    HttpResponse<String> unknown = post("Action=Frobnicate&Version=2010-03-31");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">")
        .contains("<Type>Sender</Type>").contains("<Code>InvalidAction</Code>");
    // Mobile push is served (it answered InvalidAction before): SNS's request validation speaks first.
    HttpResponse<String> noName = post("Action=CreatePlatformApplication&Version=2010-03-31&Platform=GCM");
    assertThat(noName.statusCode()).isEqualTo(400);
    assertThat(noName.body()).contains("<Code>ValidationError</Code>")
        .contains("<Message>1 validation error detected: Value null at 'name' failed to satisfy constraint: "
            + "Member must not be null</Message>");
  }

  @Test
  void malformedParametersAreRefusedAndNothingIsCreated() throws Exception {
    HttpResponse<String> noKey = post("Action=CreateTopic&Version=2010-03-31&Name=half&Attributes.entry.1.value=x");
    assertThat(noKey.statusCode()).isEqualTo(400);
    assertThat(noKey.body()).contains("<Code>MissingParameter</Code>");
    HttpResponse<String> noName = post("Action=CreateTopic&Version=2010-03-31");
    assertThat(noName.statusCode()).isEqualTo(400);
    // SNS's request validation: a ValidationError naming the member.
    assertThat(noName.body()).contains("<Code>ValidationError</Code>")
        .contains("<Message>1 validation error detected: Value null at 'name' failed to satisfy constraint: "
            + "Member must not be null</Message>");
    HttpResponse<String> badEscape = post("Action=CreateTopic&Version=2010-03-31&Name=%zz");
    assertThat(badEscape.statusCode()).isEqualTo(400);
    assertThat(server.sns().listTopics().topics()).isEmpty();
  }

  @Test
  void oversizedBodiesGet413() throws Exception {
    String big = "Action=Publish&Version=2010-03-31&TopicArn=arn:aws:sns:us-east-1:000000000000:t&Message=" + "x".repeat(9 * 1024 * 1024);
    HttpResponse<String> r = post(big);
    assertThat(r.statusCode()).isEqualTo(413);
  }

  @Test
  void theUnsubscribeUrlOfAnEnvelopeWorksUnsigned() throws Exception {
    String topic = server.sns().createTopic(b -> b.name("leaving")).topicArn();
    String url = server.sqs().createQueue(b -> b.queueName("leaver")).queueUrl();
    server.sns().subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(FanOutTest.queueArn(server.sqs(), url)));
    server.sns().publish(b -> b.topicArn(topic).message("bye"));
    JsonObject envelope = new JsonObject(FanOutTest.receiveAll(server.sqs(), url, 1).get(0).body());
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(envelope.getString("UnsubscribeURL"))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("<UnsubscribeResponse");
    assertThat(server.sns().listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions()).isEmpty();
  }
}
