package io.eventplane.broker.queue.domain;

/** The parts of a queue ARN, {@code arn:aws:sqs:<region>:<account>:<name>}, that place it. */
public record QueueArn(String region, String accountId, String name) {
  /** The parts, or null when the text is not a queue ARN. */
  public static QueueArn parse(String arn) {
    if (arn == null) return null;
    String[] p = arn.split(":", -1);
    if (p.length != 6 || !"arn".equals(p[0]) || !"sqs".equals(p[2]) || p[4].isEmpty() || p[5].isEmpty()) return null;
    return new QueueArn(p[3], p[4], p[5]);
  }
}
