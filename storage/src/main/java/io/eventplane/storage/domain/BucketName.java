package io.eventplane.storage.domain;

import java.util.regex.Pattern;

/**
 * S3's general purpose bucket naming rules: 3-63 characters of lower-case letters, digits, dots and
 * hyphens, beginning and ending with a letter or digit, no two adjacent dots, not an IP address,
 * none of the reserved prefixes and suffixes.
 */
public final class BucketName {
  private static final Pattern SHAPE = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IP = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

  private BucketName() {}

  public static boolean isValid(String name) {
    if (name == null || !SHAPE.matcher(name).matches()) return false;
    if (name.contains("..") || IP.matcher(name).matches()) return false;
    if (name.startsWith("xn--") || name.startsWith("sthree-") || name.startsWith("amzn-s3-demo-")) return false;
    return !(name.endsWith("-s3alias") || name.endsWith("--ol-s3") || name.endsWith(".mrap") || name.endsWith("--x-s3"));
  }

  public static void require(String name) {
    if (!isValid(name)) throw S3Errors.invalidBucketName(name);
  }
}
