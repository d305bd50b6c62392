package io.eventplane.server.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Bad input gets S3's code and status, and what was stored stays as it was. Hand-made requests
 * where the SDK would refuse to send what S3 must refuse.
 */
class BadInputS3Test {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(server.endpoint().resolve(path));
  }

  private static void assertError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.body()).contains("<Code>" + code + "</Code>").contains("<RequestId>");
    assertThat(r.headers().firstValue("x-amz-request-id")).isPresent();
  }

  private static String stored(String bucket, String key) {
    return server.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  @Test
  void digestsThatDoNotMatchStoreNothing() throws Exception {
    server.s3().createBucket(b -> b.bucket("digests"));
    server.s3().putObject(b -> b.bucket("digests").key("k"), RequestBody.fromString("original"));
    String wrongMd5 = java.util.Base64.getEncoder().encodeToString(new byte[16]);
    assertError(send(at("/digests/k").header("Content-MD5", wrongMd5).PUT(BodyPublishers.ofString("replacement"))), 400,
        "BadDigest");
    assertError(send(at("/digests/k").header("Content-MD5", "not base64!").PUT(BodyPublishers.ofString("replacement"))), 400,
        "InvalidDigest");
    assertError(send(at("/digests/k").header("x-amz-checksum-crc32", "AAAAAA==").PUT(BodyPublishers.ofString("replacement"))),
        400, "BadDigest");
    assertThat(stored("digests", "k")).isEqualTo("original");
    // A right Content-MD5 goes through.
    byte[] body = "replacement".getBytes(StandardCharsets.UTF_8);
    String md5 = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(body));
    assertThat(send(at("/digests/k").header("Content-MD5", md5).PUT(BodyPublishers.ofByteArray(body))).statusCode()).isEqualTo(200);
    assertThat(stored("digests", "k")).isEqualTo("replacement");
  }

  @Test
  void malformedChunkedBodiesAndXmlAreRefused() throws Exception {
    server.s3().createBucket(b -> b.bucket("malformed"));
    server.s3().putObject(b -> b.bucket("malformed").key("k"), RequestBody.fromString("kept"));
    HttpResponse<String> truncated = send(at("/malformed/k").header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        .header("Content-Encoding", "aws-chunked").PUT(BodyPublishers.ofString("a;chunk-signature=0\r\nonly part")));
    assertError(truncated, 400, "IncompleteBody");
    HttpResponse<String> badSize = send(at("/malformed/k").header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        .header("Content-Encoding", "aws-chunked").PUT(BodyPublishers.ofString("zz\r\nxx\r\n0\r\n\r\n")));
    assertError(badSize, 400, "IncompleteBody");
    assertThat(stored("malformed", "k")).isEqualTo("kept");
    // A well-formed chunked body with a trailing checksum is stored decoded.
    HttpResponse<String> good = send(at("/malformed/k").header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        .header("Content-Encoding", "aws-chunked").header("x-amz-trailer", "x-amz-checksum-crc32")
        .header("x-amz-decoded-content-length", "5")
        .PUT(BodyPublishers.ofString("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n")));
    assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    assertThat(good.headers().firstValue("x-amz-checksum-crc32")).hasValue("NhCmhg==");
    assertThat(stored("malformed", "k")).isEqualTo("hello");
    HttpResponse<String> wrongTrailer = send(at("/malformed/k").header("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        .header("Content-Encoding", "aws-chunked").header("x-amz-trailer", "x-amz-checksum-crc32")
        .PUT(BodyPublishers.ofString("3\r\nbye\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n")));
    assertError(wrongTrailer, 400, "BadDigest");
    assertThat(stored("malformed", "k")).isEqualTo("hello");

    assertError(send(at("/malformed?delete").POST(BodyPublishers.ofString("<Delete><Object><Key>k</Key></Object"))), 400,
        "MalformedXML");
    assertError(send(at("/malformed?delete").POST(BodyPublishers.ofString("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e "
        + "SYSTEM \"file:///etc/passwd\">]><Delete><Object><Key>&e;</Key></Object></Delete>"))), 400, "MalformedXML");
    assertError(send(at("/malformed?notification").PUT(BodyPublishers.ofString("<NotificationConfiguration><QueueConfiguration>"
        + "<Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>"))), 400, "MalformedXML");
    assertThat(stored("malformed", "k")).isEqualTo("hello");
  }

  @Test
  void unknownThingsGetS3sAnswers() throws Exception {
    server.s3().createBucket(b -> b.bucket("answers"));
    assertError(send(at("/answers/k?uploadId=nope&partNumber=1").PUT(BodyPublishers.ofString("x"))), 404, "NoSuchUpload");
    assertError(send(at("/answers/k?uploadId=nope").POST(BodyPublishers.ofString(
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>"))), 404,
        "NoSuchUpload");
    assertError(send(at("/answers/k?uploadId=nope&partNumber=0").PUT(BodyPublishers.ofString("x"))), 400, "InvalidArgument");
    assertError(send(at("/answers?list-type=2&max-keys=abc").GET()), 400, "InvalidArgument");
    assertError(send(at("/answers?list-type=2&max-keys=-1").GET()), 400, "InvalidArgument");
    assertError(send(at("/answers?list-type=2&continuation-token=%21%21").GET()), 400, "InvalidArgument");
    assertError(send(at("/answers/k").method("PATCH", BodyPublishers.noBody())), 405, "MethodNotAllowed");
    assertError(send(at("/answers/k?retention").GET()), 501, "NotImplemented");
    assertError(send(at("/answers/k?acl").GET()), 404, "NoSuchKey");
    assertError(send(at("/answers?acl").DELETE()), 405, "MethodNotAllowed");
    assertError(send(at("/answers/k?tagging").PUT(BodyPublishers.ofString("<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>"))), 400, "MalformedXML");
    assertError(send(at("/nobucket/k").GET()), 404, "NoSuchBucket");
    assertError(send(at("/answers/" + "k".repeat(1025)).PUT(BodyPublishers.ofString("x"))), 400, "KeyTooLongError");
    HttpResponse<String> head = send(at("/answers/missing").method("HEAD", BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(404);
    assertThat(head.body()).isEmpty();
  }
}
