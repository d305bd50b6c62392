package io.eventplane.eventbridge.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A taggable EventBridge resource named by ARN: an event bus ({@code event-bus/<bus>}) or a rule
 * ({@code rule/<name>} on the default bus, {@code rule/<bus>/<name>} on another).
 */
public record ResourceArn(BusRef bus, String rule) {
  private static final Pattern ARN = Pattern.compile("arn:aws[\\w-]*:events:([a-z0-9-]+):([0-9]{12}):(event-bus|rule)/(.+)");

  /** The resource, or null when the ARN is not one of EventBridge's buses or rules. */
  public static ResourceArn parse(String arn) {
    if (arn == null) return null;
    Matcher m = ARN.matcher(arn);
    if (!m.matches()) return null;
    String region = m.group(1);
    String account = m.group(2);
    String rest = m.group(4);
    if (m.group(3).equals("event-bus")) return new ResourceArn(new BusRef(account, region, rest), null);
    int slash = rest.lastIndexOf('/');
    String bus = slash < 0 ? BusRef.DEFAULT : rest.substring(0, slash);
    return new ResourceArn(new BusRef(account, region, bus), rest.substring(slash + 1));
  }

  public boolean isRule() {
    return rule != null;
  }
}
