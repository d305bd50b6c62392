package io.eventplane.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.s3.BrowserForm;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Browser uploads (S3 POST Object) while signatures are verified: the form's policy signed with
 * Signature Version 4 as the S3 API Reference's browser-upload example does (the SDK has no POST
 * presigner, so the test signs), the policy's expiry and every kind of condition held against the
 * form, fields the policy does not cover, a wrong signature, an unknown key, temporary credentials.
 */
class PostPolicySignatureTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.SIGV4)
      .withAdminKey(SignatureVerificationTest.KEY_ID, SignatureVerificationTest.SECRET)));

  private static final String BUCKET = "post-policy-uploads";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private S3Client s3;

  @org.junit.jupiter.api.AfterEach
  void close() {
    s3.close();
  }

  @BeforeEach
  void bucket() {
    s3 = S3Client.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(SignatureVerificationTest.admin()).httpClientBuilder(ApacheHttpClient.builder()).build();
    s3.createBucket(b -> b.bucket(BUCKET));
  }

  /** A form as the S3 docs' example builds it, its policy covering every field given, signed with {@code secret}. */
  private static final class SignedForm {
    final String keyId;
    final String secret;
    final String token;
    Instant expiration = server.clock().instant().plus(Duration.ofHours(1));
    final JsonArray conditions = new JsonArray();
    final BrowserForm form = new BrowserForm();
    final String date = STAMP.format(server.clock().instant());
    final String credential;

    SignedForm(String keyId, String secret, String token) {
      this.keyId = keyId;
      this.secret = secret;
      this.token = token;
      this.credential = keyId + "/" + date.substring(0, 8) + "/us-east-1/s3/aws4_request";
    }

    static SignedForm admin() {
      return new SignedForm(SignatureVerificationTest.KEY_ID, SignatureVerificationTest.SECRET, null);
    }

    /** The usual form: a key under uploads/, a content type, a metadata field, 201 on success, 1 to 1000 bytes. */
    SignedForm usual() {
      conditions.add(new JsonObject().put("bucket", BUCKET)).add(new JsonArray().add("starts-with").add("$key").add("uploads/"))
          .add(new JsonObject().put("success_action_status", "201"))
          .add(new JsonArray().add("starts-with").add("$Content-Type").add("image/"))
          .add(new JsonObject().put("x-amz-meta-uuid", "14365123651274"))
          .add(new JsonArray().add("content-length-range").add(1).add(1000));
      form.field("key", "uploads/${filename}").field("success_action_status", "201").field("Content-Type", "image/jpeg")
          .field("x-amz-meta-uuid", "14365123651274");
      return this;
    }

    HttpResponse<String> post() throws Exception {
      return post(secret);
    }

    HttpResponse<String> post(String signingSecret) throws Exception {
      conditions.add(new JsonObject().put("x-amz-credential", credential))
          .add(new JsonObject().put("x-amz-algorithm", "AWS4-HMAC-SHA256")).add(new JsonObject().put("x-amz-date", date));
      if (token != null) conditions.add(new JsonObject().put("x-amz-security-token", token));
      String policy = Base64.getEncoder().encodeToString(new JsonObject().put("expiration", expiration.toString())
          .put("conditions", conditions).encode().getBytes(StandardCharsets.UTF_8));
      form.field("x-amz-credential", credential).field("x-amz-algorithm", "AWS4-HMAC-SHA256").field("x-amz-date", date);
      if (token != null) form.field("x-amz-security-token", token);
      form.field("policy", policy).field("x-amz-signature", sign(signingSecret, date.substring(0, 8), policy));
      form.file("photo.jpg", "jpeg bytes".getBytes(StandardCharsets.UTF_8));
      return form.post(server.endpoint(), BUCKET);
    }
  }

  @Test
  void aFormSignedWithTheAdminKeyUploads() throws Exception {
    HttpResponse<String> answer = SignedForm.admin().usual().post();
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    assertThat(answer.body()).contains("<Key>uploads/photo.jpg</Key>");
    HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("uploads/photo.jpg"));
    assertThat(head.contentType()).isEqualTo("image/jpeg");
    assertThat(head.metadata()).containsEntry("uuid", "14365123651274");
  }

  @Test
  void anExpiredPolicyIsRefused() throws Exception {
    SignedForm form = SignedForm.admin().usual();
    form.expiration = server.clock().instant().minusSeconds(60);
    assertRefused(form.post(), 403, "AccessDenied", "Invalid according to Policy: Policy expired.");
  }

  @Test
  void eachKindOfConditionIsHeldAgainstTheForm() throws Exception {
    SignedForm bucket = SignedForm.admin().usual();
    bucket.conditions.add(new JsonObject().put("bucket", "another-bucket"));
    assertRefused(bucket.post(), 403, "AccessDenied",
        "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$bucket\", \"another-bucket\"]");
    SignedForm eq = SignedForm.admin().usual();
    eq.conditions.add(new JsonArray().add("eq").add("$x-amz-meta-uuid").add("other"));
    assertRefused(eq.post(), 403, "AccessDenied",
        "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$x-amz-meta-uuid\", \"other\"]");
    SignedForm prefix = SignedForm.admin().usual();
    prefix.conditions.add(new JsonArray().add("starts-with").add("$key").add("private/"));
    assertRefused(prefix.post(), 403, "AccessDenied",
        "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", \"private/\"]");
    SignedForm status = SignedForm.admin().usual();
    status.conditions.add(new JsonObject().put("success_action_status", "200"));
    assertRefused(status.post(), 403, "AccessDenied",
        "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$success_action_status\", \"200\"]");
    SignedForm length = SignedForm.admin().usual();
    length.conditions.add(new JsonArray().add("content-length-range").add(1).add(4));
    assertRefused(length.post(), 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
    assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).isEmpty();
  }

  @Test
  void aFieldThePolicyDoesNotCoverIsRefused() throws Exception {
    SignedForm form = SignedForm.admin().usual();
    form.form.field("x-amz-meta-extra", "not in the policy");
    assertRefused(form.post(), 403, "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-extra");
    SignedForm ignored = SignedForm.admin().usual();
    ignored.form.field("x-ignore-note", "ignored by design");
    assertThat(ignored.post().statusCode()).isEqualTo(201);
  }

  @Test
  void aWrongSignatureAnUnknownKeyOrNoPolicyIsRefused() throws Exception {
    assertRefused(SignedForm.admin().usual().post("not-the-admin-secret-00000"), 403, "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    assertRefused(new SignedForm("AKIAUNKNOWNKEY000001", "whatever-secret-000000", null).usual().post(), 403,
        "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
    BrowserForm anonymous = new BrowserForm().field("key", "uploads/anonymous.jpg").file("a.jpg", new byte[] {1, 2, 3});
    assertRefused(anonymous.post(server.endpoint(), BUCKET), 403, "AccessDenied", "Access Denied");
    assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()).isEmpty();
  }

  @Test
  void temporaryCredentialsSignWithTheirSessionToken() throws Exception {
    Credentials session;
    try (StsClient sts = StsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(SignatureVerificationTest.admin()).httpClientBuilder(ApacheHttpClient.builder()).build()) {
      session = sts.getSessionToken(b -> b.durationSeconds(900)).credentials();
    }
    SignedForm form = new SignedForm(session.accessKeyId(), session.secretAccessKey(), session.sessionToken()).usual();
    HttpResponse<String> answer = form.post();
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    assertThat(s3.headObject(b -> b.bucket(BUCKET).key("uploads/photo.jpg")).metadata()).containsEntry("uuid", "14365123651274");
    // The same form without its token names a key nobody has.
    SignedForm tokenless = new SignedForm(session.accessKeyId(), session.secretAccessKey(), null).usual();
    assertRefused(tokenless.post(), 403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
  }

  private static void assertRefused(HttpResponse<String> answer, int status, String code, String message) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    String body = answer.body().replace("&quot;", "\"");
    assertThat(body).contains("<Code>" + code + "</Code>").contains("<Message>" + message + "</Message>");
  }

  /** The S3 docs' browser-upload signature: HMAC-SHA256 of the base64 policy with the SigV4 signing key. */
  static String sign(String secret, String day, String policy) throws Exception {
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), day);
    key = hmac(key, "us-east-1");
    key = hmac(key, "s3");
    key = hmac(key, "aws4_request");
    return HexFormat.of().formatHex(hmac(key, policy));
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
