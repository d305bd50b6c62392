package io.eventplane.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The upload paths beyond PUT: browser (HTML form) POST uploads, UploadPartCopy, GetObjectAttributes,
 * and the x-amz-content-sha256 check of signed payloads.
 */
class UploadPathsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static S3Client s3() {
    return server.s3();
  }

  // ---- browser POST uploads ----

  /** A form posted to this class's server. */
  private static final class Form {
    private final BrowserForm form = new BrowserForm();

    Form field(String name, String value) {
      form.field(name, value);
      return this;
    }

    Form file(String name, byte[] bytes) {
      form.file(name, bytes);
      return this;
    }

    String boundary() {
      return form.boundary;
    }

    byte[] body() {
      return form.body();
    }

    HttpResponse<String> post(String bucket) throws Exception {
      return form.post(server.endpoint(), bucket);
    }
  }

  /** A SigV4 form's signing fields (the signature is not checked yet, but the fields must be accepted). */
  private static Form signedForm(String key, JsonArray conditions, Instant expires) {
    String date = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
        .format(server.clock().instant());
    String credential = "test/" + date.substring(0, 8) + "/us-east-1/s3/aws4_request";
    JsonArray all = conditions.copy().add(new JsonObject().put("x-amz-algorithm", "AWS4-HMAC-SHA256"))
        .add(new JsonObject().put("x-amz-credential", credential)).add(new JsonObject().put("x-amz-date", date));
    String policy = Base64.getEncoder().encodeToString(new JsonObject().put("expiration", expires.toString())
        .put("conditions", all).encode().getBytes(StandardCharsets.UTF_8));
    return new Form().field("key", key).field("x-amz-algorithm", "AWS4-HMAC-SHA256").field("x-amz-credential", credential)
        .field("x-amz-date", date).field("policy", policy).field("x-amz-signature", "0".repeat(64));
  }

  private static Instant inAnHour() {
    return server.clock().instant().plus(Duration.ofHours(1));
  }

  private static String md5Hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  private static String xml(String body, String element) {
    int start = body.indexOf("<" + element + ">");
    int end = body.indexOf("</" + element + ">");
    return start < 0 || end < 0 ? null : body.substring(start + element.length() + 2, end).replace("&quot;", "\"")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  @Test
  void aFormUploadStoresTheFileWithTheFieldsAsAPutWould() throws Exception {
    s3().createBucket(b -> b.bucket("post-forms"));
    byte[] photo = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(photo);
    JsonArray conditions = new JsonArray().add(new JsonObject().put("bucket", "post-forms"))
        .add(new JsonArray().add("starts-with").add("$key").add("user/alice/"))
        .add(new JsonArray().add("starts-with").add("$Content-Type").add("image/"))
        .add(new JsonArray().add("eq").add("$Cache-Control").add("max-age=60"))
        .add(new JsonArray().add("starts-with").add("$x-amz-meta-owner").add(""))
        .add(new JsonArray().add("eq").add("$success_action_status").add("201"))
        .add(new JsonArray().add("starts-with").add("$tagging").add(""))
        .add(new JsonArray().add("content-length-range").add(1).add(10 * 1024 * 1024));
    HttpResponse<String> r = signedForm("user/alice/${filename}", conditions, inAnHour())
        .field("Content-Type", "image/jpeg").field("Cache-Control", "max-age=60").field("x-amz-meta-owner", "alice")
        .field("success_action_status", "201")
        .field("tagging", "<Tagging><TagSet><Tag><Key>source</Key><Value>browser</Value></Tag></TagSet></Tagging>")
        .file("holiday photo.jpg", photo).post("post-forms");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String etag = "\"" + md5Hex(photo) + "\"";
    assertThat(r.headers().firstValue("ETag")).hasValue(etag);
    assertThat(xml(r.body(), "Bucket")).isEqualTo("post-forms");
    assertThat(xml(r.body(), "Key")).isEqualTo("user/alice/holiday photo.jpg");
    assertThat(xml(r.body(), "ETag")).isEqualTo(etag);
    assertThat(xml(r.body(), "Location")).endsWith("/post-forms/user%2Falice%2Fholiday%20photo.jpg");
    assertThat(r.body()).startsWith("<?xml").contains("<PostResponse>");

    ResponseBytes<GetObjectResponse> got = s3().getObjectAsBytes(b -> b.bucket("post-forms").key("user/alice/holiday photo.jpg"));
    assertThat(got.asByteArray()).isEqualTo(photo);
    assertThat(got.response().eTag()).isEqualTo(etag);
    assertThat(got.response().contentType()).isEqualTo("image/jpeg");
    assertThat(got.response().cacheControl()).isEqualTo("max-age=60");
    assertThat(got.response().metadata()).isEqualTo(Map.of("owner", "alice"));
    assertThat(got.response().tagCount()).isEqualTo(1);
  }

  @Test
  void theAnswerIs204ByDefault200WhenAskedOrARedirect() throws Exception {
    s3().createBucket(b -> b.bucket("post-answers"));
    HttpResponse<String> plain = new Form().field("key", "a.txt").file("a.txt", "aaa".getBytes()).post("post-answers");
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(204);
    assertThat(plain.body()).isEmpty();
    assertThat(plain.headers().firstValue("ETag")).hasValue("\"" + md5Hex("aaa".getBytes()) + "\"");
    assertThat(plain.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/post-answers/a.txt"));

    HttpResponse<String> ok = new Form().field("key", "b.txt").field("success_action_status", "200")
        .file("b.txt", "bb".getBytes()).post("post-answers");
    assertThat(ok.statusCode()).isEqualTo(200);
    HttpResponse<String> odd = new Form().field("key", "c.txt").field("success_action_status", "302")
        .file("c.txt", "c".getBytes()).post("post-answers");
    assertThat(odd.statusCode()).as("an unknown status is the default").isEqualTo(204);

    HttpResponse<String> redirected = new Form().field("key", "d e.txt")
        .field("success_action_redirect", "https://example.com/done?from=form").file("d.txt", "dd".getBytes())
        .post("post-answers");
    assertThat(redirected.statusCode()).isEqualTo(303);
    assertThat(redirected.headers().firstValue("Location")).hasValue("https://example.com/done?from=form&bucket=post-answers"
        + "&key=d%20e.txt&etag=%22" + md5Hex("dd".getBytes()) + "%22");
    assertThat(s3().getObjectAsBytes(b -> b.bucket("post-answers").key("d e.txt")).asUtf8String()).isEqualTo("dd");
  }

  /** Virtual-hosted (the bucket in the Host, which java.net.http will not set): by hand over a socket. */
  @Test
  void aFormPostedToAVirtualHostedBucketLandsThere() throws Exception {
    s3().createBucket(b -> b.bucket("post-virtual"));
    Form form = new Form().field("key", "v/${filename}").field("success_action_status", "201").file("v.txt", "virtual".getBytes());
    byte[] body = form.body();
    String response;
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.endpoint().getPort())) {
      socket.setSoTimeout(30_000);
      var out = socket.getOutputStream();
      out.write(("POST / HTTP/1.1\r\nHost: post-virtual.localhost:" + server.endpoint().getPort() + "\r\nContent-Type: "
          + "multipart/form-data; boundary=" + form.boundary() + "\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(response).startsWith("HTTP/1.1 201");
    assertThat(xml(response, "Location")).isEqualTo("http://post-virtual.localhost:" + server.endpoint().getPort() + "/v%2Fv.txt");
    assertThat(xml(response, "Key")).isEqualTo("v/v.txt");
    assertThat(s3().getObjectAsBytes(b -> b.bucket("post-virtual").key("v/v.txt")).asUtf8String()).isEqualTo("virtual");
  }

  @Test
  void aFormWithTwoFilesIsRefused() throws Exception {
    s3().createBucket(b -> b.bucket("post-two-files"));
    Form form = new Form().field("key", "k").file("one.txt", "one".getBytes());
    String extra = "--" + form.boundary() + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"two.txt\"\r\n\r\ntwo\r\n";
    byte[] once = form.body();
    String text = new String(once, StandardCharsets.ISO_8859_1);
    int end = text.lastIndexOf("--" + form.boundary() + "--");
    byte[] twice = (text.substring(0, end) + extra + text.substring(end)).getBytes(StandardCharsets.ISO_8859_1);
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/post-two-files"))
        .header("Content-Type", "multipart/form-data; boundary=" + form.boundary())
        .POST(HttpRequest.BodyPublishers.ofByteArray(twice)).build(), HttpResponse.BodyHandlers.ofString());
    assertError(r, 400, "InvalidArgument", "POST requires exactly one file upload per request.");
    assertThat(s3().listObjectsV2(b -> b.bucket("post-two-files")).contents()).isEmpty();
  }

  private static void assertError(HttpResponse<String> r, int status, String code, String message) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(xml(r.body(), "Code")).isEqualTo(code);
    if (message != null) assertThat(xml(r.body(), "Message")).isEqualTo(message);
  }

  @Test
  void formsThatBreakTheirPolicyOrS3sRulesAreRefusedAndStoreNothing() throws Exception {
    s3().createBucket(b -> b.bucket("post-strict"));
    JsonArray conditions = new JsonArray().add(new JsonObject().put("bucket", "post-strict"))
        .add(new JsonArray().add("starts-with").add("$key").add("in/"))
        .add(new JsonArray().add("content-length-range").add(2).add(5));

    assertError(signedForm("in/x", conditions, server.clock().instant().minusSeconds(1)).file("x", "abc".getBytes())
        .post("post-strict"), 403, "AccessDenied", "Invalid according to Policy: Policy expired.");
    assertError(signedForm("out/x", conditions, inAnHour()).file("x", "abc".getBytes()).post("post-strict"), 403,
        "AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", \"in/\"]");
    assertError(signedForm("in/x", conditions, inAnHour()).file("x", "abc".getBytes()).post("other-bucket-of-no-one"), 404,
        "NoSuchBucket", null);
    s3().createBucket(b -> b.bucket("post-elsewhere"));
    assertError(signedForm("in/x", conditions, inAnHour()).file("x", "abc".getBytes()).post("post-elsewhere"), 403,
        "AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$bucket\", \"post-strict\"]");
    assertError(signedForm("in/x", conditions, inAnHour()).file("x", "abcdef".getBytes()).post("post-strict"), 400,
        "EntityTooLarge", null);
    assertError(signedForm("in/x", conditions, inAnHour()).file("x", "a".getBytes()).post("post-strict"), 400,
        "EntityTooSmall", null);
    assertError(signedForm("in/x", conditions, inAnHour()).field("x-amz-meta-extra", "1").file("x", "abc".getBytes())
        .post("post-strict"), 403, "AccessDenied", "Invalid according to Policy: Extra input fields: x-amz-meta-extra");
    assertError(new Form().field("key", "in/x").field("policy", "not base64 JSON").file("x", "abc".getBytes())
        .post("post-strict"), 400, "InvalidPolicyDocument", null);

    Form noKey = new Form().field("Content-Type", "text/plain").file("x", "abc".getBytes());
    assertError(noKey.post("post-strict"), 400, "InvalidArgument",
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.");
    assertError(new Form().field("key", "in/x").post("post-strict"), 400, "InvalidArgument",
        "POST requires exactly one file upload per request.");
    assertError(new Form().field("key", "in/x").field("tagging", "<Tagging><oops").file("x", "abc".getBytes())
        .post("post-strict"), 400, "MalformedXML", null);

    HttpResponse<String> notAForm = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/post-strict"))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("key=in/x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(notAForm, 412, "PreconditionFailed", null);
    assertThat(xml(notAForm.body(), "Condition")).isEqualTo("Bucket POST must be of the enclosure-type multipart/form-data");

    HttpResponse<String> huge = new Form().field("key", "in/x").field("x-amz-meta-huge", "h".repeat(21 * 1024))
        .file("x", "abc".getBytes()).post("post-strict");
    assertError(huge, 400, "MaxPostPreDataLengthExceeded", "Your POST request fields preceding the upload file were too large.");

    assertThat(s3().listObjectsV2(b -> b.bucket("post-strict")).contents()).isEmpty();
    // Within its policy, the same form works.
    HttpResponse<String> ok = signedForm("in/x", conditions, inAnHour()).file("x", "abc".getBytes()).post("post-strict");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(204);
    assertThat(s3().getObjectAsBytes(b -> b.bucket("post-strict").key("in/x")).asUtf8String()).isEqualTo("abc");
  }

  @Test
  void aFormUploadNotifiesObjectCreatedPost() throws Exception {
    String url = server.sqs().createQueue(b -> b.queueName("post-events")).queueUrl();
    s3().createBucket(b -> b.bucket("post-notified"));
    s3().putBucketNotificationConfiguration(b -> b.bucket("post-notified").notificationConfiguration(n -> n.queueConfigurations(
        q -> q.queueArn("arn:aws:sqs:us-east-1:000000000000:post-events").events(Event.S3_OBJECT_CREATED_POST))));
    assertThat(next(url).getString("Event")).isEqualTo("s3:TestEvent");
    s3().putObject(b -> b.bucket("post-notified").key("by-put"), RequestBody.fromString("not a post"));
    new Form().field("key", "by-form").file("f", "posted".getBytes()).post("post-notified");
    JsonObject record = next(url).getJsonArray("Records").getJsonObject(0);
    assertThat(record.getString("eventName")).isEqualTo("ObjectCreated:Post");
    assertThat(record.getJsonObject("s3").getJsonObject("object").getString("key")).isEqualTo("by-form");
    assertThat(record.getJsonObject("s3").getJsonObject("object").getLong("size")).isEqualTo(6L);
    assertThat(server.sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages()).as("PUT is not POST").isEmpty();
  }

  // ---- UploadPartCopy ----

  private static final int MIB = 1024 * 1024;

  private static String md5HexOf(byte[] bytes, int from, int to) throws Exception {
    return "\"" + md5Hex(java.util.Arrays.copyOfRange(bytes, from, to)) + "\"";
  }

  @Test
  void aMultipartUploadIsAssembledFromRangesOfAnotherObject() throws Exception {
    s3().createBucket(b -> b.bucket("part-copies"));
    byte[] big = new byte[12 * MIB];
    new Random(12).nextBytes(big);
    s3().putObject(b -> b.bucket("part-copies").key("source.bin"), RequestBody.fromBytes(big));
    String id = s3().createMultipartUpload(b -> b.bucket("part-copies").key("copied.bin")).uploadId();
    int[][] ranges = {{0, 5 * MIB - 1}, {5 * MIB, 10 * MIB - 1}, {10 * MIB, 12 * MIB - 1}};
    List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new ArrayList<>();
    for (int i = 0; i < ranges.length; i++) {
      int n = i + 1;
      int[] r = ranges[i];
      var result = s3().uploadPartCopy(b -> b.sourceBucket("part-copies").sourceKey("source.bin").destinationBucket("part-copies")
          .destinationKey("copied.bin").uploadId(id).partNumber(n).copySourceRange("bytes=" + r[0] + "-" + r[1]));
      assertThat(result.copyPartResult().eTag()).isEqualTo(md5HexOf(big, r[0], r[1] + 1));
      assertThat(result.copyPartResult().lastModified()).isNotNull();
      parts.add(software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(n)
          .eTag(result.copyPartResult().eTag()).build());
    }
    assertThat(s3().listParts(b -> b.bucket("part-copies").key("copied.bin").uploadId(id)).parts())
        .extracting(p -> p.size()).containsExactly((long) 5 * MIB, (long) 5 * MIB, (long) 2 * MIB);
    s3().completeMultipartUpload(b -> b.bucket("part-copies").key("copied.bin").uploadId(id)
        .multipartUpload(m -> m.parts(parts)));
    assertThat(s3().getObjectAsBytes(b -> b.bucket("part-copies").key("copied.bin")).asByteArray()).isEqualTo(big);

    // A range across two parts of the assembled object, and a whole (small) object without a range.
    String second = s3().createMultipartUpload(b -> b.bucket("part-copies").key("again.bin")).uploadId();
    String across = s3().uploadPartCopy(b -> b.sourceBucket("part-copies").sourceKey("copied.bin")
        .destinationBucket("part-copies").destinationKey("again.bin").uploadId(second).partNumber(1)
        .copySourceRange("bytes=" + (5 * MIB - 100) + "-" + (5 * MIB + 99))).copyPartResult().eTag();
    assertThat(across).isEqualTo(md5HexOf(big, 5 * MIB - 100, 5 * MIB + 100));
    s3().putObject(b -> b.bucket("part-copies").key("small.txt"), RequestBody.fromString("tail"));
    String whole = s3().uploadPartCopy(b -> b.sourceBucket("part-copies").sourceKey("small.txt")
        .destinationBucket("part-copies").destinationKey("again.bin").uploadId(second).partNumber(2)).copyPartResult().eTag();
    assertThat(whole).isEqualTo("\"" + md5Hex("tail".getBytes()) + "\"");
    // Parts but the last must be 5 MiB: the object is the range alone (a part left out is dropped).
    s3().completeMultipartUpload(b -> b.bucket("part-copies").key("again.bin").uploadId(second)
        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(across))));
    assertThat(s3().getObjectAsBytes(b -> b.bucket("part-copies").key("again.bin")).asByteArray())
        .isEqualTo(java.util.Arrays.copyOfRange(big, 5 * MIB - 100, 5 * MIB + 100));
  }

  /** Sources in several buckets: clustered, some of them are owned by another node than the destination's. */
  @Test
  void partsAreCopiedFromBucketsOfAnyNode() throws Exception {
    s3().createBucket(b -> b.bucket("part-copy-target"));
    String id = s3().createMultipartUpload(b -> b.bucket("part-copy-target").key("t")).uploadId();
    for (int i = 0; i < 6; i++) {
      String bucket = "part-copy-source-" + i;
      byte[] bytes = ("source " + i + " ").repeat(100).getBytes(StandardCharsets.UTF_8);
      s3().createBucket(b -> b.bucket(bucket));
      String etag = s3().putObject(b -> b.bucket(bucket).key("dir/the object"), RequestBody.fromBytes(bytes)).eTag();
      int n = i + 1;
      String whole = s3().uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("dir/the object").destinationBucket("part-copy-target")
          .destinationKey("t").uploadId(id).partNumber(n).copySourceIfMatch(etag)).copyPartResult().eTag();
      assertThat(whole).as(bucket).isEqualTo(etag);
      String ranged = s3().uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("dir/the object").destinationBucket("part-copy-target")
          .destinationKey("t").uploadId(id).partNumber(100 + n).copySourceRange("bytes=9-17")).copyPartResult().eTag();
      assertThat(ranged).as(bucket).isEqualTo(md5HexOf(bytes, 9, 18));
      assertS3Error(() -> s3().uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("dir/the object")
          .destinationBucket("part-copy-target").destinationKey("t").uploadId(id).partNumber(1).copySourceRange("bytes=0-"
          + bytes.length)), 400, "InvalidRequest", "Range specified is not valid for source object of size: " + bytes.length);
      assertS3Error(() -> s3().uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("dir/the object")
          .destinationBucket("part-copy-target").destinationKey("t").uploadId(id).partNumber(1).copySourceRange("bytes="
          + bytes.length + "-" + (bytes.length + 5))), 400, "InvalidRequest", null);
      assertS3Error(() -> s3().uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("dir/the object")
          .destinationBucket("part-copy-target").destinationKey("t").uploadId(id).partNumber(1).copySourceIfNoneMatch(etag)),
          412, "PreconditionFailed", null);
      assertS3Error(() -> s3().uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("nothing")
          .destinationBucket("part-copy-target").destinationKey("t").uploadId(id).partNumber(1)), 404, "NoSuchKey", null);
    }
    assertS3Error(() -> s3().uploadPartCopy(b -> b.sourceBucket("part-copy-no-such-bucket").sourceKey("k")
        .destinationBucket("part-copy-target").destinationKey("t").uploadId(id).partNumber(1)), 404, "NoSuchBucket", null);
    assertThat(s3().listParts(b -> b.bucket("part-copy-target").key("t").uploadId(id)).parts()).hasSize(12);
    String last = s3().listParts(b -> b.bucket("part-copy-target").key("t").uploadId(id)).parts().get(5).eTag();
    s3().completeMultipartUpload(b -> b.bucket("part-copy-target").key("t").uploadId(id)
        .multipartUpload(m -> m.parts(p -> p.partNumber(6).eTag(last))));
    assertThat(s3().getObjectAsBytes(b -> b.bucket("part-copy-target").key("t")).asUtf8String())
        .isEqualTo("source 5 ".repeat(100));
  }

  private static void assertS3Error(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int status, String code,
      String message) {
    assertThatThrownBy(call).isInstanceOf(S3Exception.class).satisfies(e -> {
      S3Exception s = (S3Exception) e;
      assertThat(s.statusCode()).isEqualTo(status);
      assertThat(s.awsErrorDetails().errorCode()).isEqualTo(code);
      if (message != null) assertThat(s.awsErrorDetails().errorMessage()).isEqualTo(message);
    });
  }

  @Test
  void partCopiesWithBadRangesOrSourcesAreRefused() {
    s3().createBucket(b -> b.bucket("part-copy-errors"));
    s3().putObject(b -> b.bucket("part-copy-errors").key("src"), RequestBody.fromString("0123456789"));
    String id = s3().createMultipartUpload(b -> b.bucket("part-copy-errors").key("dst")).uploadId();
    String badRange = "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the "
        + "zero-based offsets of the first and last bytes to copy";
    for (String range : new String[] {"bytes=5-", "bytes=a-b", "bytes=7-3", "5-7", "bytes=-3"}) {
      assertS3Error(() -> s3().uploadPartCopy(b -> b.sourceBucket("part-copy-errors").sourceKey("src")
          .destinationBucket("part-copy-errors").destinationKey("dst").uploadId(id).partNumber(1).copySourceRange(range)),
          400, "InvalidArgument", badRange);
    }
    assertS3Error(() -> s3().uploadPartCopy(b -> b.sourceBucket("part-copy-errors").sourceKey("src")
        .destinationBucket("part-copy-errors").destinationKey("dst").uploadId(id).partNumber(1).copySourceRange("bytes=5-10")),
        400, "InvalidRequest", "Range specified is not valid for source object of size: 10");
    assertS3Error(() -> s3().uploadPartCopy(b -> b.sourceBucket("part-copy-errors").sourceKey("missing")
        .destinationBucket("part-copy-errors").destinationKey("dst").uploadId(id).partNumber(1)), 404, "NoSuchKey", null);
    assertS3Error(() -> s3().uploadPartCopy(b -> b.sourceBucket("part-copy-errors").sourceKey("src")
        .destinationBucket("part-copy-errors").destinationKey("dst").uploadId("no-such-upload").partNumber(1)), 404,
        "NoSuchUpload", null);
    assertS3Error(() -> s3().uploadPartCopy(b -> b.sourceBucket("part-copy-errors").sourceKey("src")
        .destinationBucket("part-copy-errors").destinationKey("dst").uploadId(id).partNumber(1).copySourceIfMatch("\"nope\"")),
        412, "PreconditionFailed", null);
    assertS3Error(() -> s3().uploadPartCopy(b -> b.sourceBucket("part-copy-errors").sourceKey("src")
        .destinationBucket("part-copy-errors").destinationKey("dst").uploadId(id).partNumber(10_001)), 400, "InvalidArgument",
        null);
    assertThat(s3().listParts(b -> b.bucket("part-copy-errors").key("dst").uploadId(id)).parts()).isEmpty();
    String etag = s3().headObject(b -> b.bucket("part-copy-errors").key("src")).eTag();
    String ok = s3().uploadPartCopy(b -> b.sourceBucket("part-copy-errors").sourceKey("src").destinationBucket("part-copy-errors")
        .destinationKey("dst").uploadId(id).partNumber(1).copySourceIfMatch(etag).copySourceRange("bytes=2-4"))
        .copyPartResult().eTag();
    assertThat(ok).isEqualTo("\"" + HexFormat.of().formatHex(md5("234")) + "\"");
  }

  private static byte[] md5(String s) {
    try {
      return MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- x-amz-content-sha256 ----

  private static String sha256Hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static HttpResponse<String> put(String path, byte[] body, String sha256) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve(path)).header("x-amz-content-sha256", sha256)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Blob files on every node (bodies and their replicas). */
  private static long blobFiles() throws Exception {
    long n = 0;
    for (java.nio.file.Path dir : server.dataDirs()) {
      java.nio.file.Path root = dir.resolve("objects");
      if (!java.nio.file.Files.isDirectory(root)) continue;
      try (var files = java.nio.file.Files.walk(root)) {
        n += files.filter(java.nio.file.Files::isRegularFile).filter(f -> !f.getParent().getFileName().toString().equals("incoming"))
            .count();
      }
    }
    return n;
  }

  @Test
  void aSignedPayloadHashIsCheckedAndAMismatchStoresNothing() throws Exception {
    s3().createBucket(b -> b.bucket("payload-hashes"));
    byte[] body = new byte[2 * MIB + 3];
    new Random(256).nextBytes(body);
    HttpResponse<String> ok = put("/payload-hashes/good", body, sha256Hex(body));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(s3().getObjectAsBytes(b -> b.bucket("payload-hashes").key("good")).asByteArray()).isEqualTo(body);
    assertThat(put("/payload-hashes/unsigned", body, "UNSIGNED-PAYLOAD").statusCode()).isEqualTo(200);

    long blobs = blobFiles();
    String wrong = sha256Hex("something else".getBytes());
    HttpResponse<String> bad = put("/payload-hashes/bad", body, wrong);
    assertError(bad, 400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was "
        + "computed.");
    assertThat(xml(bad.body(), "ClientComputedContentSHA256")).isEqualTo(wrong);
    assertThat(xml(bad.body(), "S3ComputedContentSHA256")).isEqualTo(sha256Hex(body));
    assertThatThrownBy(() -> s3().headObject(b -> b.bucket("payload-hashes").key("bad"))).isInstanceOf(NoSuchKeyException.class);
    // Replacing an object with a body that does not match leaves the old one.
    assertError(put("/payload-hashes/good", "other".getBytes(), wrong), 400, "XAmzContentSHA256Mismatch", null);
    assertThat(s3().getObjectAsBytes(b -> b.bucket("payload-hashes").key("good")).asByteArray()).isEqualTo(body);

    String id = s3().createMultipartUpload(b -> b.bucket("payload-hashes").key("parts")).uploadId();
    assertError(put("/payload-hashes/parts?partNumber=1&uploadId=" + id, body, wrong), 400, "XAmzContentSHA256Mismatch", null);
    assertThat(s3().listParts(b -> b.bucket("payload-hashes").key("parts").uploadId(id)).parts()).isEmpty();
    byte[] tagging = "<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>".getBytes();
    assertError(put("/payload-hashes/good?tagging", tagging, wrong), 400, "XAmzContentSHA256Mismatch", null);
    assertThat(s3().getObjectTagging(b -> b.bucket("payload-hashes").key("good")).tagSet()).isEmpty();
    // The refused bodies' blobs are gone (deleted after the answer, hence the wait).
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> blobFiles() == blobs);

    assertThat(put("/payload-hashes/parts?partNumber=1&uploadId=" + id, body, sha256Hex(body)).statusCode()).isEqualTo(200);
    assertThat(s3().listParts(b -> b.bucket("payload-hashes").key("parts").uploadId(id)).parts()).hasSize(1);
    assertThat(put("/payload-hashes/good?tagging", tagging, sha256Hex(tagging)).statusCode()).isEqualTo(200);
    assertThat(s3().getObjectTagging(b -> b.bucket("payload-hashes").key("good")).tagSet()).hasSize(1);
  }

  @Test
  void aMalformedPayloadHashIsAnInvalidArgument() throws Exception {
    s3().createBucket(b -> b.bucket("payload-malformed"));
    for (String value : new String[] {"abc", "UNSIGNED", "z".repeat(64), "STREAMING-SOMETHING"}) {
      HttpResponse<String> r = put("/payload-malformed/k", "x".getBytes(), value);
      assertError(r, 400, "InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
          + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
          + "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.");
      assertThat(xml(r.body(), "ArgumentName")).isEqualTo("x-amz-content-sha256");
    }
    assertThat(s3().listObjectsV2(b -> b.bucket("payload-malformed")).contents()).isEmpty();
  }

  // ---- GetObjectAttributes ----

  @Test
  void objectAttributesAreTheOnesAskedFor() throws Exception {
    s3().createBucket(b -> b.bucket("attributes"));
    String etag = s3().putObject(b -> b.bucket("attributes").key("single").checksumAlgorithm(
        software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.SHA256), RequestBody.fromString("hello")).eTag();
    var all = s3().getObjectAttributes(b -> b.bucket("attributes").key("single").objectAttributes(ObjectAttributes.E_TAG,
        ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_PARTS, ObjectAttributes.STORAGE_CLASS, ObjectAttributes.OBJECT_SIZE));
    assertThat(all.eTag()).as("without quotes").isEqualTo(etag.replace("\"", ""));
    assertThat(all.checksum().checksumSHA256()).isEqualTo(Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest("hello".getBytes())));
    assertThat(all.checksum().checksumTypeAsString()).isEqualTo("FULL_OBJECT");
    assertThat(all.objectParts()).as("a single PUT has no parts").isNull();
    assertThat(all.storageClassAsString()).isEqualTo("STANDARD");
    assertThat(all.objectSize()).isEqualTo(5L);
    assertThat(all.lastModified()).isNotNull();

    var some = s3().getObjectAttributes(b -> b.bucket("attributes").key("single").objectAttributes(ObjectAttributes.OBJECT_SIZE));
    assertThat(some.objectSize()).isEqualTo(5L);
    assertThat(some.eTag()).isNull();
    assertThat(some.storageClass()).isNull();
    assertThat(some.checksum()).isNull();

    byte[] part = new byte[5 * MIB];
    String id = s3().createMultipartUpload(b -> b.bucket("attributes").key("multi")).uploadId();
    String e1 = s3().uploadPart(b -> b.bucket("attributes").key("multi").uploadId(id).partNumber(1), RequestBody.fromBytes(part))
        .eTag();
    String e2 = s3().uploadPart(b -> b.bucket("attributes").key("multi").uploadId(id).partNumber(2),
        RequestBody.fromString("end")).eTag();
    String multiEtag = s3().completeMultipartUpload(b -> b.bucket("attributes").key("multi").uploadId(id)
        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(e1), p -> p.partNumber(2).eTag(e2)))).eTag();
    var multi = s3().getObjectAttributes(b -> b.bucket("attributes").key("multi").objectAttributes(ObjectAttributes.E_TAG,
        ObjectAttributes.OBJECT_PARTS, ObjectAttributes.OBJECT_SIZE).maxParts(1));
    assertThat(multi.eTag()).isEqualTo(multiEtag.replace("\"", "")).endsWith("-2");
    assertThat(multi.objectParts().totalPartsCount()).isEqualTo(2);
    assertThat(multi.objectSize()).isEqualTo(5L * MIB + 3);
  }

  @Test
  void objectAttributesMustBeNamedAndKnown() throws Exception {
    s3().createBucket(b -> b.bucket("attributes-errors"));
    s3().putObject(b -> b.bucket("attributes-errors").key("k"), RequestBody.fromString("x"));
    assertS3Error(() -> s3().getObjectAttributes(b -> b.bucket("attributes-errors").key("k").objectAttributesWithStrings("ETag",
        "Colour")), 400, "InvalidArgument", "Invalid attribute name specified.");
    assertS3Error(() -> s3().getObjectAttributes(b -> b.bucket("attributes-errors").key("missing")
        .objectAttributes(ObjectAttributes.E_TAG)), 404, "NoSuchKey", null);
    assertS3Error(() -> s3().getObjectAttributes(b -> b.bucket("no-such-attributes-bucket").key("k")
        .objectAttributes(ObjectAttributes.E_TAG)), 404, "NoSuchBucket", null);
    HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/attributes-errors/k?attributes"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertError(none, 400, "InvalidRequest",
        "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty");
    HttpResponse<String> raw = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/attributes-errors/k?attributes"))
        .header("x-amz-object-attributes", "ETag,ObjectSize").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.body()).contains("<GetObjectAttributesResponse xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">")
        .contains("<ETag>" + md5Hex("x".getBytes()) + "</ETag>").contains("<ObjectSize>1</ObjectSize>").doesNotContain("StorageClass");
    assertThat(raw.headers().firstValue("Last-Modified")).isPresent();
  }

  private static JsonObject next(String queueUrl) {
    for (int i = 0; i < 10; i++) {
      List<Message> got = server.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(2)).messages();
      if (!got.isEmpty()) {
        server.sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(got.get(0).receiptHandle()));
        return new JsonObject(got.get(0).body());
      }
    }
    throw new AssertionError("no message reached " + queueUrl);
  }
}
