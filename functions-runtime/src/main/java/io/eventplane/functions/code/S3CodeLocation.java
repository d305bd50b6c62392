package io.eventplane.functions.code;

/**
 * Where a deployment package lies in S3.
 *
 * @param version the object version to read, or null for the current one
 */
public record S3CodeLocation(String bucket, String key, String version) {
  public S3CodeLocation {
    if (bucket == null || bucket.isEmpty() || key == null || key.isEmpty()) {
      throw new IllegalArgumentException("an S3 location needs a bucket and a key");
    }
  }
}
