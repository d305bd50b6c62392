package io.eventplane.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Buckets and objects through the SDK v2 S3 client as it is configured by default (checksums, aws-chunked bodies). */
class ObjectsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static S3Client s3() {
    return server.s3();
  }

  @Test
  void bucketsAreCreatedListedAndDeleted() {
    s3().createBucket(b -> b.bucket("photos"));
    s3().createBucket(b -> b.bucket("archive"));
    assertThat(s3().listBuckets().buckets()).extracting(Bucket::name).containsExactly("archive", "photos");
    assertThat(s3().headBucket(b -> b.bucket("photos")).bucketRegion()).isEqualTo("us-east-1");
    assertThat(s3().getBucketLocation(b -> b.bucket("photos")).locationConstraintAsString()).isEmpty();
    assertThatThrownBy(() -> s3().headBucket(b -> b.bucket("nothing-here"))).isInstanceOf(NoSuchBucketException.class);
    s3().putObject(b -> b.bucket("photos").key("a.txt"), RequestBody.fromString("a"));
    assertThatThrownBy(() -> s3().deleteBucket(b -> b.bucket("photos"))).isInstanceOf(S3Exception.class)
        .satisfies(e -> {
          assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
          assertThat(((S3Exception) e).statusCode()).isEqualTo(409);
        });
    s3().deleteObject(b -> b.bucket("photos").key("a.txt"));
    s3().deleteBucket(b -> b.bucket("photos"));
    assertThat(s3().listBuckets().buckets()).extracting(Bucket::name).containsExactly("archive");
  }

  /** The SDK checks names itself; a hand-made request shows what the server answers. */
  @Test
  void badBucketNamesAreRefused() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String name : List.of("Bad_Name", "ab", "a..b", "192.168.1.1", "-leading")) {
      java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(server.endpoint().resolve("/" + name))
          .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(name).isEqualTo(400);
      assertThat(r.body()).as(name).contains("<Code>InvalidBucketName</Code>").contains("<BucketName>" + name + "</BucketName>");
    }
  }

  @Test
  void objectsRoundTripWithTheirHeadersAndMetadata() {
    s3().createBucket(b -> b.bucket("docs"));
    String etag = s3().putObject(b -> b.bucket("docs").key("dir/report.txt").contentType("text/plain")
        .cacheControl("max-age=60").contentDisposition("inline").metadata(Map.of("Owner", "ops")),
        RequestBody.fromString("hello world")).eTag();
    assertThat(etag).isEqualTo("\"5eb63bbbe01eeed093cb22bb8f5acdc3\"");
    ResponseBytes<GetObjectResponse> got = s3().getObjectAsBytes(b -> b.bucket("docs").key("dir/report.txt"));
    assertThat(got.asUtf8String()).isEqualTo("hello world");
    assertThat(got.response().eTag()).isEqualTo(etag);
    assertThat(got.response().contentType()).isEqualTo("text/plain");
    assertThat(got.response().cacheControl()).isEqualTo("max-age=60");
    assertThat(got.response().contentDisposition()).isEqualTo("inline");
    assertThat(got.response().metadata()).containsEntry("owner", "ops");
    assertThat(got.response().contentLength()).isEqualTo(11L);
    HeadObjectResponse head = s3().headObject(b -> b.bucket("docs").key("dir/report.txt"));
    assertThat(head.contentLength()).isEqualTo(11L);
    assertThat(head.eTag()).isEqualTo(etag);
    assertThatThrownBy(() -> s3().getObject(b -> b.bucket("docs").key("missing"))).isInstanceOf(NoSuchKeyException.class);
    assertThatThrownBy(() -> s3().headObject(b -> b.bucket("docs").key("missing"))).isInstanceOf(NoSuchKeyException.class);
    assertThatThrownBy(() -> s3().putObject(b -> b.bucket("no-such-bucket").key("k"), RequestBody.fromString("x")))
        .isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void rangesAndConditions() {
    s3().createBucket(b -> b.bucket("ranges"));
    String etag = s3().putObject(b -> b.bucket("ranges").key("k"), RequestBody.fromString("0123456789")).eTag();
    ResponseBytes<GetObjectResponse> part = s3().getObjectAsBytes(b -> b.bucket("ranges").key("k").range("bytes=2-5"));
    assertThat(part.asUtf8String()).isEqualTo("2345");
    assertThat(part.response().contentRange()).isEqualTo("bytes 2-5/10");
    assertThat(s3().getObjectAsBytes(b -> b.bucket("ranges").key("k").range("bytes=-3")).asUtf8String()).isEqualTo("789");
    assertThat(s3().getObjectAsBytes(b -> b.bucket("ranges").key("k").range("bytes=7-")).asUtf8String()).isEqualTo("789");
    assertThatThrownBy(() -> s3().getObject(b -> b.bucket("ranges").key("k").range("bytes=20-30")))
        .isInstanceOf(S3Exception.class).satisfies(e -> {
          assertThat(((S3Exception) e).statusCode()).isEqualTo(416);
          assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
        });
    assertThat(s3().getObjectAsBytes(b -> b.bucket("ranges").key("k").ifMatch(etag)).asUtf8String()).isEqualTo("0123456789");
    assertThatThrownBy(() -> s3().getObject(b -> b.bucket("ranges").key("k").ifMatch("\"nope\"")))
        .isInstanceOf(S3Exception.class).satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(412));
    assertThatThrownBy(() -> s3().getObject(b -> b.bucket("ranges").key("k").ifNoneMatch(etag)))
        .isInstanceOf(S3Exception.class).satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(304));
    // A conditional write: If-None-Match: * refuses an existing key.
    assertThatThrownBy(() -> s3().putObject(b -> b.bucket("ranges").key("k").ifNoneMatch("*"), RequestBody.fromString("x")))
        .isInstanceOf(S3Exception.class).satisfies(e -> {
          assertThat(((S3Exception) e).statusCode()).isEqualTo(412);
          assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("PreconditionFailed");
        });
    s3().putObject(b -> b.bucket("ranges").key("new").ifNoneMatch("*"), RequestBody.fromString("x"));
    assertThat(s3().getObjectAsBytes(b -> b.bucket("ranges").key("k")).asUtf8String()).isEqualTo("0123456789");
  }

  @Test
  void checksumsAreStoredAndReturned() {
    s3().createBucket(b -> b.bucket("sums"));
    // CRC64NVME needs the SDK's CRT module on the client side; the server's CRC64NVME has a unit test.
    for (ChecksumAlgorithm a : List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32_C, ChecksumAlgorithm.SHA1,
        ChecksumAlgorithm.SHA256)) {
      String key = "k-" + a;
      var put = s3().putObject(b -> b.bucket("sums").key(key).checksumAlgorithm(a), RequestBody.fromString("checksummed"));
      HeadObjectResponse head = s3().headObject(b -> b.bucket("sums").key(key).checksumMode(ChecksumMode.ENABLED));
      String stored = switch (a) {
        case CRC32 -> head.checksumCRC32();
        case CRC32_C -> head.checksumCRC32C();
        case SHA1 -> head.checksumSHA1();
        case SHA256 -> head.checksumSHA256();
        default -> head.checksumCRC64NVME();
      };
      String sent = switch (a) {
        case CRC32 -> put.checksumCRC32();
        case CRC32_C -> put.checksumCRC32C();
        case SHA1 -> put.checksumSHA1();
        case SHA256 -> put.checksumSHA256();
        default -> put.checksumCRC64NVME();
      };
      assertThat(stored).as(a.toString()).isNotNull().isEqualTo(sent);
      // The SDK validates the checksum of what it reads back.
      assertThat(s3().getObjectAsBytes(b -> b.bucket("sums").key(key).checksumMode(ChecksumMode.ENABLED)).asUtf8String())
          .isEqualTo("checksummed");
    }
  }

  @Test
  void listingsPageAndRollUpPrefixes() {
    s3().createBucket(b -> b.bucket("listing"));
    for (String k : List.of("a/1", "a/2", "b/1", "c", "d e", "z")) {
      s3().putObject(b -> b.bucket("listing").key(k), RequestBody.fromString(k));
    }
    ListObjectsV2Response all = s3().listObjectsV2(b -> b.bucket("listing"));
    assertThat(all.contents()).extracting(S3Object::key).containsExactly("a/1", "a/2", "b/1", "c", "d e", "z");
    assertThat(all.keyCount()).isEqualTo(6);
    ListObjectsV2Response rolled = s3().listObjectsV2(b -> b.bucket("listing").delimiter("/"));
    assertThat(rolled.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/", "b/");
    assertThat(rolled.contents()).extracting(S3Object::key).containsExactly("c", "d e", "z");
    assertThat(s3().listObjectsV2(b -> b.bucket("listing").prefix("a/")).contents()).extracting(S3Object::key)
        .containsExactly("a/1", "a/2");
    ListObjectsV2Response first = s3().listObjectsV2(b -> b.bucket("listing").maxKeys(2));
    assertThat(first.isTruncated()).isTrue();
    assertThat(first.contents()).extracting(S3Object::key).containsExactly("a/1", "a/2");
    ListObjectsV2Response second = s3().listObjectsV2(b -> b.bucket("listing").maxKeys(2)
        .continuationToken(first.nextContinuationToken()));
    assertThat(second.contents()).extracting(S3Object::key).containsExactly("b/1", "c");
    assertThat(s3().listObjectsV2Paginator(b -> b.bucket("listing").maxKeys(1)).contents()).hasSize(6);
    assertThat(s3().listObjectsV2(b -> b.bucket("listing").startAfter("c")).contents()).extracting(S3Object::key)
        .containsExactly("d e", "z");
    assertThat(s3().listObjects(b -> b.bucket("listing").delimiter("/").maxKeys(3)).contents()).extracting(S3Object::key)
        .containsExactly("c");
  }

  @Test
  void deleteObjectsAndCopy() {
    s3().createBucket(b -> b.bucket("copies"));
    s3().putObject(b -> b.bucket("copies").key("src").contentType("text/plain").metadata(Map.of("a", "1")),
        RequestBody.fromString("copy me"));
    s3().copyObject(b -> b.sourceBucket("copies").sourceKey("src").destinationBucket("copies").destinationKey("same-meta"));
    s3().copyObject(b -> b.sourceBucket("copies").sourceKey("src").destinationBucket("copies").destinationKey("new-meta")
        .metadataDirective(MetadataDirective.REPLACE).contentType("application/json").metadata(Map.of("b", "2")));
    var same = s3().getObjectAsBytes(b -> b.bucket("copies").key("same-meta"));
    assertThat(same.asUtf8String()).isEqualTo("copy me");
    assertThat(same.response().metadata()).containsExactly(Map.entry("a", "1"));
    var replaced = s3().getObjectAsBytes(b -> b.bucket("copies").key("new-meta"));
    assertThat(replaced.response().contentType()).isEqualTo("application/json");
    assertThat(replaced.response().metadata()).containsExactly(Map.entry("b", "2"));
    // Deleting the source leaves the copies whole.
    var result = s3().deleteObjects(b -> b.bucket("copies").delete(d -> d.objects(
        ObjectIdentifier.builder().key("src").build(), ObjectIdentifier.builder().key("never-was").build())));
    assertThat(result.deleted()).extracting(d -> d.key()).containsExactlyInAnyOrder("src", "never-was");
    assertThat(s3().getObjectAsBytes(b -> b.bucket("copies").key("same-meta")).asUtf8String()).isEqualTo("copy me");
    assertThatThrownBy(() -> s3().copyObject(b -> b.sourceBucket("copies").sourceKey("src").destinationBucket("copies")
        .destinationKey("x"))).isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void multipartUploadsCompleteIntoOneObject() {
    s3().createBucket(b -> b.bucket("big"));
    String id = s3().createMultipartUpload(b -> b.bucket("big").key("movie").contentType("video/mp4")).uploadId();
    byte[] part1 = new byte[5 * 1024 * 1024];
    IntStream.range(0, part1.length).forEach(i -> part1[i] = (byte) i);
    byte[] part2 = "the end".getBytes(StandardCharsets.UTF_8);
    String e1 = s3().uploadPart(b -> b.bucket("big").key("movie").uploadId(id).partNumber(1), RequestBody.fromBytes(part1)).eTag();
    String e2 = s3().uploadPart(b -> b.bucket("big").key("movie").uploadId(id).partNumber(2), RequestBody.fromBytes(part2)).eTag();
    assertThat(s3().listParts(b -> b.bucket("big").key("movie").uploadId(id)).parts()).extracting(p -> p.partNumber())
        .containsExactly(1, 2);
    assertThat(s3().listMultipartUploads(b -> b.bucket("big")).uploads()).extracting(u -> u.uploadId()).containsExactly(id);
    String etag = s3().completeMultipartUpload(b -> b.bucket("big").key("movie").uploadId(id)
        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(e1), p -> p.partNumber(2).eTag(e2)))).eTag();
    assertThat(etag).endsWith("-2\"");
    byte[] all = s3().getObjectAsBytes(b -> b.bucket("big").key("movie")).asByteArray();
    assertThat(all).hasSize(part1.length + part2.length);
    assertThat(java.util.Arrays.copyOfRange(all, 0, part1.length)).isEqualTo(part1);
    assertThat(new String(java.util.Arrays.copyOfRange(all, part1.length, all.length), StandardCharsets.UTF_8)).isEqualTo("the end");
    assertThat(s3().getObjectAsBytes(b -> b.bucket("big").key("movie").range("bytes=5242878-5242882")).asByteArray())
        .containsExactly(part1[5242878], part1[5242879], 't', 'h', 'e');
    assertThat(s3().headObject(b -> b.bucket("big").key("movie")).contentType()).isEqualTo("video/mp4");
    assertThat(s3().listMultipartUploads(b -> b.bucket("big")).uploads()).isEmpty();

    String small = s3().createMultipartUpload(b -> b.bucket("big").key("small")).uploadId();
    String s1 = s3().uploadPart(b -> b.bucket("big").key("small").uploadId(small).partNumber(1), RequestBody.fromString("a")).eTag();
    String s2 = s3().uploadPart(b -> b.bucket("big").key("small").uploadId(small).partNumber(2), RequestBody.fromString("b")).eTag();
    assertThatThrownBy(() -> s3().completeMultipartUpload(b -> b.bucket("big").key("small").uploadId(small)
        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(s1), p -> p.partNumber(2).eTag(s2)))))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("EntityTooSmall"));
    assertThatThrownBy(() -> s3().completeMultipartUpload(b -> b.bucket("big").key("small").uploadId(small)
        .multipartUpload(m -> m.parts(p -> p.partNumber(2).eTag(s2), p -> p.partNumber(1).eTag(s1)))))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidPartOrder"));
    s3().abortMultipartUpload(b -> b.bucket("big").key("small").uploadId(small));
    assertThatThrownBy(() -> s3().listParts(b -> b.bucket("big").key("small").uploadId(small)))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload"));
  }

  @Test
  void creatingOnesOwnBucketAgainInAnotherRegionIsAlreadyOwned() {
    s3().createBucket(b -> b.bucket("mine"));
    try (S3Client eu = S3Client.builder().endpointOverride(server.endpoint()).forcePathStyle(true)
        .region(software.amazon.awssdk.regions.Region.EU_WEST_1)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()).build()) {
      assertThatThrownBy(() -> eu.createBucket(b -> b.bucket("mine").createBucketConfiguration(c -> c.locationConstraint("eu-west-1"))))
          .isInstanceOf(BucketAlreadyOwnedByYouException.class);
      eu.createBucket(b -> b.bucket("mine-eu").createBucketConfiguration(c -> c.locationConstraint("eu-west-1")));
      assertThat(eu.getBucketLocation(b -> b.bucket("mine-eu")).locationConstraintAsString()).isEqualTo("eu-west-1");
    }
  }

  @Test
  void objectTagsAreSetReplacedCopiedAndDeleted() {
    s3().createBucket(b -> b.bucket("tags"));
    s3().putObject(b -> b.bucket("tags").key("k").tagging("team=ops&env=prod%20eu"), RequestBody.fromString("tagged"));
    assertThat(s3().getObjectTagging(b -> b.bucket("tags").key("k")).tagSet()).extracting(t -> t.key() + "=" + t.value())
        .containsExactly("team=ops", "env=prod eu");
    assertThat(s3().getObject(b -> b.bucket("tags").key("k")).response().tagCount()).isEqualTo(2);
    s3().putObjectTagging(b -> b.bucket("tags").key("k").tagging(t -> t.tagSet(
        software.amazon.awssdk.services.s3.model.Tag.builder().key("only").value("one").build())));
    assertThat(s3().getObjectTagging(b -> b.bucket("tags").key("k")).tagSet()).extracting(t -> t.key())
        .containsExactly("only");
    s3().copyObject(b -> b.sourceBucket("tags").sourceKey("k").destinationBucket("tags").destinationKey("copied"));
    assertThat(s3().getObjectTagging(b -> b.bucket("tags").key("copied")).tagSet()).extracting(t -> t.key())
        .containsExactly("only");
    s3().deleteObjectTagging(b -> b.bucket("tags").key("k"));
    assertThat(s3().getObjectTagging(b -> b.bucket("tags").key("k")).tagSet()).isEmpty();
    assertThat(s3().getObjectAsBytes(b -> b.bucket("tags").key("k")).asUtf8String()).isEqualTo("tagged");
    List<software.amazon.awssdk.services.s3.model.Tag> eleven = IntStream.range(0, 11)
        .mapToObj(i -> software.amazon.awssdk.services.s3.model.Tag.builder().key("k" + i).value("v").build()).toList();
    assertThatThrownBy(() -> s3().putObjectTagging(b -> b.bucket("tags").key("k").tagging(t -> t.tagSet(eleven))))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("InvalidTag"));
    assertThatThrownBy(() -> s3().getObjectTagging(b -> b.bucket("tags").key("missing"))).isInstanceOf(NoSuchKeyException.class);
  }

  /** Every read closes its blob file (found by the benchmark: 4 KiB GETs ran the server out of descriptors). */
  @Test
  void readsDoNotLeakFileDescriptors() throws Exception {
    s3().createBucket(b -> b.bucket("descriptors"));
    s3().putObject(b -> b.bucket("descriptors").key("k"), RequestBody.fromString("small"));
    s3().getObjectAsBytes(b -> b.bucket("descriptors").key("k"));
    long before = openFiles();
    for (int i = 0; i < 300; i++) {
      String range = i % 2 == 0 ? null : "bytes=1-2";
      assertThat(s3().getObjectAsBytes(b -> b.bucket("descriptors").key("k").range(range)).asByteArray())
          .isNotEmpty();
    }
    assertThat(openFiles() - before).as("descriptors left open by 300 GETs").isLessThan(50);
  }

  private static long openFiles() throws Exception {
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** Clustered, buckets live on different nodes: a copy's bytes then come from the source bucket's owner. */
  @Test
  void objectsAreCopiedFromBucketsOfAnyNode() {
    s3().createBucket(b -> b.bucket("copy-target"));
    byte[] body = new byte[3 * 1024 * 1024 + 17];
    new java.util.Random(7).nextBytes(body);
    for (int i = 0; i < 6; i++) {
      String source = "copy-source-" + i;
      s3().createBucket(b -> b.bucket(source));
      s3().putObject(b -> b.bucket(source).key("in/data.bin").contentType("application/x-test").metadata(Map.of("origin", source)),
          RequestBody.fromBytes(body));
      String etag = s3().copyObject(b -> b.sourceBucket(source).sourceKey("in/data.bin").destinationBucket("copy-target")
          .destinationKey("from-" + source)).copyObjectResult().eTag();
      ResponseBytes<GetObjectResponse> copy = s3().getObjectAsBytes(b -> b.bucket("copy-target").key("from-" + source));
      assertThat(copy.asByteArray()).as(source).isEqualTo(body);
      assertThat(copy.response().eTag()).isEqualTo(etag);
      assertThat(copy.response().contentType()).isEqualTo("application/x-test");
      assertThat(copy.response().metadata()).containsEntry("origin", source);
      assertThatThrownBy(() -> s3().copyObject(b -> b.sourceBucket(source).sourceKey("missing").destinationBucket("copy-target")
          .destinationKey("nothing"))).isInstanceOf(NoSuchKeyException.class);
    }
    assertThatThrownBy(() -> s3().copyObject(b -> b.sourceBucket("copy-source-none").sourceKey("k").destinationBucket("copy-target")
        .destinationKey("nothing"))).isInstanceOf(NoSuchBucketException.class);
  }
}
