package io.eventplane.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.EmbeddedServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code --auth sigv4}: the console shows nothing until an access key signs in; then a session cookie
 * (HttpOnly, SameSite=Strict) opens it, every form needs the session's CSRF token, the calls are made
 * as the key's identity, and signing out ends it.
 */
class ConsoleSignInTest {
  private static final String KEY = "AKIACONSOLETEST00001";
  private static final String SECRET = "console-test-secret";

  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.SIGV4)
      .withAdminKey(KEY, SECRET)));

  private final ConsolePages pages = new ConsolePages(server.endpoint());

  @Test
  void nothingShowsBeforeTheSignIn() {
    for (String path : new String[] {"", "queues", "queues/anything", "queues/anything/peek", "queues/anything/live",
        "buses", "buses/b", "buses/b/rules/r", "archives/a", "replays/r", "replays/r/live", "streams", "streams/s",
        "audit", "cluster"}) {
      HttpResponse<String> page = pages.get(ConsolePages.PREFIX + path);
      assertThat(page.statusCode()).as(path).isEqualTo(303);
      assertThat(page.headers().firstValue("Location")).hasValue(ConsolePages.PREFIX + "signin");
    }
    HttpResponse<String> post = pages.post(ConsolePages.PREFIX + "queues/anything/send", "body=x");
    assertThat(post.statusCode()).isEqualTo(401);
    assertThat(post.body()).doesNotContain("<table");
    for (String form : new String[] {"buses/b/rules/r/test", "archives/a/replay", "replays/r/cancel"}) {
      assertThat(pages.post(ConsolePages.PREFIX + form, "event=x").statusCode()).as(form).isEqualTo(401);
    }
    // A forged or unknown cookie is no session.
    assertThat(pages.get(ConsolePages.PREFIX, "Cookie", "eventplane-console=" + "A".repeat(43)).statusCode()).isEqualTo(303);
    assertThat(pages.get(ConsolePages.PREFIX, "Cookie", "eventplane-console=" + "A".repeat(400)).statusCode()).isEqualTo(303);
    HttpResponse<String> form = pages.get(ConsolePages.PREFIX + "signin");
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body()).contains("<label for=\"accessKeyId\">").contains("<label for=\"secretAccessKey\">")
        .contains("type=\"password\"");
    // The scripts are public, as on any site; a browser at the root still lands on the console.
    assertThat(pages.get(ConsolePages.PREFIX + "assets/console.js").statusCode()).isEqualTo(200);
    assertThat(pages.get("/", "Accept", "text/html").statusCode()).isEqualTo(302);
  }

  @Test
  void aWrongSecretOrUnknownKeyIsRefusedAlike() {
    HttpResponse<String> wrong = pages.post(ConsolePages.PREFIX + "signin", "accessKeyId=" + KEY + "&secretAccessKey=nope");
    HttpResponse<String> unknown = pages.post(ConsolePages.PREFIX + "signin", "accessKeyId=AKIANOBODY0000000000&secretAccessKey=x");
    HttpResponse<String> empty = pages.post(ConsolePages.PREFIX + "signin", "");
    for (HttpResponse<String> r : java.util.List.of(wrong, unknown, empty)) {
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
      assertThat(r.body()).contains("The access key id or the secret key is not right.");
    }
  }

  @Test
  void aSessionOpensTheConsoleWithItsCsrfTokenUntilSignOut() {
    HttpResponse<String> signedIn = pages.post(ConsolePages.PREFIX + "signin",
        "accessKeyId=" + KEY + "&secretAccessKey=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8));
    assertThat(signedIn.statusCode()).isEqualTo(303);
    String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=" + ConsolePages.PREFIX);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    HttpResponse<String> overview = pages.get(ConsolePages.PREFIX, "Cookie", cookie);
    assertThat(overview.statusCode()).isEqualTo(200);
    assertThat(overview.body()).contains("Signed in as <code>arn:aws:iam::000000000000:root</code>");
    String csrf = csrf(overview.body());

    try (SqsClient sqs = SqsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
        .httpClientBuilder(ApacheHttpClient.builder()).build()) {
      String url = sqs.createQueue(b -> b.queueName("signed-queue")).queueUrl();
      HttpResponse<String> queues = pages.get(ConsolePages.PREFIX + "queues", "Cookie", cookie);
      assertThat(queues.statusCode()).isEqualTo(200);
      assertThat(queues.body()).contains("queues/signed-queue\"");
      HttpResponse<String> page = pages.get(ConsolePages.PREFIX + "queues/signed-queue", "Cookie", cookie);
      assertThat(csrf(page.body())).isEqualTo(csrf);

      // Forms without the session's token are refused, with it they act.
      assertThat(pages.post(ConsolePages.PREFIX + "queues/signed-queue/send", "body=x", "Cookie", cookie).statusCode())
          .isEqualTo(403);
      assertThat(pages.post(ConsolePages.PREFIX + "queues/signed-queue/send", "body=x&csrf=wrong", "Cookie", cookie)
          .statusCode()).isEqualTo(403);
      HttpResponse<String> acted = pages.post(ConsolePages.PREFIX + "queues/signed-queue/send", "body=signed&csrf=" + csrf,
          "Cookie", cookie);
      assertThat(acted.statusCode()).isEqualTo(303);
      assertThat(sqs.receiveMessage(b -> b.queueUrl(url)).messages()).extracting(m -> m.body()).containsExactly("signed");

      // The other pages' forms need the token too (with it, the rule's test goes on to find there is no such rule).
      String test = ConsolePages.PREFIX + "buses/default/rules/no-such-rule/test";
      assertThat(pages.post(test, "event=x", "Cookie", cookie).statusCode()).isEqualTo(403);
      assertThat(pages.post(test, "event=x&csrf=" + csrf, "Cookie", cookie).statusCode()).isEqualTo(404);
      assertThat(pages.post(ConsolePages.PREFIX + "archives/a/replay", "name=x", "Cookie", cookie).statusCode()).isEqualTo(403);
      String cancel = ConsolePages.PREFIX + "replays/no-such-replay/cancel";
      assertThat(pages.post(cancel, "", "Cookie", cookie).statusCode()).isEqualTo(403);
      assertThat(pages.post(cancel, "csrf=" + csrf, "Cookie", cookie).statusCode()).isEqualTo(404);
      // The audit page, signed in, finds the SDK's CreateQueue by the key that signed it.
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> pages.get(ConsolePages.PREFIX
          + "audit?key=AccessKeyId&value=" + KEY, "Cookie", cookie).body().contains("class=\"event-name\">CreateQueue<"));
    }

    HttpResponse<String> out = pages.post(ConsolePages.PREFIX + "signout", "csrf=" + csrf, "Cookie", cookie);
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(pages.get(ConsolePages.PREFIX, "Cookie", cookie).statusCode()).isEqualTo(303);
  }

  /**
   * The session is sealed in its cookie with the cluster's credentials key: every node opens it (a
   * browser behind a load balancer), a changed cookie is no session, and a sign-out on one node ends it
   * on all (the 3-node run checks the cluster; the one-node run the rest).
   */
  @Test
  void theSessionOpensOnEveryNodeAndASignOutEndsItEverywhere() {
    HttpResponse<String> signedIn = pages.post(ConsolePages.PREFIX + "signin",
        "accessKeyId=" + KEY + "&secretAccessKey=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8));
    String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    String csrf = null;
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      HttpResponse<String> overview = new ConsolePages(server.endpoint(node)).get(ConsolePages.PREFIX, "Cookie", cookie);
      assertThat(overview.statusCode()).as("node " + node).isEqualTo(200);
      assertThat(overview.body()).contains("Signed in as <code>arn:aws:iam::000000000000:root</code>");
      csrf = csrf(overview.body());
    }
    String value = cookie.substring(cookie.indexOf('=') + 1);
    String changed = cookie.substring(0, cookie.indexOf('=') + 1) + value.substring(0, 10)
        + (value.charAt(10) == 'A' ? 'B' : 'A') + value.substring(11);
    assertThat(pages.get(ConsolePages.PREFIX, "Cookie", changed).statusCode()).isEqualTo(303);

    int last = EmbeddedServer.nodes() - 1;
    HttpResponse<String> out = new ConsolePages(server.endpoint(last)).post(ConsolePages.PREFIX + "signout", "csrf=" + csrf,
        "Cookie", cookie);
    assertThat(out.statusCode()).isEqualTo(303);
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      ConsolePages at = new ConsolePages(server.endpoint(node));
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(at.get(ConsolePages.PREFIX, "Cookie", cookie).statusCode()).isEqualTo(303));
    }
  }

  @Test
  void anUploadNeedsTheSessionsTokenAndIsMadeAsTheKey() {
    HttpResponse<String> signedIn = pages.post(ConsolePages.PREFIX + "signin",
        "accessKeyId=" + KEY + "&secretAccessKey=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8));
    String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    try (software.amazon.awssdk.services.s3.S3Client s3 = software.amazon.awssdk.services.s3.S3Client.builder()
        .endpointOverride(server.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
        .httpClientBuilder(ApacheHttpClient.builder()).build()) {
      s3.createBucket(b -> b.bucket("signed-bucket"));
      // Clustered, the bucket's bodies may be on another node: the request is forwarded there with its
      // session cookie, which that node opens too.
      HttpResponse<String> page = pages.get(ConsolePages.PREFIX + "buckets/signed-bucket", "Cookie", cookie);
      assertThat(page.statusCode()).isEqualTo(200);
      String csrf = csrf(page.body());
      String path = ConsolePages.PREFIX + "buckets/signed-bucket/upload";
      // Without the session, or without its token, nothing is stored.
      assertThat(pages.multipart(path, java.util.Map.of("prefix", ""), "a.txt", new byte[] {'a'}).statusCode()).isEqualTo(401);
      assertThat(pages.multipart(path, java.util.Map.of("prefix", ""), "a.txt", new byte[] {'a'}, "Cookie", cookie).statusCode())
          .isEqualTo(403);
      assertThat(pages.multipart(path, java.util.Map.of("csrf", "wrong", "prefix", ""), "a.txt", new byte[] {'a'}, "Cookie", cookie)
          .statusCode()).isEqualTo(403);
      assertThat(s3.listObjectsV2(b -> b.bucket("signed-bucket")).keyCount()).isZero();
      java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
      fields.put("csrf", csrf);
      fields.put("prefix", "in/");
      HttpResponse<String> uploaded = pages.multipart(path, fields, "a.txt", "signed upload".getBytes(StandardCharsets.UTF_8),
          "Cookie", cookie);
      assertThat(uploaded.statusCode()).isEqualTo(303);
      assertThat(s3.getObjectAsBytes(b -> b.bucket("signed-bucket").key("in/a.txt")).asUtf8String()).isEqualTo("signed upload");
      HttpResponse<String> download = pages.get(ConsolePages.PREFIX + "buckets/signed-bucket/object?key=in%2Fa.txt", "Cookie", cookie);
      assertThat(download.body()).isEqualTo("signed upload");
    }
  }

  private static String csrf(String page) {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
    assertThat(m.find()).as("a CSRF field on the page").isTrue();
    return m.group(1);
  }
}
