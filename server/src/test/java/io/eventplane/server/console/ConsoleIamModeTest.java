package io.eventplane.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.EmbeddedServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code --auth iam}: the console's sign-in is sigv4 mode's, and each call a page makes is authorized
 * as the signed-in identity's own SDK call would be: an IAM user sees what its policies allow and gets
 * AWS's AccessDenied (403) for the rest, the console's internal reads included (a peek needs
 * sqs:ReceiveMessage); the account's root (the admin key) sees everything.
 */
class ConsoleIamModeTest {
  private static final String ADMIN_KEY = "AKIACONSOLETEST00002";
  private static final String ADMIN_SECRET = "console-iam-secret";

  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.IAM)
      .withAdminKey(ADMIN_KEY, ADMIN_SECRET)));

  private final ConsolePages pages = new ConsolePages(server.endpoint());

  @Test
  void nothingShowsBeforeTheSignIn() {
    for (String path : new String[] {"", "queues", "queues/anything", "queues/anything/peek", "queues/anything/live"}) {
      HttpResponse<String> page = pages.get(ConsolePages.PREFIX + path);
      assertThat(page.statusCode()).as(path).isEqualTo(303);
      assertThat(page.headers().firstValue("Location")).hasValue(ConsolePages.PREFIX + "signin");
    }
    HttpResponse<String> wrong = pages.post(ConsolePages.PREFIX + "signin",
        "accessKeyId=" + ADMIN_KEY + "&secretAccessKey=nope");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void aUsersPagesShowWhatItsPoliciesAllowAndAccessDeniedForTheRest() {
    try (IamClient iam = client(IamClient.builder(), ADMIN_KEY, ADMIN_SECRET).region(Region.AWS_GLOBAL).build();
         SqsClient adminSqs = client(SqsClient.builder(), ADMIN_KEY, ADMIN_SECRET).build()) {
      String url = adminSqs.createQueue(b -> b.queueName("watched")).queueUrl();
      adminSqs.sendMessage(b -> b.queueUrl(url).messageBody("kept"));
      iam.createUser(b -> b.userName("watcher"));
      AccessKey key = iam.createAccessKey(b -> b.userName("watcher")).accessKey();
      iam.putUserPolicy(b -> b.userName("watcher").policyName("look").policyDocument("{\"Version\":\"2012-10-17\","
          + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"sqs:ListQueues\",\"sqs:GetQueueUrl\",\"sqs:GetQueueAttributes\"],"
          + "\"Resource\":\"*\"}]}"));

      String user = signIn(key.accessKeyId(), key.secretAccessKey());
      // Policies reach every node's cache within seconds (IAM's eventual consistency).
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(pages.get(ConsolePages.PREFIX + "queues", "Cookie", user).body()).contains("queues/watched\""));
      HttpResponse<String> page = pages.get(ConsolePages.PREFIX + "queues/watched", "Cookie", user);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Signed in as <code>arn:aws:iam::000000000000:user/watcher</code>");

      // A peek is a receive as far as IAM goes: denied, and the message stays where it was.
      HttpResponse<String> peek = pages.get(ConsolePages.PREFIX + "queues/watched/peek", "Cookie", user);
      assertThat(peek.statusCode()).isEqualTo(403);
      assertThat(peek.body()).contains("AccessDenied").contains("sqs:ReceiveMessage").doesNotContain("kept");
      // So is a send: nothing is added.
      HttpResponse<String> send = pages.post(ConsolePages.PREFIX + "queues/watched/send",
          "body=sneaked&csrf=" + csrf(page.body()), "Cookie", user);
      assertThat(send.statusCode()).isEqualTo(303);
      String location = send.headers().firstValue("Location").orElseThrow();
      assertThat(pages.get(location, "Cookie", user).body()).contains("not authorized to perform: sqs:SendMessage");
      assertThat(adminSqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.ALL)).attributes())
          .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "1")
          .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");

      // The root sees the message.
      String root = signIn(ADMIN_KEY, ADMIN_SECRET);
      HttpResponse<String> rootPeek = pages.get(ConsolePages.PREFIX + "queues/watched/peek", "Cookie", root);
      assertThat(rootPeek.statusCode()).isEqualTo(200);
      assertThat(rootPeek.body()).contains("kept");
    }
  }

  @Test
  void aReplaysCancelIsAuthorizedAsEventBridgesCancelReplay() {
    try (IamClient iam = client(IamClient.builder(), ADMIN_KEY, ADMIN_SECRET).region(Region.AWS_GLOBAL).build();
         EventBridgeClient events = client(EventBridgeClient.builder(), ADMIN_KEY, ADMIN_SECRET).build()) {
      String bus = events.createEventBus(b -> b.name("iam-replay-bus")).eventBusArn();
      String archive = events.createArchive(b -> b.archiveName("iam-replay-archive").eventSourceArn(bus)).archiveArn();
      events.startReplay(b -> b.replayName("iam-replay").eventSourceArn(archive).destination(d -> d.arn(bus))
          .eventStartTime(java.time.Instant.parse("2026-01-01T00:00:00Z")).eventEndTime(java.time.Instant.parse("2026-01-01T01:00:00Z")));
      iam.createUser(b -> b.userName("replay-watcher"));
      AccessKey key = iam.createAccessKey(b -> b.userName("replay-watcher")).accessKey();
      iam.putUserPolicy(b -> b.userName("replay-watcher").policyName("look").policyDocument("{\"Version\":\"2012-10-17\","
          + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"events:DescribeReplay\"],\"Resource\":\"*\"}]}"));

      String user = signIn(key.accessKeyId(), key.secretAccessKey());
      String path = ConsolePages.PREFIX + "replays/iam-replay";
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(pages.get(path, "Cookie", user).statusCode()).isEqualTo(200));
      // The cancel form's call is the identity's CancelReplay: denied with AWS's message, shown on the page.
      HttpResponse<String> denied = pages.post(path + "/cancel", "csrf=" + csrf(pages.get(path, "Cookie", user).body()),
          "Cookie", user);
      assertThat(denied.statusCode()).isEqualTo(303);
      assertThat(pages.get(denied.headers().firstValue("Location").orElseThrow(), "Cookie", user).body())
          .contains("role=\"alert\"").contains("AccessDenied").contains("not authorized to perform: events:CancelReplay");

      // The root passes the check and reaches EventBridge, which refuses to cancel a finished replay.
      await().atMost(Duration.ofSeconds(10)).until(() -> events.describeReplay(b -> b.replayName("iam-replay")).stateAsString()
          .equals("COMPLETED"));
      String root = signIn(ADMIN_KEY, ADMIN_SECRET);
      HttpResponse<String> refused = pages.post(path + "/cancel", "csrf=" + csrf(pages.get(path, "Cookie", root).body()),
          "Cookie", root);
      assertThat(pages.get(refused.headers().firstValue("Location").orElseThrow(), "Cookie", root).body())
          .contains("IllegalStatusException: Replay iam-replay is not in a valid state for this operation.");
    }
  }

  private String signIn(String keyId, String secret) {
    HttpResponse<String> signedIn = pages.post(ConsolePages.PREFIX + "signin",
        "accessKeyId=" + keyId + "&secretAccessKey=" + URLEncoder.encode(secret, StandardCharsets.UTF_8));
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
    String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
      & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> B client(B builder, String key, String secret) {
    return builder.endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
        .httpClientBuilder(ApacheHttpClient.builder());
  }

  private static String csrf(String page) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
    assertThat(m.find()).as("a CSRF field on the page").isTrue();
    return m.group(1);
  }
}
