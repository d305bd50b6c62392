package io.eventplane.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Three server JVMs; objects uploaded through a node that does not own their bucket (forwarded to
 * the owner, copied to the replica before they are acknowledged); then SIGKILL of the bucket's
 * owner: every acknowledged object reads back byte-identical through each surviving node, and
 * uploads go on through the new owner.
 */
@Timeout(value = 480, unit = TimeUnit.SECONDS)
class S3ClusterFailoverProcessIT {
  @Test
  void everyAcknowledgedObjectSurvivesTheOwnersDeath() throws Exception {
    try (ClusterNodes nodes = new ClusterNodes(3, List.of("--durability", "fsync"))) {
      String bucket = "failover-bucket";
      int owner = nodes.bucketOwner(bucket, 0);
      int writer = (owner + 1) % 3;
      int other = (owner + 2) % 3;
      S3Client s3 = nodes.s3Client(writer);
      s3.createBucket(b -> b.bucket(bucket));
      Map<String, String> acknowledged = new LinkedHashMap<>();
      for (int i = 0; i < 30; i++) {
        byte[] body = random(ThreadLocalRandom.current().nextInt(1, 2 << 20));
        String key = "objects/" + i;
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
        acknowledged.put(key, md5(body));
      }
      byte[] part1 = random(5 << 20);
      byte[] part2 = random(12345);
      String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("multipart")).uploadId();
      String e1 = s3.uploadPart(b -> b.bucket(bucket).key("multipart").uploadId(id).partNumber(1), RequestBody.fromBytes(part1)).eTag();
      String e2 = s3.uploadPart(b -> b.bucket(bucket).key("multipart").uploadId(id).partNumber(2), RequestBody.fromBytes(part2)).eTag();
      s3.completeMultipartUpload(b -> b.bucket(bucket).key("multipart").uploadId(id)
          .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(e1), p -> p.partNumber(2).eTag(e2))));
      byte[] whole = new byte[part1.length + part2.length];
      System.arraycopy(part1, 0, whole, 0, part1.length);
      System.arraycopy(part2, 0, whole, part1.length, part2.length);
      acknowledged.put("multipart", md5(whole));
      s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("objects/0").destinationBucket(bucket).destinationKey("copy"));
      acknowledged.put("copy", acknowledged.get("objects/0"));

      assertThat(nodes.node(owner).kill()).isEqualTo(137);
      for (int via : List.of(writer, other)) {
        S3Client reader = nodes.s3Client(via);
        for (Map.Entry<String, String> e : acknowledged.entrySet()) {
          byte[] got = reader.getObjectAsBytes(b -> b.bucket(bucket).key(e.getKey())).asByteArray();
          assertThat(md5(got)).as("%s through n%d after the owner died", e.getKey(), via).isEqualTo(e.getValue());
        }
        assertThat(reader.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()).hasSize(acknowledged.size());
      }
      byte[] later = random(300_000);
      nodes.s3Client(other).putObject(b -> b.bucket(bucket).key("after-failover"), RequestBody.fromBytes(later));
      assertThat(md5(nodes.s3Client(writer).getObjectAsBytes(b -> b.bucket(bucket).key("after-failover")).asByteArray()))
          .isEqualTo(md5(later));
      System.out.printf("S3 failover: %d objects read back through both survivors of n%d%n", acknowledged.size(), owner);
    }
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private static String md5(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
  }
}
