package io.eventplane.broker.topic.domain;

/**
 * A topic's ARN, {@code arn:aws:sns:<region>:<account>:<name>}. A subscription's ARN is its
 * topic's ARN followed by {@code :<uuid>}, so it names the topic (and the partition) too.
 */
public record TopicArn(String region, String accountId, String name) {
  /** The parts, or null when the text is not a topic ARN. */
  public static TopicArn parse(String arn) {
    if (arn == null) return null;
    String[] p = arn.split(":", -1);
    if (p.length != 6 || !"arn".equals(p[0]) || !"sns".equals(p[2]) || p[3].isEmpty() || p[4].isEmpty()
        || p[5].isEmpty()) {
      return null;
    }
    return new TopicArn(p[3], p[4], p[5]);
  }

  /** The topic of a subscription ARN, or null when the text is not one. */
  public static TopicArn ofSubscription(String subscriptionArn) {
    if (subscriptionArn == null) return null;
    int last = subscriptionArn.lastIndexOf(':');
    if (last < 0 || last == subscriptionArn.length() - 1) return null;
    return parse(subscriptionArn.substring(0, last));
  }

  @Override
  public String toString() {
    return "arn:aws:sns:" + region + ":" + accountId + ":" + name;
  }
}
