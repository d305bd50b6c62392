package io.eventplane.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.common.secret.NodeRequestSigner;
import io.eventplane.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The blob copies nodes send each other ({@code /_eventplane/s3/blobs/<id>}) while signatures are
 * verified: refused unsigned, wrongly signed or stale, taken with a node's signature; and S3's
 * replication (bodies copied to the replicas before a write is acknowledged, copies of another
 * node's objects) works with auth on, every node serving every object.
 */
class BlobCopyAuthTest {
  static final AuthSettings AUTH = AuthSettings.defaults().withMode(AuthMode.SIGV4)
      .withAdminKey(SignatureVerificationTest.KEY_ID, SignatureVerificationTest.SECRET);

  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AUTH));

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BLOB = "/_eventplane/s3/blobs/0123456789abcdef0123456789abcdef";

  @Test
  void aBlobCopyWithoutANodesSignatureIsRefused() throws Exception {
    assertThat(send("PUT", BLOB, "bytes", Map.of())).isEqualTo(403);
    assertThat(send("GET", BLOB + "?length=5", null, Map.of())).isEqualTo(403);
    assertThat(send("DELETE", BLOB, null, Map.of())).isEqualTo(403);
    // Signed with another cluster's key, for another length, or ten minutes ago.
    NodeRequestSigner otherCluster = new NodeRequestSigner(AuthSettings.defaults().withMode(AuthMode.SIGV4)
        .withAdminKey(SignatureVerificationTest.KEY_ID, "another-secret-of-another-cluster").credentialsKey(), server.clock());
    assertThat(send("PUT", BLOB, "bytes", otherCluster.headers("PUT", BLOB, 5))).isEqualTo(403);
    NodeRequestSigner ours = new NodeRequestSigner(AUTH.credentialsKey(), server.clock());
    assertThat(send("PUT", BLOB, "bytes", ours.headers("PUT", BLOB, 4))).isEqualTo(403);
    assertThat(send("GET", BLOB + "?length=5", null, ours.headers("GET", BLOB + "?length=6", -1))).isEqualTo(403);
    NodeRequestSigner late = new NodeRequestSigner(AUTH.credentialsKey(),
        Clock.offset(server.clock(), Duration.ofMinutes(-10)));
    assertThat(send("DELETE", BLOB, null, late.headers("DELETE", BLOB, -1))).isEqualTo(403);
    // A node's signature opens it (a blob no object names).
    assertThat(send("DELETE", BLOB, null, ours.headers("DELETE", BLOB, -1))).isEqualTo(200);
    assertThat(send("PUT", BLOB, "bytes", ours.headers("PUT", BLOB, 5))).isEqualTo(200);
    assertThat(send("DELETE", BLOB, null, ours.headers("DELETE", BLOB, -1))).isEqualTo(200);
  }

  @Test
  void objectsAreReplicatedAndServedByEveryNodeWithAuthOn() {
    S3Client writer = s3(server.endpoint(0));
    // Enough buckets that some live in partitions owned by each node (their bodies copied to the replicas).
    for (int i = 0; i < 6; i++) {
      String bucket = "blob-auth-" + i;
      writer.createBucket(b -> b.bucket(bucket));
      writer.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("body " + i));
    }
    // A copy into another bucket reads the source's bytes from its owner when that is another node.
    writer.copyObject(b -> b.sourceBucket("blob-auth-0").sourceKey("k").destinationBucket("blob-auth-1").destinationKey("copy"));
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      S3Client reader = s3(server.endpoint(node));
      for (int i = 0; i < 6; i++) {
        int n = i;
        assertThat(reader.getObjectAsBytes(b -> b.bucket("blob-auth-" + n).key("k")).asUtf8String()).isEqualTo("body " + i);
      }
      assertThat(reader.getObjectAsBytes(b -> b.bucket("blob-auth-1").key("copy")).asUtf8String()).isEqualTo("body 0");
      reader.close();
    }
    writer.close();
  }

  private static S3Client s3(URI endpoint) {
    return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(SignatureVerificationTest.admin())
        .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()).build();
  }

  private static int send(String method, String pathAndQuery, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.endpoint().resolve(pathAndQuery))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode();
  }
}
