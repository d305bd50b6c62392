package io.eventplane.server.sns;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PlatformApplication;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * Mobile push (platform applications and endpoints) and the account's SMS calls, answered as AWS
 * answers them, with what would be pushed or texted recorded (and cleared) at
 * {@code /_eventplane/sns/platform-endpoint-messages} and {@code /_eventplane/sns/sms-messages}.
 * AWS's words where LocalStack recorded them against AWS (test_sns.snapshot.json: the missing
 * endpoint, the phone formats) or where AWS's answer is common knowledge of its clients (the
 * endpoint that exists with other attributes, which SDK users parse for its ARN; EndpointDisabled).
 */
class SnsMobileAndSmsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String ACCOUNT = "000000000000";
  private final HttpClient http = HttpClient.newHttpClient();

  private record Row(String name, Consumer<SnsClient> call, int status, String code, String message) {}

  private static Row row(String name, int status, String code, String message, Consumer<SnsClient> call) {
    return new Row(name, call, status, code, message);
  }

  private static void check(SnsClient client, List<Row> rows) {
    SoftAssertions soft = new SoftAssertions();
    for (Row r : rows) {
      try {
        r.call().accept(client);
        soft.fail(r.name() + ": succeeded, expected " + r.code());
      } catch (SnsException e) {
        soft.assertThat(e.statusCode()).as(r.name() + " status").isEqualTo(r.status());
        soft.assertThat(e.awsErrorDetails().errorCode()).as(r.name() + " code").isEqualTo(r.code());
        soft.assertThat(e.awsErrorDetails().errorMessage()).as(r.name() + " message").isEqualTo(r.message());
      }
    }
    soft.assertAll();
  }

  private SnsClient sns() {
    return server.sns();
  }

  private JsonObject recorded(String path, String query) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.endpoint().resolve(path + "?" + query)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private int clear(String path, String query) throws Exception {
    return http.send(HttpRequest.newBuilder(server.endpoint().resolve(path + "?" + query)).DELETE().build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void platformApplicationsAreListedWithoutTheirCredentials() {
    String gcm = sns().createPlatformApplication(b -> b.name("android").platform("GCM")
        .attributes(Map.of("PlatformCredential", "server-key", "EventEndpointCreated", "arn:aws:sns:us-east-1:" + ACCOUNT + ":events")))
        .platformApplicationArn();
    String apns = sns().createPlatformApplication(b -> b.name("ios").platform("APNS_SANDBOX")
        .attributes(Map.of("PlatformCredential", "key", "PlatformPrincipal", "cert"))).platformApplicationArn();
    assertThat(gcm).isEqualTo("arn:aws:sns:us-east-1:" + ACCOUNT + ":app/GCM/android");
    assertThat(apns).isEqualTo("arn:aws:sns:us-east-1:" + ACCOUNT + ":app/APNS_SANDBOX/ios");
    assertThat(new TreeMap<>(sns().getPlatformApplicationAttributes(b -> b.platformApplicationArn(gcm)).attributes()))
        .isEqualTo(new TreeMap<>(Map.of("AuthenticationMethod", "Key", "Enabled", "true",
            "EventEndpointCreated", "arn:aws:sns:us-east-1:" + ACCOUNT + ":events")));
    sns().setPlatformApplicationAttributes(b -> b.platformApplicationArn(apns)
        .attributes(Map.of("SuccessFeedbackSampleRate", "100", "PlatformCredential", "rotated")));
    assertThat(sns().getPlatformApplicationAttributes(b -> b.platformApplicationArn(apns)).attributes())
        .isEqualTo(Map.of("AuthenticationMethod", "Certificate", "Enabled", "true", "SuccessFeedbackSampleRate", "100"));
    List<PlatformApplication> listed = sns().listPlatformApplications().platformApplications();
    assertThat(listed).extracting(PlatformApplication::platformApplicationArn).containsExactly(apns, gcm);
    assertThat(listed.get(0).attributes())
        .isEqualTo(Map.of("AuthenticationMethod", "Certificate", "Enabled", "true", "SuccessFeedbackSampleRate", "100"));

    sns().deletePlatformApplication(b -> b.platformApplicationArn(gcm));
    sns().deletePlatformApplication(b -> b.platformApplicationArn(gcm));
    assertThat(sns().listPlatformApplications().platformApplications()).extracting(PlatformApplication::platformApplicationArn)
        .containsExactly(apns);
    check(sns(), List.of(
        row("attributes of a deleted application", 404, "NotFound", "PlatformApplication does not exist",
            c -> c.getPlatformApplicationAttributes(b -> b.platformApplicationArn(gcm))),
        row("endpoint of a deleted application", 404, "NotFound", "PlatformApplication does not exist",
            c -> c.createPlatformEndpoint(b -> b.platformApplicationArn(gcm).token("t"))),
        row("endpoints of a deleted application", 404, "NotFound", "PlatformApplication does not exist",
            c -> c.listEndpointsByPlatformApplication(b -> b.platformApplicationArn(gcm))),
        row("no name", 400, "ValidationError",
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
            c -> c.createPlatformApplication(b -> b.platform("GCM").attributes(Map.of("PlatformCredential", "k")))),
        row("unknown platform", 400, "InvalidParameter", "Invalid parameter: Platform",
            c -> c.createPlatformApplication(b -> b.name("x").platform("FCM").attributes(Map.of("PlatformCredential", "k"))))));
  }

  @Test
  void endpointsAreOnePerTokenAndRefusedWithOtherAttributesInAwsWords() {
    String app = sns().createPlatformApplication(b -> b.name("push").platform("GCM")
        .attributes(Map.of("PlatformCredential", "k"))).platformApplicationArn();
    String endpoint = sns().createPlatformEndpoint(b -> b.platformApplicationArn(app).token("device-1").customUserData("user-7"))
        .endpointArn();
    assertThat(endpoint).matches("arn:aws:sns:us-east-1:" + ACCOUNT + ":endpoint/GCM/push/[0-9a-f-]{36}");
    assertThat(sns().createPlatformEndpoint(b -> b.platformApplicationArn(app).token("device-1").customUserData("user-7"))
        .endpointArn()).isEqualTo(endpoint);
    assertThat(sns().createPlatformEndpoint(b -> b.platformApplicationArn(app).token("device-1")).endpointArn()).isEqualTo(endpoint);
    assertThat(sns().getEndpointAttributes(b -> b.endpointArn(endpoint)).attributes())
        .isEqualTo(Map.of("CustomUserData", "user-7", "Enabled", "true", "Token", "device-1"));
    String other = sns().createPlatformEndpoint(b -> b.platformApplicationArn(app).token("device-2")).endpointArn();
    assertThat(sns().getEndpointAttributes(b -> b.endpointArn(other)).attributes())
        .isEqualTo(Map.of("Enabled", "true", "Token", "device-2"));
    assertThat(sns().listEndpointsByPlatformApplication(b -> b.platformApplicationArn(app)).endpoints())
        .extracting(e -> e.endpointArn()).containsExactlyInAnyOrder(endpoint, other);

    sns().setEndpointAttributes(b -> b.endpointArn(endpoint).attributes(Map.of("Enabled", "false")));
    check(sns(), List.of(
        row("same token, other user data", 400, "InvalidParameter",
            "Invalid parameter: Token Reason: Endpoint " + endpoint + " already exists with the same Token, but different attributes.",
            c -> c.createPlatformEndpoint(b -> b.platformApplicationArn(app).token("device-1").customUserData("user-8"))),
        row("same token, other Enabled", 400, "InvalidParameter",
            "Invalid parameter: Token Reason: Endpoint " + endpoint + " already exists with the same Token, but different attributes.",
            c -> c.createPlatformEndpoint(b -> b.platformApplicationArn(app).token("device-1").attributes(Map.of("Enabled", "true")))),
        row("publish to a disabled endpoint", 400, "EndpointDisabled", "Endpoint is disabled",
            c -> c.publish(b -> b.targetArn(endpoint).message("hello"))),
        row("no token", 400, "ValidationError",
            "1 validation error detected: Value null at 'token' failed to satisfy constraint: Member must not be null",
            c -> c.createPlatformEndpoint(b -> b.platformApplicationArn(app))),
        row("publish to a missing endpoint", 400, "InvalidParameter",
            "Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified",
            c -> c.publish(b -> b.targetArn(app.replace(":app/", ":endpoint/") + "/0f7d5971-aa8b-4bd5-b585-0826e9f93a66")
                .message("hello")))));

    sns().deleteEndpoint(b -> b.endpointArn(endpoint));
    sns().deleteEndpoint(b -> b.endpointArn(endpoint));
    check(sns(), List.of(row("attributes of a deleted endpoint", 404, "NotFound", "Endpoint does not exist",
        c -> c.getEndpointAttributes(b -> b.endpointArn(endpoint)))));
    // The token is free again: a new endpoint for it (the same ARN: ids are the token's).
    assertThat(sns().createPlatformEndpoint(b -> b.platformApplicationArn(app).token("device-1")).endpointArn()).isEqualTo(endpoint);
    // An endpoint keeps its ARN when its token changes; its old token then makes another endpoint.
    sns().setEndpointAttributes(b -> b.endpointArn(other).attributes(Map.of("Token", "device-2b")));
    assertThat(sns().getEndpointAttributes(b -> b.endpointArn(other)).attributes()).containsEntry("Token", "device-2b");
    String third = sns().createPlatformEndpoint(b -> b.platformApplicationArn(app).token("device-2")).endpointArn();
    assertThat(third).isNotEqualTo(other);
    assertThat(sns().listEndpointsByPlatformApplication(b -> b.platformApplicationArn(app)).endpoints()).hasSize(3);
  }

  @Test
  void pushesAndTextsAreRecordedNotSentAndCanBeCleared() throws Exception {
    String app = sns().createPlatformApplication(b -> b.name("news").platform("APNS")
        .attributes(Map.of("PlatformCredential", "k", "PlatformPrincipal", "c"))).platformApplicationArn();
    String endpoint = sns().createPlatformEndpoint(b -> b.platformApplicationArn(app).token("phone-1")).endpointArn();
    String direct = sns().publish(b -> b.targetArn(endpoint).messageStructure("json")
        .message("{\"default\": \"plain\", \"APNS\": \"{\\\"aps\\\":{\\\"alert\\\":\\\"hi\\\"}}\"}")).messageId();
    String texted = sns().publish(b -> b.phoneNumber("+15551234567").message("a text")).messageId();

    String topic = sns().createTopic(b -> b.name("alerts")).topicArn();
    sns().subscribe(b -> b.topicArn(topic).protocol("application").endpoint(endpoint));
    sns().subscribe(b -> b.topicArn(topic).protocol("sms").endpoint("+15557654321"));
    String fanned = sns().publish(b -> b.topicArn(topic).message("to everyone").subject("News")).messageId();

    String pushQuery = "accountId=" + ACCOUNT + "&region=us-east-1&endpointArn=" + q(endpoint);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        recorded("/_eventplane/sns/platform-endpoint-messages", pushQuery).getJsonObject("platform_endpoint_messages")
            .getJsonArray(endpoint, new JsonArray()).size() == 2);
    JsonArray pushes = recorded("/_eventplane/sns/platform-endpoint-messages", pushQuery)
        .getJsonObject("platform_endpoint_messages").getJsonArray(endpoint);
    JsonObject first = pushes.getJsonObject(0);
    assertThat(first.getString("MessageId")).isEqualTo(direct);
    assertThat(first.getString("Message")).isEqualTo("{\"aps\":{\"alert\":\"hi\"}}");
    assertThat(first.getString("MessageStructure")).isEqualTo("json");
    assertThat(first.getString("TargetArn")).isEqualTo(endpoint);
    JsonObject second = pushes.getJsonObject(1);
    assertThat(second.getString("MessageId")).isEqualTo(fanned);
    assertThat(second.getString("Message")).isEqualTo("to everyone");
    assertThat(second.getString("TopicArn")).isEqualTo(topic);
    assertThat(second.getString("Subject")).isEqualTo("News");

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        recorded("/_eventplane/sns/sms-messages", "region=us-east-1").getJsonObject("sms_messages").size() == 2);
    JsonObject texts = recorded("/_eventplane/sns/sms-messages", "region=us-east-1").getJsonObject("sms_messages");
    assertThat(texts.getJsonArray("+15551234567").getJsonObject(0).getString("MessageId")).isEqualTo(texted);
    assertThat(texts.getJsonArray("+15551234567").getJsonObject(0).getString("Message")).isEqualTo("a text");
    assertThat(texts.getJsonArray("+15557654321").getJsonObject(0).getString("MessageId")).isEqualTo(fanned);
    assertThat(texts.getJsonArray("+15557654321").getJsonObject(0).getString("TopicArn")).isEqualTo(topic);
    // Another region's are its own.
    assertThat(recorded("/_eventplane/sns/sms-messages", "region=eu-west-1").getJsonObject("sms_messages")).isEmpty();

    assertThat(clear("/_eventplane/sns/sms-messages", "region=us-east-1&phoneNumber=" + q("+15551234567"))).isEqualTo(204);
    assertThat(recorded("/_eventplane/sns/sms-messages", "region=us-east-1").getJsonObject("sms_messages").fieldNames())
        .containsExactly("+15557654321");
    assertThat(clear("/_eventplane/sns/platform-endpoint-messages", "region=us-east-1")).isEqualTo(204);
    assertThat(recorded("/_eventplane/sns/platform-endpoint-messages", pushQuery).getJsonObject("platform_endpoint_messages"))
        .isEmpty();
  }

  @Test
  void recordedMessagesAreBoundedOldestFirst() throws Exception {
    String first = sns().publish(b -> b.phoneNumber("+15550009999").message("first")).messageId();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Future<?>> sends = new java.util.ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        String text = "text " + i;
        sends.add(pool.submit(() -> sns().publish(b -> b.phoneNumber("+15550009999").message(text))));
      }
      for (java.util.concurrent.Future<?> f : sends) f.get();
    } finally {
      pool.shutdownNow();
    }
    // All of an account's texts are recorded in its SMS partition, which keeps the latest 1,000.
    JsonArray texts = recorded("/_eventplane/sns/sms-messages", "region=us-east-1&phoneNumber=" + q("+15550009999"))
        .getJsonObject("sms_messages").getJsonArray("+15550009999");
    assertThat(texts).hasSize(1_000);
    assertThat(texts.stream().map(t -> ((JsonObject) t).getString("MessageId"))).doesNotContain(first);
  }

  @Test
  void smsSettingsOptOutsAndTheSandboxAreTheAccounts() throws Exception {
    sns().setSMSAttributes(b -> b.attributes(Map.of("DefaultSMSType", "Transactional", "DefaultSenderID", "Eventplane")));
    assertThat(sns().getSMSAttributes(b -> { }).attributes())
        .isEqualTo(Map.of("DefaultSMSType", "Transactional", "DefaultSenderID", "Eventplane"));
    assertThat(sns().getSMSAttributes(b -> b.attributes("DefaultSMSType")).attributes()).isEqualTo(Map.of("DefaultSMSType", "Transactional"));
    assertThat(sns().checkIfPhoneNumberIsOptedOut(b -> b.phoneNumber("+15550001111")).isOptedOut()).isFalse();
    var optedOut = sns().listPhoneNumbersOptedOut(b -> { });
    assertThat(optedOut.phoneNumbers()).isEmpty();
    assertThat(optedOut.nextToken()).isNull();
    sns().optInPhoneNumber(b -> b.phoneNumber("+15550001111"));

    assertThat(sns().getSMSSandboxAccountStatus(b -> { }).isInSandbox()).isTrue();
    sns().createSMSSandboxPhoneNumber(b -> b.phoneNumber("+15550002222").languageCode("en-US"));
    assertThat(sns().listSMSSandboxPhoneNumbers(b -> { }).phoneNumbers()).singleElement()
        .satisfies(n -> {
          assertThat(n.phoneNumber()).isEqualTo("+15550002222");
          assertThat(n.statusAsString()).isEqualTo("Pending");
        });
    String text = recorded("/_eventplane/sns/sms-messages", "").getJsonObject("sms_messages").getJsonArray("+15550002222")
        .getJsonObject(0).getString("Message");
    String password = text.substring(text.length() - 6);
    sns().verifySMSSandboxPhoneNumber(b -> b.phoneNumber("+15550002222").oneTimePassword(password));
    assertThat(sns().listSMSSandboxPhoneNumbers(b -> { }).phoneNumbers().get(0).statusAsString()).isEqualTo("Verified");
    assertThat(sns().listOriginationNumbers(b -> { }).phoneNumbers()).isEmpty();
    check(sns(), List.of(
        row("opt-out check of no number", 400, "InvalidParameter", "Invalid parameter: PhoneNumber Reason: input incorrectly formatted",
            c -> c.checkIfPhoneNumberIsOptedOut(b -> b.phoneNumber("+44742LALALA"))),
        row("opt-in of no number", 400, "InvalidParameter", "Invalid parameter: PhoneNumber Reason: input incorrectly formatted",
            c -> c.optInPhoneNumber(b -> b.phoneNumber("0f7d5971-aa8b-4bd5-b585-0826e9f93a66"))),
        row("sandbox number with letters", 400, "ValidationError",
            "1 validation error detected: Value at 'phoneNumber' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: ^(\\+[0-9]{8,}|[0-9]{0,9})$",
            c -> c.createSMSSandboxPhoneNumber(b -> b.phoneNumber("+1555abc"))),
        row("short one-time password", 400, "ValidationError",
            "1 validation error detected: Value '123' at 'oneTimePassword' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 5",
            c -> c.verifySMSSandboxPhoneNumber(b -> b.phoneNumber("+15550002222").oneTimePassword("123"))),
        row("unknown SMS type", 400, "InvalidParameter", "Invalid parameter: DefaultSMSType",
            c -> c.setSMSAttributes(b -> b.attributes(Map.of("DefaultSMSType", "Urgent"))))));
    sns().deleteSMSSandboxPhoneNumber(b -> b.phoneNumber("+15550002222"));
    assertThat(sns().listSMSSandboxPhoneNumbers(b -> { }).phoneNumbers()).isEmpty();
  }
}
