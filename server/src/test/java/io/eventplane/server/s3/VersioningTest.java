package io.eventplane.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Bucket versioning through the SDK v2. */
class VersioningTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static S3Client s3() {
    return server.s3();
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
}
