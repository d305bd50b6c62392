package io.eventplane.kinesis.domain;

import io.eventplane.common.partition.Partitions;

/**
 * A stream by account, region and name: what its partition, its keys and its ARN
 * ({@code arn:aws:kinesis:<region>:<account>:stream/<name>}) derive from.
 */
public record StreamRef(String account, String region, String name) {
  private static final String ARN_PREFIX = "arn:aws:kinesis:";

  /** Every stream of one name in an account and region lives in this partition. */
  public int partition() {
    return Partitions.of("kinesis", account, region + '/' + name);
  }

  public String arn() {
    return ARN_PREFIX + region + ':' + account + ":stream/" + name;
  }

  /**
   * The stream a StreamARN names ({@code arn:<partition>:kinesis:<region>:<account>:stream/<name>}),
   * or null when it is not one.
   */
  public static StreamRef fromArn(String arn) {
    if (arn == null || !arn.startsWith("arn:")) return null;
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !parts[2].equals("kinesis") || !parts[5].startsWith("stream/")) return null;
    String name = parts[5].substring("stream/".length());
    if (name.isEmpty() || parts[3].isEmpty() || !parts[4].matches("\\d{12}")) return null;
    return new StreamRef(parts[4], parts[3], name);
  }
}
