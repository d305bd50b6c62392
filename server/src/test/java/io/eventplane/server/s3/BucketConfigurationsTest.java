package io.eventplane.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AccessControlPolicy;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;
import software.amazon.awssdk.services.s3.model.GetBucketCorsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.Tag;

/** Bucket subresources S3 stores and returns (CORS with the browser's preflight, tagging, policy, ACLs, encryption). */
class BucketConfigurationsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

  private static S3Client s3() {
    return server.s3();
  }

  private static HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.endpoint().resolve(URI.create(path)))
        .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  private static void assertError(Runnable call, int status, String code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(S3Exception.class, e -> {
      assertThat(e.statusCode()).isEqualTo(status);
      if (code != null) assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
      if (message != null) assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
    });
  }

  private static void putCors(String bucket, CORSRule... rules) {
    s3().putBucketCors(b -> b.bucket(bucket).corsConfiguration(c -> c.corsRules(rules)));
  }

  private static final CORSRule SITE = CORSRule.builder().id("site").allowedOrigins("https://example.com", "https://*.example.com")
      .allowedMethods("GET", "PUT", "DELETE").allowedHeaders("Content-Type", "x-amz-*").exposeHeaders("ETag", "x-amz-request-id")
      .maxAgeSeconds(3000).build();
  private static final CORSRule PUBLIC = CORSRule.builder().allowedOrigins("*").allowedMethods("GET", "HEAD").build();

  @Test
  void corsConfigurationIsStoredReturnedAndDeleted() {
    s3().createBucket(b -> b.bucket("cors-config"));
    assertError(() -> s3().getBucketCors(b -> b.bucket("cors-config")), 404, "NoSuchCORSConfiguration",
        "The CORS configuration does not exist");
    putCors("cors-config", SITE, PUBLIC);
    GetBucketCorsResponse got = s3().getBucketCors(b -> b.bucket("cors-config"));
    assertThat(got.corsRules()).containsExactly(SITE, PUBLIC);
    putCors("cors-config", PUBLIC);
    assertThat(s3().getBucketCors(b -> b.bucket("cors-config")).corsRules()).containsExactly(PUBLIC);
    assertThat(s3().deleteBucketCors(b -> b.bucket("cors-config")).sdkHttpResponse().statusCode()).isEqualTo(204);
    assertError(() -> s3().getBucketCors(b -> b.bucket("cors-config")), 404, "NoSuchCORSConfiguration", null);
    // Deleting what is not there is no error, as on S3.
    assertThat(s3().deleteBucketCors(b -> b.bucket("cors-config")).sdkHttpResponse().statusCode()).isEqualTo(204);
  }

  @Test
  void corsConfigurationsS3RefusesAreRefused() {
    s3().createBucket(b -> b.bucket("cors-bad"));
    assertError(() -> putCors("cors-bad", CORSRule.builder().allowedOrigins("*").allowedMethods("PATCH").build()), 400,
        "InvalidRequest", "Found unsupported HTTP method in CORS config. Unsupported method is PATCH");
    assertError(() -> putCors("cors-bad", CORSRule.builder().allowedOrigins("https://*.example.*").allowedMethods("GET")
        .build()), 400, "InvalidRequest", "AllowedOrigin \"https://*.example.*\" can not have more than one wildcard.");
    assertError(() -> putCors("cors-bad", CORSRule.builder().allowedOrigins("*").allowedMethods("GET").exposeHeaders("x-*")
        .build()), 400, "InvalidRequest",
        "ExposeHeader \"x-*\" contains wildcard. We currently do not support wildcard for ExposeHeader.");
    assertError(() -> putCors("cors-bad", CORSRule.builder().allowedMethods("GET").build()), 400, "MalformedXML", null);
    assertError(() -> putCors("cors-bad"), 400, "MalformedXML", null);
    List<CORSRule> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) many.add(PUBLIC);
    assertError(() -> putCors("cors-bad", many.toArray(CORSRule[]::new)), 400, "MalformedXML", null);
    putCors("cors-bad", many.subList(0, 100).toArray(CORSRule[]::new));
    assertThat(s3().getBucketCors(b -> b.bucket("cors-bad")).corsRules()).hasSize(100);
    assertError(() -> putCors("cors-nobucket", PUBLIC), 404, "NoSuchBucket", null);
    assertError(() -> s3().getBucketCors(b -> b.bucket("cors-nobucket")), 404, "NoSuchBucket", null);
    assertError(() -> s3().deleteBucketCors(b -> b.bucket("cors-nobucket")), 404, "NoSuchBucket", null);
  }

  @Test
  void corsXmlThatDoesNotParseIsMalformedXml() throws Exception {
    s3().createBucket(b -> b.bucket("cors-xml"));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/cors-xml?cors"))
        .PUT(HttpRequest.BodyPublishers.ofString("<CORSConfiguration><CORSRule>")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>MalformedXML</Code>");
  }

  @Test
  void preflightIsAnsweredByTheFirstRuleThatAllowsIt() throws Exception {
    s3().createBucket(b -> b.bucket("cors-preflight"));
    putCors("cors-preflight", SITE, PUBLIC);

    HttpResponse<String> r = send("OPTIONS", "/cors-preflight/photos/a.jpg", Map.of("Origin", "https://app.example.com",
        "Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "Content-Type,X-Amz-Date ,  x-amz-meta-Name"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    assertThat(header(r, "Access-Control-Allow-Methods")).isEqualTo("GET, PUT, DELETE");
    assertThat(header(r, "Access-Control-Allow-Headers")).isEqualTo("content-type, x-amz-date, x-amz-meta-name");
    assertThat(header(r, "Access-Control-Expose-Headers")).isEqualTo("ETag, x-amz-request-id");
    assertThat(header(r, "Access-Control-Max-Age")).isEqualTo("3000");
    assertThat(header(r, "Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(header(r, "Vary")).isEqualTo(VARY);

    // Only the literal * allows this origin: no credentials, and the second rule's methods.
    r = send("OPTIONS", "/cors-preflight/photos/a.jpg", Map.of("Origin", "https://example.org",
        "Access-Control-Request-Method", "GET"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(header(r, "Access-Control-Allow-Methods")).isEqualTo("GET, HEAD");
    assertThat(header(r, "Access-Control-Allow-Credentials")).isNull();
    assertThat(header(r, "Access-Control-Max-Age")).isNull();
    assertThat(header(r, "Access-Control-Allow-Headers")).isNull();

    // The bucket itself too.
    r = send("OPTIONS", "/cors-preflight", Map.of("Origin", "https://example.com", "Access-Control-Request-Method", "DELETE"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "Access-Control-Allow-Origin")).isEqualTo("https://example.com");
  }

  @Test
  void preflightsNoRuleAllowsAreRefusedAsS3RefusesThem() throws Exception {
    s3().createBucket(b -> b.bucket("cors-refused"));
    HttpResponse<String> r = send("OPTIONS", "/cors-refused/a", Map.of("Origin", "https://example.com",
        "Access-Control-Request-Method", "PUT"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("<Code>AccessForbidden</Code>")
        .contains("<Message>CORSResponse: CORS is not enabled for this bucket.</Message>")
        .contains("<Method>PUT</Method>").contains("<ResourceType>BUCKET</ResourceType>");

    putCors("cors-refused", SITE);
    String notAllowed = "<Message>CORSResponse: This CORS request is not allowed. This is usually because the evalution of "
        + "Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by "
        + "the resource&apos;s CORS spec.</Message>";
    for (Map<String, String> refused : List.of(
        Map.of("Origin", "https://example.org", "Access-Control-Request-Method", "GET"),
        Map.of("Origin", "https://EXAMPLE.com", "Access-Control-Request-Method", "GET"),
        Map.of("Origin", "https://example.com", "Access-Control-Request-Method", "POST"),
        Map.of("Origin", "https://example.com", "Access-Control-Request-Method", "GET",
            "Access-Control-Request-Headers", "content-type, authorization"))) {
      r = send("OPTIONS", "/cors-refused/a", refused);
      assertThat(r.statusCode()).as("%s", refused).isEqualTo(403);
      assertThat(r.body().replace("'", "&apos;")).contains("<Code>AccessForbidden</Code>").contains(notAllowed)
          .contains("<ResourceType>OBJECT</ResourceType>");
      assertThat(header(r, "Access-Control-Allow-Origin")).isNull();
    }

    r = send("OPTIONS", "/cors-refused/a", Map.of("Access-Control-Request-Method", "GET"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("<Code>BadRequest</Code>")
        .contains("<Message>Insufficient information. Origin request header needed.</Message>");
    r = send("OPTIONS", "/cors-refused/a", Map.of("Origin", "https://example.com"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("<Message>Invalid Access-Control-Request-Method: null</Message>");
    r = send("OPTIONS", "/cors-refused/a", Map.of("Origin", "https://example.com", "Access-Control-Request-Method", "PATCH"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("<Message>Invalid Access-Control-Request-Method: PATCH</Message>");

    r = send("OPTIONS", "/cors-nowhere/a", Map.of("Origin", "https://example.com", "Access-Control-Request-Method", "GET"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("<Code>AccessForbidden</Code>").contains("<Message>CORSResponse: Bucket not found</Message>");
  }

  @Test
  void actualRequestsFromAnAllowedOriginCarryTheCorsHeaders() throws Exception {
    s3().createBucket(b -> b.bucket("cors-actual"));
    putCors("cors-actual", SITE);
    s3().putObject(b -> b.bucket("cors-actual").key("page.html"), RequestBody.fromString("<html/>"));

    HttpResponse<String> get = send("GET", "/cors-actual/page.html", Map.of("Origin", "https://example.com"));
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("<html/>");
    assertThat(header(get, "Access-Control-Allow-Origin")).isEqualTo("https://example.com");
    assertThat(header(get, "Access-Control-Allow-Methods")).isEqualTo("GET, PUT, DELETE");
    assertThat(header(get, "Access-Control-Expose-Headers")).isEqualTo("ETag, x-amz-request-id");
    assertThat(header(get, "Access-Control-Max-Age")).isEqualTo("3000");
    assertThat(header(get, "Vary")).isEqualTo(VARY);

    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/cors-actual/up.txt"))
        .header("Origin", "https://www.example.com").PUT(HttpRequest.BodyPublishers.ofString("up")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(header(put, "Access-Control-Allow-Origin")).isEqualTo("https://www.example.com");
    assertThat(header(put, "ETag")).isNotNull();

    HttpResponse<String> list = send("GET", "/cors-actual?list-type=2", Map.of("Origin", "https://example.com"));
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(header(list, "Access-Control-Allow-Origin")).isEqualTo("https://example.com");

    // A refusal carries them too, so the page can read it; the error document is S3's as ever.
    HttpResponse<String> missing = send("GET", "/cors-actual/missing.html", Map.of("Origin", "https://example.com"));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("<Code>NoSuchKey</Code>").doesNotContain("CorsHeaders");
    assertThat(header(missing, "Access-Control-Allow-Origin")).isEqualTo("https://example.com");
    HttpResponse<String> denied = send("GET", "/cors-actual/missing.html", Map.of("Origin", "https://example.org"));
    assertThat(denied.statusCode()).isEqualTo(404);
    assertThat(header(denied, "Access-Control-Allow-Origin")).isNull();

    // Served all the same, without CORS headers: an origin or a method no rule allows, or no Origin at all.
    for (Map<String, String> plain : List.of(Map.of("Origin", "https://example.org"),
        Map.of("Origin", "https://example.com", "Access-Control-Request-Method", "POST"), Map.<String, String>of())) {
      HttpResponse<String> r = send("GET", "/cors-actual/page.html", plain);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("<html/>");
      assertThat(header(r, "Access-Control-Allow-Origin")).isNull();
      assertThat(header(r, "Vary")).isNull();
    }
  }

  @Test
  void bucketTagsAreStoredReturnedAndDeleted() {
    s3().createBucket(b -> b.bucket("tags-bucket"));
    assertError(() -> s3().getBucketTagging(b -> b.bucket("tags-bucket")), 404, "NoSuchTagSet", "The TagSet does not exist");
    s3().putBucketTagging(b -> b.bucket("tags-bucket").tagging(t -> t.tagSet(Tag.builder().key("team").value("web").build(),
        Tag.builder().key("cost-centre").value("").build())));
    assertThat(s3().getBucketTagging(b -> b.bucket("tags-bucket")).tagSet()).containsExactly(
        Tag.builder().key("team").value("web").build(), Tag.builder().key("cost-centre").value("").build());
    assertThat(s3().deleteBucketTagging(b -> b.bucket("tags-bucket")).sdkHttpResponse().statusCode()).isEqualTo(204);
    assertError(() -> s3().getBucketTagging(b -> b.bucket("tags-bucket")), 404, "NoSuchTagSet", null);
    assertError(() -> s3().getBucketTagging(b -> b.bucket("tags-nobucket")), 404, "NoSuchBucket", null);
    assertError(() -> s3().deleteBucketTagging(b -> b.bucket("tags-nobucket")), 404, "NoSuchBucket", null);
  }

  @Test
  void bucketTagsAreHeldToS3sLimits() {
    s3().createBucket(b -> b.bucket("tags-limits"));
    List<Tag> fifty = new ArrayList<>();
    for (int i = 0; i < 50; i++) fifty.add(Tag.builder().key("k" + i).value("v").build());
    s3().putBucketTagging(b -> b.bucket("tags-limits").tagging(t -> t.tagSet(fifty)));
    assertThat(s3().getBucketTagging(b -> b.bucket("tags-limits")).tagSet()).hasSize(50);
    List<Tag> fiftyOne = new ArrayList<>(fifty);
    fiftyOne.add(Tag.builder().key("one-more").value("v").build());
    assertError(() -> s3().putBucketTagging(b -> b.bucket("tags-limits").tagging(t -> t.tagSet(fiftyOne))), 400, "InvalidTag",
        "Bucket tag count cannot be greater than 50");
    assertError(() -> s3().putBucketTagging(b -> b.bucket("tags-limits").tagging(t -> t.tagSet(
        Tag.builder().key("a").value("1").build(), Tag.builder().key("a").value("2").build()))), 400, "InvalidTag",
        "Cannot provide multiple Tags with the same key");
    assertError(() -> s3().putBucketTagging(b -> b.bucket("tags-limits").tagging(t -> t.tagSet(
        Tag.builder().key("k".repeat(129)).value("1").build()))), 400, "InvalidTag", "The TagKey you have provided is invalid");
    assertError(() -> s3().putBucketTagging(b -> b.bucket("tags-limits").tagging(t -> t.tagSet(
        Tag.builder().key("k").value("v".repeat(257)).build()))), 400, "InvalidTag", "The TagValue you have provided is invalid");
    s3().putBucketTagging(b -> b.bucket("tags-limits").tagging(t -> t.tagSet(
        Tag.builder().key("k".repeat(128)).value("v".repeat(256)).build())));
    // The failed puts changed nothing; the last good one stands.
    assertThat(s3().getBucketTagging(b -> b.bucket("tags-limits")).tagSet()).hasSize(1);
  }

  private static final String PUBLIC_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PublicRead\","
      + "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::policy-bucket/*\"}]}";

  @Test
  void bucketPolicyIsStoredAsGivenAndJudgedPublicOrNot() {
    s3().createBucket(b -> b.bucket("policy-bucket"));
    assertError(() -> s3().getBucketPolicy(b -> b.bucket("policy-bucket")), 404, "NoSuchBucketPolicy",
        "The bucket policy does not exist");
    assertError(() -> s3().getBucketPolicyStatus(b -> b.bucket("policy-bucket")), 404, "NoSuchBucketPolicy", null);
    s3().putBucketPolicy(b -> b.bucket("policy-bucket").policy(PUBLIC_POLICY));
    assertThat(s3().getBucketPolicy(b -> b.bucket("policy-bucket")).policy()).isEqualTo(PUBLIC_POLICY);
    assertThat(s3().getBucketPolicyStatus(b -> b.bucket("policy-bucket")).policyStatus().isPublic()).isTrue();

    String conditioned = "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:GetObject\","
        + "\"Resource\":\"arn:aws:s3:::policy-bucket/*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}}";
    s3().putBucketPolicy(b -> b.bucket("policy-bucket").policy(conditioned));
    assertThat(s3().getBucketPolicyStatus(b -> b.bucket("policy-bucket")).policyStatus().isPublic()).isFalse();
    String awsStar = conditioned.replace(",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}", "");
    s3().putBucketPolicy(b -> b.bucket("policy-bucket").policy(awsStar));
    assertThat(s3().getBucketPolicyStatus(b -> b.bucket("policy-bucket")).policyStatus().isPublic()).isTrue();

    assertThat(s3().deleteBucketPolicy(b -> b.bucket("policy-bucket")).sdkHttpResponse().statusCode()).isEqualTo(204);
    assertError(() -> s3().getBucketPolicy(b -> b.bucket("policy-bucket")), 404, "NoSuchBucketPolicy", null);
    assertError(() -> s3().putBucketPolicy(b -> b.bucket("policy-nobucket").policy(PUBLIC_POLICY)), 404, "NoSuchBucket", null);
  }

  @Test
  void aPolicyThatIsNotJsonIsMalformedPolicy() {
    s3().createBucket(b -> b.bucket("policy-bad"));
    for (String bad : List.of("not json", "[1,2]", " {\"Statement\":[]}", "{\"Statement\": [")) {
      assertError(() -> s3().putBucketPolicy(b -> b.bucket("policy-bad").policy(bad)), 400, "MalformedPolicy",
          "Policies must be valid JSON and the first byte must be '{'");
    }
    assertError(() -> s3().getBucketPolicy(b -> b.bucket("policy-bad")), 404, "NoSuchBucketPolicy", null);
  }

  @Test
  void bucketEncryptionDefaultsToSseS3AndKeepsWhatIsPut() {
    s3().createBucket(b -> b.bucket("sse-bucket"));
    ServerSideEncryptionRule rule = s3().getBucketEncryption(b -> b.bucket("sse-bucket"))
        .serverSideEncryptionConfiguration().rules().get(0);
    assertThat(rule.applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AES256);
    assertThat(rule.bucketKeyEnabled()).isFalse();

    s3().putBucketEncryption(b -> b.bucket("sse-bucket").serverSideEncryptionConfiguration(c -> c.rules(r -> r
        .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID("alias/site"))
        .bucketKeyEnabled(true))));
    rule = s3().getBucketEncryption(b -> b.bucket("sse-bucket")).serverSideEncryptionConfiguration().rules().get(0);
    assertThat(rule.applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AWS_KMS);
    assertThat(rule.applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo("alias/site");
    assertThat(rule.bucketKeyEnabled()).isTrue();

    assertError(() -> s3().putBucketEncryption(b -> b.bucket("sse-bucket").serverSideEncryptionConfiguration(c -> c.rules(r -> r
        .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256).kmsMasterKeyID("alias/x"))))),
        400, "InvalidArgument", null);
    assertError(() -> s3().putBucketEncryption(b -> b.bucket("sse-bucket").serverSideEncryptionConfiguration(c -> c.rules(r -> r
        .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("ROT13"))))), 400, "MalformedXML", null);

    assertThat(s3().deleteBucketEncryption(b -> b.bucket("sse-bucket")).sdkHttpResponse().statusCode()).isEqualTo(204);
    rule = s3().getBucketEncryption(b -> b.bucket("sse-bucket")).serverSideEncryptionConfiguration().rules().get(0);
    assertThat(rule.applyServerSideEncryptionByDefault().sseAlgorithm()).isEqualTo(ServerSideEncryption.AES256);
    assertError(() -> s3().getBucketEncryption(b -> b.bucket("sse-nobucket")), 404, "NoSuchBucket", null);
  }

  @Test
  void configurationsOfOneBucketPutAtOnceAllStay() {
    s3().createBucket(b -> b.bucket("many-configs"));
    List<Thread> threads = List.of(
        new Thread(() -> putCors("many-configs", PUBLIC)),
        new Thread(() -> s3().putBucketTagging(b -> b.bucket("many-configs").tagging(t -> t.tagSet(
            Tag.builder().key("a").value("b").build())))),
        new Thread(() -> s3().putBucketPolicy(b -> b.bucket("many-configs").policy(PUBLIC_POLICY))));
    threads.forEach(Thread::start);
    threads.forEach(t -> {
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertThat(s3().getBucketCors(b -> b.bucket("many-configs")).corsRules()).containsExactly(PUBLIC);
    assertThat(s3().getBucketTagging(b -> b.bucket("many-configs")).tagSet()).hasSize(1);
    assertThat(s3().getBucketPolicy(b -> b.bucket("many-configs")).policy()).isEqualTo(PUBLIC_POLICY);
  }

  private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
  private static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

  /** The grants as "type:who:permission", to compare whole ACLs at a glance. */
  private static List<String> grants(List<Grant> grants) {
    return grants.stream().map(g -> g.grantee().typeAsString() + ":"
        + (g.grantee().uri() != null ? g.grantee().uri() : g.grantee().id()) + ":" + g.permissionAsString()).toList();
  }

  @Test
  void bucketAclsDefaultToTheOwnerAndTakeCannedAcls() {
    s3().createBucket(b -> b.bucket("acl-bucket"));
    GetBucketAclResponse acl = s3().getBucketAcl(b -> b.bucket("acl-bucket"));
    String owner = acl.owner().id();
    assertThat(owner).isNotEmpty();
    assertThat(acl.owner().displayName()).isNotEmpty();
    assertThat(grants(acl.grants())).containsExactly("CanonicalUser:" + owner + ":FULL_CONTROL");
    assertThat(acl.grants().get(0).grantee().displayName()).isEqualTo(acl.owner().displayName());

    s3().putBucketAcl(b -> b.bucket("acl-bucket").acl(BucketCannedACL.PUBLIC_READ_WRITE));
    assertThat(grants(s3().getBucketAcl(b -> b.bucket("acl-bucket")).grants())).containsExactly(
        "CanonicalUser:" + owner + ":FULL_CONTROL", "Group:" + ALL_USERS + ":READ", "Group:" + ALL_USERS + ":WRITE");

    s3().createBucket(b -> b.bucket("acl-created").acl(BucketCannedACL.AUTHENTICATED_READ));
    assertThat(grants(s3().getBucketAcl(b -> b.bucket("acl-created")).grants())).containsExactly(
        "CanonicalUser:" + owner + ":FULL_CONTROL", "Group:" + AUTHENTICATED_USERS + ":READ");

    assertError(() -> s3().putBucketAcl(b -> b.bucket("acl-bucket").acl("public-everything")), 400, "InvalidArgument", null);
    assertError(() -> s3().createBucket(b -> b.bucket("acl-refused").acl("public-everything")), 400, "InvalidArgument", null);
    assertError(() -> s3().headBucket(b -> b.bucket("acl-refused")), 404, null, null);
    assertError(() -> s3().getBucketAcl(b -> b.bucket("acl-nobucket")), 404, "NoSuchBucket", null);
    assertError(() -> s3().putBucketAcl(b -> b.bucket("acl-nobucket").acl(BucketCannedACL.PRIVATE)), 404, "NoSuchBucket", null);
  }

  @Test
  void bucketAclsFromGrantHeadersAndDocuments() {
    s3().createBucket(b -> b.bucket("acl-grants"));
    String owner = s3().getBucketAcl(b -> b.bucket("acl-grants")).owner().id();
    s3().putBucketAcl(b -> b.bucket("acl-grants").grantFullControl("id=\"" + owner + "\"")
        .grantRead("uri=\"" + ALL_USERS + "\", id=\"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be\""));
    assertThat(grants(s3().getBucketAcl(b -> b.bucket("acl-grants")).grants())).containsExactly(
        "CanonicalUser:" + owner + ":FULL_CONTROL", "Group:" + ALL_USERS + ":READ",
        "CanonicalUser:79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be:READ");

    AccessControlPolicy policy = AccessControlPolicy.builder().owner(o -> o.id(owner)).grants(
        Grant.builder().grantee(g -> g.type(Type.CANONICAL_USER).id(owner)).permission(Permission.FULL_CONTROL).build(),
        Grant.builder().grantee(g -> g.type(Type.GROUP).uri("http://acs.amazonaws.com/groups/s3/LogDelivery"))
            .permission(Permission.WRITE).build(),
        Grant.builder().grantee(g -> g.type(Type.GROUP).uri(AUTHENTICATED_USERS)).permission(Permission.READ_ACP).build()).build();
    s3().putBucketAcl(b -> b.bucket("acl-grants").accessControlPolicy(policy));
    assertThat(grants(s3().getBucketAcl(b -> b.bucket("acl-grants")).grants())).containsExactly(
        "CanonicalUser:" + owner + ":FULL_CONTROL", "Group:http://acs.amazonaws.com/groups/s3/LogDelivery:WRITE",
        "Group:" + AUTHENTICATED_USERS + ":READ_ACP");

    assertError(() -> s3().putBucketAcl(b -> b.bucket("acl-grants").acl(BucketCannedACL.PRIVATE).grantRead("id=\"" + owner + "\"")),
        400, "InvalidRequest", "Specifying both Canned ACLs and Header Grants is not allowed");
    assertError(() -> s3().putBucketAcl(b -> b.bucket("acl-grants").grantRead("uri=\"http://example.com/everyone\"")), 400,
        "InvalidArgument", "Invalid group uri");
    assertError(() -> s3().putBucketAcl(b -> b.bucket("acl-grants").grantRead("someone")), 400, "InvalidArgument", null);
    assertError(() -> s3().putBucketAcl(b -> b.bucket("acl-grants").accessControlPolicy(policy.toBuilder().grants(
        Grant.builder().grantee(g -> g.type(Type.GROUP).uri(ALL_USERS)).permission("EVERYTHING").build()).build())), 400,
        "MalformedACLError", null);
    // The refused requests left the last good ACL in place.
    assertThat(grants(s3().getBucketAcl(b -> b.bucket("acl-grants")).grants())).hasSize(3);
  }

  @Test
  void objectAclsComeFromEveryWriteAndPutObjectAcl() {
    s3().createBucket(b -> b.bucket("acl-objects"));
    String owner = s3().getBucketAcl(b -> b.bucket("acl-objects")).owner().id();
    s3().putObject(b -> b.bucket("acl-objects").key("default"), RequestBody.fromString("x"));
    assertThat(grants(s3().getObjectAcl(b -> b.bucket("acl-objects").key("default")).grants()))
        .containsExactly("CanonicalUser:" + owner + ":FULL_CONTROL");

    s3().putObject(b -> b.bucket("acl-objects").key("public").acl(ObjectCannedACL.PUBLIC_READ), RequestBody.fromString("x"));
    GetObjectAclResponse acl = s3().getObjectAcl(b -> b.bucket("acl-objects").key("public"));
    assertThat(acl.owner().id()).isEqualTo(owner);
    assertThat(grants(acl.grants())).containsExactly("CanonicalUser:" + owner + ":FULL_CONTROL", "Group:" + ALL_USERS + ":READ");

    // A copy gets the ACL its request names, never the source's.
    s3().copyObject(b -> b.sourceBucket("acl-objects").sourceKey("public").destinationBucket("acl-objects").destinationKey("copy"));
    assertThat(grants(s3().getObjectAcl(b -> b.bucket("acl-objects").key("copy")).grants())).hasSize(1);
    s3().copyObject(b -> b.sourceBucket("acl-objects").sourceKey("default").destinationBucket("acl-objects")
        .destinationKey("exec").acl(ObjectCannedACL.AWS_EXEC_READ));
    assertThat(grants(s3().getObjectAcl(b -> b.bucket("acl-objects").key("exec")).grants())).containsExactly(
        "CanonicalUser:" + owner + ":FULL_CONTROL",
        "CanonicalUser:6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c:READ");

    String upload = s3().createMultipartUpload(b -> b.bucket("acl-objects").key("parts")
        .acl(ObjectCannedACL.AUTHENTICATED_READ)).uploadId();
    String etag = s3().uploadPart(b -> b.bucket("acl-objects").key("parts").uploadId(upload).partNumber(1),
        RequestBody.fromString("part")).eTag();
    s3().completeMultipartUpload(b -> b.bucket("acl-objects").key("parts").uploadId(upload)
        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag))));
    assertThat(grants(s3().getObjectAcl(b -> b.bucket("acl-objects").key("parts")).grants())).containsExactly(
        "CanonicalUser:" + owner + ":FULL_CONTROL", "Group:" + AUTHENTICATED_USERS + ":READ");

    s3().putObjectAcl(b -> b.bucket("acl-objects").key("public").acl(ObjectCannedACL.PRIVATE));
    assertThat(grants(s3().getObjectAcl(b -> b.bucket("acl-objects").key("public")).grants())).hasSize(1);
    // The ACL changes neither the bytes nor the ETag.
    assertThat(s3().getObjectAsBytes(b -> b.bucket("acl-objects").key("public")).asUtf8String()).isEqualTo("x");

    assertError(() -> s3().putObject(b -> b.bucket("acl-objects").key("bad").acl("world-writable"), RequestBody.fromString("x")),
        400, "InvalidArgument", null);
    assertError(() -> s3().headObject(b -> b.bucket("acl-objects").key("bad")), 404, null, null);
    assertError(() -> s3().getObjectAcl(b -> b.bucket("acl-objects").key("missing")), 404, "NoSuchKey", null);
    assertError(() -> s3().putObjectAcl(b -> b.bucket("acl-objects").key("missing").acl(ObjectCannedACL.PRIVATE)), 404,
        "NoSuchKey", null);
    assertError(() -> s3().getObjectAcl(b -> b.bucket("acl-nobucket").key("k")), 404, "NoSuchBucket", null);
  }

  @Test
  void putObjectAclNotifiesObjectAclPut() {
    String url = server.sqs().createQueue(b -> b.queueName("acl-events")).queueUrl();
    s3().createBucket(b -> b.bucket("acl-notify"));
    s3().putBucketNotificationConfiguration(b -> b.bucket("acl-notify").notificationConfiguration(n -> n.queueConfigurations(
        q -> q.queueArn("arn:aws:sqs:us-east-1:000000000000:acl-events").eventsWithStrings("s3:ObjectAcl:Put"))));
    s3().putObject(b -> b.bucket("acl-notify").key("doc.txt"), RequestBody.fromString("x"));
    s3().putObjectAcl(b -> b.bucket("acl-notify").key("doc.txt").acl(ObjectCannedACL.PUBLIC_READ));
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 10 && events.size() < 2; i++) {
      for (var m : server.sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2).maxNumberOfMessages(10)).messages()) {
        io.vertx.core.json.JsonObject body = new io.vertx.core.json.JsonObject(m.body());
        events.add(body.containsKey("Records")
            ? body.getJsonArray("Records").getJsonObject(0).getString("eventName") + " "
                + body.getJsonArray("Records").getJsonObject(0).getJsonObject("s3").getJsonObject("object").getString("key")
            : body.getString("Event"));
        server.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
      }
    }
    // The PUT itself is not among the configured events: only the test event and the ACL change arrive.
    assertThat(events).containsExactly("s3:TestEvent", "ObjectAcl:Put doc.txt");
  }

  @Test
  void ownershipControlsAndPublicAccessBlocksAreStoredAndReturned() {
    s3().createBucket(b -> b.bucket("guards"));
    assertError(() -> s3().getBucketOwnershipControls(b -> b.bucket("guards")), 404, "OwnershipControlsNotFoundError",
        "The bucket ownership controls were not found");
    s3().putBucketOwnershipControls(b -> b.bucket("guards").ownershipControls(o -> o.rules(
        r -> r.objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED))));
    assertThat(s3().getBucketOwnershipControls(b -> b.bucket("guards")).ownershipControls().rules().get(0).objectOwnership())
        .isEqualTo(ObjectOwnership.BUCKET_OWNER_PREFERRED);
    assertError(() -> s3().putBucketOwnershipControls(b -> b.bucket("guards").ownershipControls(o -> o.rules(
        r -> r.objectOwnership("Everyone")))), 400, "MalformedXML", null);
    assertThat(s3().deleteBucketOwnershipControls(b -> b.bucket("guards")).sdkHttpResponse().statusCode()).isEqualTo(204);
    assertError(() -> s3().getBucketOwnershipControls(b -> b.bucket("guards")), 404, "OwnershipControlsNotFoundError", null);

    assertError(() -> s3().getPublicAccessBlock(b -> b.bucket("guards")), 404, "NoSuchPublicAccessBlockConfiguration",
        "The public access block configuration was not found");
    s3().putPublicAccessBlock(b -> b.bucket("guards").publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)
        .restrictPublicBuckets(true)));
    PublicAccessBlockConfiguration block = s3().getPublicAccessBlock(b -> b.bucket("guards")).publicAccessBlockConfiguration();
    assertThat(block.blockPublicAcls()).isTrue();
    assertThat(block.ignorePublicAcls()).isFalse();
    assertThat(block.blockPublicPolicy()).isFalse();
    assertThat(block.restrictPublicBuckets()).isTrue();
    assertThat(s3().deletePublicAccessBlock(b -> b.bucket("guards")).sdkHttpResponse().statusCode()).isEqualTo(204);
    assertError(() -> s3().getPublicAccessBlock(b -> b.bucket("guards")), 404, "NoSuchPublicAccessBlockConfiguration", null);
    assertError(() -> s3().getPublicAccessBlock(b -> b.bucket("guards-nobucket")), 404, "NoSuchBucket", null);
    assertError(() -> s3().getBucketOwnershipControls(b -> b.bucket("guards-nobucket")), 404, "NoSuchBucket", null);
  }
}
