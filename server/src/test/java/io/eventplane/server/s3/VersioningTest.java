package io.eventplane.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.sqs.model.Message;

/** Bucket versioning through the SDK v2. */
class VersioningTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static S3Client s3() {
    return server.s3();
  }

  private static void versioned(String bucket, BucketVersioningStatus status) {
    s3().putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(status)));
  }

  private static String put(String bucket, String key, String body) {
    return s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body)).versionId();
  }

  private static String read(String bucket, String key, String versionId) {
    return s3().getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId)).asUtf8String();
  }

  private static S3Exception failure(Runnable call) {
    try {
      call.run();
    } catch (S3Exception e) {
      return e;
    }
    throw new AssertionError("the call succeeded");
  }

  private static void assertError(S3Exception e, int status, String code) {
    assertThat(e.statusCode()).isEqualTo(status);
    if (code != null) assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
  }

  /** The bucket's whole version listing read in pages of {@code pageSize}: versions and markers, each as key:versionId:latest. */
  private record Listed(List<String> versions, List<String> markers, int pages) {}

  private static Listed allVersions(String bucket, int pageSize) {
    List<String> versions = new ArrayList<>();
    List<String> markers = new ArrayList<>();
    String keyMarker = null;
    String versionMarker = null;
    for (int pages = 1; ; pages++) {
      String km = keyMarker;
      String vm = versionMarker;
      ListObjectVersionsResponse page = s3().listObjectVersions(b -> b.bucket(bucket).maxKeys(pageSize).keyMarker(km)
          .versionIdMarker(vm));
      assertThat(page.versions().size() + page.deleteMarkers().size()).isLessThanOrEqualTo(pageSize);
      for (ObjectVersion v : page.versions()) versions.add(v.key() + ":" + v.versionId() + ":" + v.isLatest());
      for (DeleteMarkerEntry m : page.deleteMarkers()) markers.add(m.key() + ":" + m.versionId() + ":" + m.isLatest());
      if (!page.isTruncated()) return new Listed(versions, markers, pages);
      assertThat(page.nextKeyMarker()).isNotEmpty();
      keyMarker = page.nextKeyMarker();
      versionMarker = page.nextVersionIdMarker();
    }
  }

  @Test
  void versioningIsUnsetThenEnabledThenSuspended() {
    s3().createBucket(b -> b.bucket("versioning-state"));
    assertThat(s3().getBucketVersioning(b -> b.bucket("versioning-state")).status()).isNull();
    s3().putBucketVersioning(b -> b.bucket("versioning-state").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    assertThat(s3().getBucketVersioning(b -> b.bucket("versioning-state")).status()).isEqualTo(BucketVersioningStatus.ENABLED);
    s3().putBucketVersioning(b -> b.bucket("versioning-state").versioningConfiguration(v -> v.status(BucketVersioningStatus.SUSPENDED)));
    assertThat(s3().getBucketVersioning(b -> b.bucket("versioning-state")).status()).isEqualTo(BucketVersioningStatus.SUSPENDED);
    assertThatThrownBy(() -> s3().putBucketVersioning(b -> b.bucket("versioning-state").versioningConfiguration(v -> v.status("On"))))
        .isInstanceOf(S3Exception.class)
        .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo("MalformedXML"));
    assertThat(s3().getBucketVersioning(b -> b.bucket("versioning-state")).status()).isEqualTo(BucketVersioningStatus.SUSPENDED);
    assertThatThrownBy(() -> s3().getBucketVersioning(b -> b.bucket("versioning-none"))).isInstanceOf(NoSuchBucketException.class);
  }

  @Test
  void anEnabledBucketKeepsEveryVersionUnderItsOwnId() {
    s3().createBucket(b -> b.bucket("versions-kept"));
    versioned("versions-kept", BucketVersioningStatus.ENABLED);
    String v1 = put("versions-kept", "doc.txt", "first");
    String v2 = put("versions-kept", "doc.txt", "second");
    assertThat(v1).matches("[A-Za-z0-9_-]{32}");
    assertThat(v2).matches("[A-Za-z0-9_-]{32}").isNotEqualTo(v1);

    var latest = s3().getObjectAsBytes(b -> b.bucket("versions-kept").key("doc.txt"));
    assertThat(latest.asUtf8String()).isEqualTo("second");
    assertThat(latest.response().versionId()).isEqualTo(v2);
    var old = s3().getObjectAsBytes(b -> b.bucket("versions-kept").key("doc.txt").versionId(v1));
    assertThat(old.asUtf8String()).isEqualTo("first");
    assertThat(old.response().versionId()).isEqualTo(v1);
    var head = s3().headObject(b -> b.bucket("versions-kept").key("doc.txt").versionId(v1));
    assertThat(head.versionId()).isEqualTo(v1);
    assertThat(head.contentLength()).isEqualTo(5);

    // Listings show the current version only.
    assertThat(s3().listObjectsV2(b -> b.bucket("versions-kept")).contents()).singleElement()
        .satisfies(o -> assertThat(o.size()).isEqualTo(6));

    // Multipart and copy writes make versions too.
    String upload = s3().createMultipartUpload(b -> b.bucket("versions-kept").key("doc.txt")).uploadId();
    String etag = s3().uploadPart(b -> b.bucket("versions-kept").key("doc.txt").uploadId(upload).partNumber(1),
        RequestBody.fromString("third")).eTag();
    String v3 = s3().completeMultipartUpload(b -> b.bucket("versions-kept").key("doc.txt").uploadId(upload)
        .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()))).versionId();
    assertThat(v3).matches("[A-Za-z0-9_-]{32}").isNotIn(v1, v2);
    var copied = s3().copyObject(b -> b.sourceBucket("versions-kept").sourceKey("doc.txt").sourceVersionId(v1)
        .destinationBucket("versions-kept").destinationKey("doc.txt"));
    assertThat(copied.copySourceVersionId()).isEqualTo(v1);
    assertThat(copied.versionId()).matches("[A-Za-z0-9_-]{32}").isNotIn(v1, v2, v3);
    assertThat(read("versions-kept", "doc.txt", null)).isEqualTo("first");
    assertThat(read("versions-kept", "doc.txt", v3)).isEqualTo("third");
    assertThat(read("versions-kept", "doc.txt", v2)).isEqualTo("second");
    var fromCurrent = s3().copyObject(b -> b.sourceBucket("versions-kept").sourceKey("doc.txt")
        .destinationBucket("versions-kept").destinationKey("copy.txt"));
    assertThat(fromCurrent.copySourceVersionId()).isEqualTo(copied.versionId());

    Listed all = allVersions("versions-kept", 1000);
    assertThat(all.versions()).containsExactly("copy.txt:" + fromCurrent.versionId() + ":true",
        "doc.txt:" + copied.versionId() + ":true", "doc.txt:" + v3 + ":false", "doc.txt:" + v2 + ":false",
        "doc.txt:" + v1 + ":false");
    assertThat(all.markers()).isEmpty();
  }

  @Test
  void anUnversionedBucketAnswersNoVersionIdsButTakesTheNullOne() {
    s3().createBucket(b -> b.bucket("versions-never"));
    var put = s3().putObject(b -> b.bucket("versions-never").key("k"), RequestBody.fromString("only"));
    assertThat(put.versionId()).isNull();
    var got = s3().getObjectAsBytes(b -> b.bucket("versions-never").key("k"));
    assertThat(got.response().versionId()).isNull();
    assertThat(got.response().sdkHttpResponse().firstMatchingHeader("x-amz-version-id")).isEmpty();
    assertThat(read("versions-never", "k", "null")).isEqualTo("only");
    DeleteObjectResponse deleted = s3().deleteObject(b -> b.bucket("versions-never").key("k"));
    assertThat(deleted.deleteMarker()).isNull();
    assertThat(deleted.versionId()).isNull();
    assertThat(s3().listObjectVersions(b -> b.bucket("versions-never")).versions()).isEmpty();

    put("versions-never", "k", "again");
    assertError(failure(() -> read("versions-never", "k", "not-a-version")), 400, "InvalidArgument");
    assertError(failure(() -> s3().deleteObject(b -> b.bucket("versions-never").key("k").versionId("x"))), 400, "InvalidArgument");
    assertError(failure(() -> read("versions-never", "k", "7ffe8e5a1c2b3d4fAAAAAAAAAAAAAAAA")), 404, "NoSuchVersion");
    assertError(failure(() -> s3().headObject(b -> b.bucket("versions-never").key("k").versionId("bad"))), 400, null);
    assertError(failure(() -> read("versions-none", "k", "null")), 404, "NoSuchBucket");
    // The only object of an unversioned bucket is its null version, listed as such.
    ListObjectVersionsResponse listed = s3().listObjectVersions(b -> b.bucket("versions-never"));
    assertThat(listed.versions()).singleElement().satisfies(v -> {
      assertThat(v.versionId()).isEqualTo("null");
      assertThat(v.isLatest()).isTrue();
      assertThat(v.size()).isEqualTo(5);
    });
  }

  @Test
  void deleteMarkersHideTheKeyUntilTheyAreDeleted() {
    s3().createBucket(b -> b.bucket("versions-markers"));
    versioned("versions-markers", BucketVersioningStatus.ENABLED);
    String v1 = put("versions-markers", "gone.txt", "body");
    DeleteObjectResponse marker = s3().deleteObject(b -> b.bucket("versions-markers").key("gone.txt"));
    assertThat(marker.deleteMarker()).isTrue();
    assertThat(marker.versionId()).matches("[A-Za-z0-9_-]{32}").isNotEqualTo(v1);

    S3Exception missing = failure(() -> read("versions-markers", "gone.txt", null));
    assertThat(missing).isInstanceOf(NoSuchKeyException.class);
    assertThat(missing.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker")).hasValue("true");
    assertThat(missing.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-version-id")).hasValue(marker.versionId());
    S3Exception byId = failure(() -> read("versions-markers", "gone.txt", marker.versionId()));
    assertError(byId, 405, "MethodNotAllowed");
    assertThat(byId.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker")).hasValue("true");
    assertThat(byId.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Allow")).hasValue("DELETE");
    assertError(failure(() -> s3().headObject(b -> b.bucket("versions-markers").key("gone.txt").versionId(marker.versionId()))),
        405, null);
    assertThat(read("versions-markers", "gone.txt", v1)).isEqualTo("body");
    assertThat(s3().listObjectsV2(b -> b.bucket("versions-markers")).contents()).isEmpty();
    assertThat(s3().listObjects(b -> b.bucket("versions-markers")).contents()).isEmpty();
    assertError(failure(() -> s3().copyObject(b -> b.sourceBucket("versions-markers").sourceKey("gone.txt")
        .destinationBucket("versions-markers").destinationKey("other"))), 404, "NoSuchKey");
    assertError(failure(() -> s3().copyObject(b -> b.sourceBucket("versions-markers").sourceKey("gone.txt")
        .sourceVersionId(marker.versionId()).destinationBucket("versions-markers").destinationKey("other"))), 400, "InvalidRequest");

    // A bucket with only noncurrent versions and markers is not empty.
    assertError(failure(() -> s3().deleteBucket(b -> b.bucket("versions-markers"))), 409, "BucketNotEmpty");

    Listed listed = allVersions("versions-markers", 1000);
    assertThat(listed.versions()).containsExactly("gone.txt:" + v1 + ":false");
    assertThat(listed.markers()).containsExactly("gone.txt:" + marker.versionId() + ":true");

    // Deleting the marker brings the object back.
    DeleteObjectResponse undone = s3().deleteObject(b -> b.bucket("versions-markers").key("gone.txt").versionId(marker.versionId()));
    assertThat(undone.deleteMarker()).isTrue();
    assertThat(undone.versionId()).isEqualTo(marker.versionId());
    assertThat(read("versions-markers", "gone.txt", null)).isEqualTo("body");

    // A delete of a key that never existed still leaves a marker, as on S3.
    DeleteObjectResponse never = s3().deleteObject(b -> b.bucket("versions-markers").key("never"));
    assertThat(never.deleteMarker()).isTrue();
    assertThat(allVersions("versions-markers", 1000).markers()).containsExactly("never:" + never.versionId() + ":true");

    // Deleting every version for good empties the bucket.
    s3().deleteObject(b -> b.bucket("versions-markers").key("never").versionId(never.versionId()));
    DeleteObjectResponse permanent = s3().deleteObject(b -> b.bucket("versions-markers").key("gone.txt").versionId(v1));
    assertThat(permanent.deleteMarker()).isNull();
    assertThat(permanent.versionId()).isEqualTo(v1);
    assertError(failure(() -> read("versions-markers", "gone.txt", v1)), 404, "NoSuchVersion");
    assertError(failure(() -> read("versions-markers", "gone.txt", null)), 404, "NoSuchKey");
    // Deleting a version that is not there is no error.
    assertThat(s3().deleteObject(b -> b.bucket("versions-markers").key("gone.txt").versionId(v1)).sdkHttpResponse().statusCode())
        .isEqualTo(204);
    s3().deleteBucket(b -> b.bucket("versions-markers"));
  }

  @Test
  void deletingTheCurrentVersionMakesThePreviousOneCurrent() {
    s3().createBucket(b -> b.bucket("versions-promote"));
    versioned("versions-promote", BucketVersioningStatus.ENABLED);
    String v1 = put("versions-promote", "k", "one");
    String v2 = put("versions-promote", "k", "two");
    s3().deleteObject(b -> b.bucket("versions-promote").key("k").versionId(v2));
    var now = s3().getObjectAsBytes(b -> b.bucket("versions-promote").key("k"));
    assertThat(now.asUtf8String()).isEqualTo("one");
    assertThat(now.response().versionId()).isEqualTo(v1);
    assertThat(allVersions("versions-promote", 1000).versions()).containsExactly("k:" + v1 + ":true");
  }

  @Test
  void objectsFromBeforeVersioningAndWritesWhileSuspendedAreTheNullVersion() {
    s3().createBucket(b -> b.bucket("versions-null"));
    put("versions-null", "k", "before");
    versioned("versions-null", BucketVersioningStatus.ENABLED);
    assertThat(s3().headObject(b -> b.bucket("versions-null").key("k")).versionId()).isEqualTo("null");
    String v1 = put("versions-null", "k", "enabled");
    assertThat(read("versions-null", "k", "null")).isEqualTo("before");
    assertThat(allVersions("versions-null", 1000).versions()).containsExactly("k:" + v1 + ":true", "k:null:false");

    versioned("versions-null", BucketVersioningStatus.SUSPENDED);
    assertThat(put("versions-null", "k", "suspended")).isEqualTo("null");
    // The new null version replaced the old one: one null version per key.
    assertThat(allVersions("versions-null", 1000).versions()).containsExactly("k:null:true", "k:" + v1 + ":false");
    assertThat(read("versions-null", "k", "null")).isEqualTo("suspended");
    assertThat(put("versions-null", "k", "suspended again")).isEqualTo("null");
    assertThat(allVersions("versions-null", 1000).versions()).containsExactly("k:null:true", "k:" + v1 + ":false");

    DeleteObjectResponse marker = s3().deleteObject(b -> b.bucket("versions-null").key("k"));
    assertThat(marker.deleteMarker()).isTrue();
    assertThat(marker.versionId()).isEqualTo("null");
    Listed listed = allVersions("versions-null", 1000);
    assertThat(listed.versions()).containsExactly("k:" + v1 + ":false");
    assertThat(listed.markers()).containsExactly("k:null:true");
    assertThat(read("versions-null", "k", v1)).isEqualTo("enabled");
  }

  @Test
  void listObjectVersionsPagesThroughKeysAndVersions() {
    s3().createBucket(b -> b.bucket("versions-pages"));
    versioned("versions-pages", BucketVersioningStatus.ENABLED);
    List<String> expectedVersions = new ArrayList<>();
    List<String> expectedMarkers = new ArrayList<>();
    for (String key : List.of("a", "b/1", "b/2", "c d")) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) ids.add(0, put("versions-pages", key, key + i));
      if (key.equals("b/2")) {
        String m = s3().deleteObject(b -> b.bucket("versions-pages").key(key)).versionId();
        expectedMarkers.add(key + ":" + m + ":true");
        for (String id : ids) expectedVersions.add(key + ":" + id + ":false");
      } else {
        for (int i = 0; i < ids.size(); i++) expectedVersions.add(key + ":" + ids.get(i) + ":" + (i == 0));
      }
    }
    Listed whole = allVersions("versions-pages", 1000);
    assertThat(whole.pages()).isEqualTo(1);
    assertThat(whole.versions()).isEqualTo(expectedVersions);
    assertThat(whole.markers()).isEqualTo(expectedMarkers);
    for (int size : new int[] {1, 2, 5}) {
      Listed paged = allVersions("versions-pages", size);
      assertThat(paged.versions()).as("pages of %d", size).isEqualTo(expectedVersions);
      assertThat(paged.markers()).as("pages of %d", size).isEqualTo(expectedMarkers);
      // 13 entries: a page is truncated only when another entry follows it.
      assertThat(paged.pages()).isEqualTo((13 + size - 1) / size);
    }
    // The SDK's paginator follows NextKeyMarker and NextVersionIdMarker the same way.
    assertThat(s3().listObjectVersionsPaginator(b -> b.bucket("versions-pages").maxKeys(4)).versions().stream().count())
        .isEqualTo(12);

    ListObjectVersionsResponse rolled = s3().listObjectVersions(b -> b.bucket("versions-pages").delimiter("/"));
    assertThat(rolled.commonPrefixes()).singleElement().satisfies(p -> assertThat(p.prefix()).isEqualTo("b/"));
    assertThat(rolled.versions()).extracting(ObjectVersion::key).containsExactly("a", "a", "a", "c d", "c d", "c d");
    assertThat(rolled.deleteMarkers()).isEmpty();
    ListObjectVersionsResponse prefixed = s3().listObjectVersions(b -> b.bucket("versions-pages").prefix("b/").maxKeys(2));
    assertThat(prefixed.isTruncated()).isTrue();
    assertThat(prefixed.nextKeyMarker()).isEqualTo("b/1");
    assertThat(prefixed.versions()).extracting(ObjectVersion::key).containsExactly("b/1", "b/1");
    ListObjectVersionsResponse afterKey = s3().listObjectVersions(b -> b.bucket("versions-pages").keyMarker("b/2"));
    assertThat(afterKey.versions()).extracting(ObjectVersion::key).containsOnly("c d");
    ListObjectVersionsResponse encoded = s3().listObjectVersions(b -> b.bucket("versions-pages").prefix("c")
        .encodingType(EncodingType.URL));
    assertThat(encoded.versions()).extracting(ObjectVersion::key).containsOnly("c d");
    ListObjectVersionsResponse first = s3().listObjectVersions(b -> b.bucket("versions-pages").maxKeys(1));
    assertThat(first.versions()).singleElement().satisfies(v -> {
      assertThat(v.owner().id()).isEqualTo("000000000000");
      assertThat(v.eTag()).startsWith("\"");
      assertThat(v.size()).isEqualTo(2);
      assertThat(v.storageClassAsString()).isEqualTo("STANDARD");
      assertThat(v.lastModified()).isNotNull();
    });

    assertError(failure(() -> s3().listObjectVersions(b -> b.bucket("versions-pages").versionIdMarker(first.nextVersionIdMarker()))),
        400, "InvalidArgument");
    assertError(failure(() -> s3().listObjectVersions(b -> b.bucket("versions-pages").keyMarker("a").versionIdMarker("zzz"))),
        400, "InvalidArgument");
    assertError(failure(() -> s3().listObjectVersions(b -> b.bucket("versions-pages").maxKeys(-1))), 400, "InvalidArgument");
    assertError(failure(() -> s3().listObjectVersions(b -> b.bucket("versions-absent"))), 404, "NoSuchBucket");
  }

  /** The SDK splits versions from markers; S3's XML interleaves them newest first per key, which only raw HTTP shows. */
  @Test
  void theVersionListingInterleavesVersionsAndMarkersNewestFirst() throws Exception {
    s3().createBucket(b -> b.bucket("versions-order"));
    versioned("versions-order", BucketVersioningStatus.ENABLED);
    String v1 = put("versions-order", "k", "1");
    String marker = s3().deleteObject(b -> b.bucket("versions-order").key("k")).versionId();
    String v2 = put("versions-order", "k", "2");
    String other = put("versions-order", "a", "0");
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(server.endpoint().resolve("/versions-order?versions")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("<ListVersionsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    Matcher m = Pattern.compile("<(Version|DeleteMarker)><Key>([^<]*)</Key><VersionId>([^<]*)</VersionId><IsLatest>(true|false)<")
        .matcher(r.body());
    List<String> order = new ArrayList<>();
    while (m.find()) order.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4));
    assertThat(order).containsExactly("Version a " + other + " true", "Version k " + v2 + " true",
        "DeleteMarker k " + marker + " false", "Version k " + v1 + " false");
  }

  @Test
  void deleteObjectsTakesVersionIds() {
    s3().createBucket(b -> b.bucket("versions-batch"));
    versioned("versions-batch", BucketVersioningStatus.ENABLED);
    String v1 = put("versions-batch", "x", "1");
    String v2 = put("versions-batch", "x", "2");
    DeleteObjectsResponse first = s3().deleteObjects(b -> b.bucket("versions-batch").delete(d -> d.objects(
        ObjectIdentifier.builder().key("x").versionId(v1).build(), ObjectIdentifier.builder().key("y").build(),
        ObjectIdentifier.builder().key("x").versionId("no-such-format").build())));
    assertThat(first.deleted()).hasSize(2);
    DeletedObject permanent = first.deleted().stream().filter(d -> d.key().equals("x")).findFirst().orElseThrow();
    assertThat(permanent.versionId()).isEqualTo(v1);
    assertThat(permanent.deleteMarker()).isNull();
    DeletedObject marker = first.deleted().stream().filter(d -> d.key().equals("y")).findFirst().orElseThrow();
    assertThat(marker.deleteMarker()).isTrue();
    assertThat(marker.deleteMarkerVersionId()).matches("[A-Za-z0-9_-]{32}");
    assertThat(marker.versionId()).isNull();
    assertThat(first.errors()).singleElement().satisfies(e -> {
      assertThat(e.key()).isEqualTo("x");
      assertThat(e.versionId()).isEqualTo("no-such-format");
      assertThat(e.code()).isEqualTo("InvalidArgument");
    });

    DeleteObjectsResponse second = s3().deleteObjects(b -> b.bucket("versions-batch").delete(d -> d.objects(
        ObjectIdentifier.builder().key("y").versionId(marker.deleteMarkerVersionId()).build(),
        ObjectIdentifier.builder().key("x").versionId(v2).build(),
        ObjectIdentifier.builder().key("x").versionId(v1).build())));
    assertThat(second.errors()).isEmpty();
    // A version that is not there (any more) is reported deleted, as S3 does.
    assertThat(second.deleted()).filteredOn(d -> v1.equals(d.versionId())).singleElement()
        .satisfies(d -> assertThat(d.deleteMarker()).isNull());
    DeletedObject markerGone = second.deleted().stream().filter(d -> d.key().equals("y")).findFirst().orElseThrow();
    assertThat(markerGone.deleteMarker()).isTrue();
    assertThat(markerGone.deleteMarkerVersionId()).isEqualTo(marker.deleteMarkerVersionId());
    assertThat(markerGone.versionId()).isEqualTo(marker.deleteMarkerVersionId());
    Listed left = allVersions("versions-batch", 1000);
    assertThat(left.versions()).isEmpty();
    assertThat(left.markers()).isEmpty();
    s3().deleteBucket(b -> b.bucket("versions-batch"));
  }

  @Test
  void taggingAddressesAVersion() {
    s3().createBucket(b -> b.bucket("versions-tags"));
    versioned("versions-tags", BucketVersioningStatus.ENABLED);
    String v1 = put("versions-tags", "t", "1");
    String v2 = put("versions-tags", "t", "2");
    var tagged = s3().putObjectTagging(b -> b.bucket("versions-tags").key("t").versionId(v1)
        .tagging(t -> t.tagSet(Tag.builder().key("old").value("yes").build())));
    assertThat(tagged.versionId()).isEqualTo(v1);
    var ofV1 = s3().getObjectTagging(b -> b.bucket("versions-tags").key("t").versionId(v1));
    assertThat(ofV1.versionId()).isEqualTo(v1);
    assertThat(ofV1.tagSet()).extracting(Tag::key).containsExactly("old");
    var ofCurrent = s3().getObjectTagging(b -> b.bucket("versions-tags").key("t"));
    assertThat(ofCurrent.versionId()).isEqualTo(v2);
    assertThat(ofCurrent.tagSet()).isEmpty();
    assertThat(read("versions-tags", "t", v1)).isEqualTo("1");
    var deleted = s3().deleteObjectTagging(b -> b.bucket("versions-tags").key("t").versionId(v1));
    assertThat(deleted.versionId()).isEqualTo(v1);
    assertThat(s3().getObjectTagging(b -> b.bucket("versions-tags").key("t").versionId(v1)).tagSet()).isEmpty();
    assertError(failure(() -> s3().getObjectTagging(b -> b.bucket("versions-tags").key("t")
        .versionId("7ffe8e5a1c2b3d4fAAAAAAAAAAAAAAAA"))), 404, "NoSuchVersion");
    assertThat(allVersions("versions-tags", 1000).versions()).containsExactly("t:" + v2 + ":true", "t:" + v1 + ":false");
  }

  @Test
  void eventsCarryTheVersionAndTellMarkersFromDeletes() {
    String url = server.sqs().createQueue(b -> b.queueName("versions-events")).queueUrl();
    s3().createBucket(b -> b.bucket("versions-events"));
    versioned("versions-events", BucketVersioningStatus.ENABLED);
    s3().putBucketNotificationConfiguration(b -> b.bucket("versions-events").notificationConfiguration(n -> n.queueConfigurations(
        QueueConfiguration.builder().id("all").queueArn("arn:aws:sqs:us-east-1:000000000000:versions-events")
            .events(Event.S3_OBJECT_CREATED, Event.S3_OBJECT_REMOVED).build())));
    assertThat(next(url).getString("Event")).isEqualTo("s3:TestEvent");

    String v1 = put("versions-events", "e", "1");
    JsonObject created = record(next(url));
    assertThat(created.getString("eventName")).isEqualTo("ObjectCreated:Put");
    assertThat(created.getJsonObject("s3").getJsonObject("object").getString("versionId")).isEqualTo(v1);

    String marker = s3().deleteObject(b -> b.bucket("versions-events").key("e")).versionId();
    JsonObject markerEvent = record(next(url));
    assertThat(markerEvent.getString("eventName")).isEqualTo("ObjectRemoved:DeleteMarkerCreated");
    assertThat(markerEvent.getJsonObject("s3").getJsonObject("object").getString("versionId")).isEqualTo(marker);

    s3().deleteObject(b -> b.bucket("versions-events").key("e").versionId(v1));
    JsonObject permanent = record(next(url));
    assertThat(permanent.getString("eventName")).isEqualTo("ObjectRemoved:Delete");
    assertThat(permanent.getJsonObject("s3").getJsonObject("object").getString("versionId")).isEqualTo(v1);
  }

  private static JsonObject record(JsonObject event) {
    return event.getJsonArray("Records").getJsonObject(0);
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
