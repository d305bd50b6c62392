package io.eventplane.broker.topic.mobile;

import io.eventplane.common.partition.Partitions;
import java.util.Set;

/**
 * The ARN of a platform application, {@code arn:aws:sns:<region>:<account>:app/<Platform>/<Name>},
 * or of one of its endpoints, {@code arn:aws:sns:<region>:<account>:endpoint/<Platform>/<Name>/<id>}.
 * An endpoint's ARN names its application, so both lead to the application's partition.
 *
 * @param endpointId null for an application's ARN
 */
public record PlatformArn(String region, String accountId, String platform, String application, String endpointId) {
  /** The platforms SNS takes in CreatePlatformApplication. */
  public static final Set<String> PLATFORMS = Set.of("ADM", "APNS", "APNS_SANDBOX", "BAIDU", "GCM", "MPNS", "WNS");

  /** An application's ARN, or null when the text is not one. */
  public static PlatformArn application(String arn) {
    String[] p = resource(arn);
    if (p == null || p.length != 3 || !p[0].equals("app")) return null;
    String[] a = arn.split(":", -1);
    return new PlatformArn(a[3], a[4], p[1], p[2], null);
  }

  /** An endpoint's ARN, or null when the text is not one. */
  public static PlatformArn endpoint(String arn) {
    String[] p = resource(arn);
    if (p == null || p.length != 4 || !p[0].equals("endpoint") || p[3].isEmpty()) return null;
    String[] a = arn.split(":", -1);
    return new PlatformArn(a[3], a[4], p[1], p[2], p[3]);
  }

  /** The parts of {@code app/P/N} or {@code endpoint/P/N/id} of an SNS ARN with six elements. */
  private static String[] resource(String arn) {
    if (arn == null) return null;
    String[] a = arn.split(":", -1);
    if (a.length != 6 || !"arn".equals(a[0]) || !"sns".equals(a[2]) || a[3].isEmpty() || a[4].isEmpty()) return null;
    String[] p = a[5].split("/", -1);
    for (String s : p) if (s.isEmpty()) return null;
    return p;
  }

  /** The application this ARN is or belongs to. */
  public PlatformArn applicationArn() {
    return new PlatformArn(region, accountId, platform, application, null);
  }

  /** The key that places an application (with its endpoints) in a partition, like a topic's name. */
  public String applicationKey() {
    return "app/" + platform + "/" + application;
  }

  /** The partition of the application and all its endpoints. */
  public int partition() {
    return partitionOf(accountId, platform, application);
  }

  public static int partitionOf(String account, String platform, String name) {
    return Partitions.of("sns", account, "app/" + platform + "/" + name);
  }

  /** The partition of an account's SMS settings, opt-outs and sandbox numbers (every region of it). */
  public static int smsPartition(String account) {
    return Partitions.of("sns", account, "sms");
  }

  @Override
  public String toString() {
    String prefix = "arn:aws:sns:" + region + ":" + accountId + ":";
    return endpointId == null ? prefix + "app/" + platform + "/" + application
        : prefix + "endpoint/" + platform + "/" + application + "/" + endpointId;
  }
}
