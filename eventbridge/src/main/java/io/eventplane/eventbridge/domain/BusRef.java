package io.eventplane.eventbridge.domain;

import io.eventplane.common.partition.Partitions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An event bus by account, region and name: what {@code EventBusName} names, given as a name (the
 * caller's account and region) or as an ARN ({@code arn:aws:events:<region>:<account>:event-bus/<name>}).
 * Its partition is {@code crc32("events/" + account + "/" + name) % 64}, chosen like a topic's.
 */
public record BusRef(String account, String region, String name) {
  public static final String SERVICE = "events";
  public static final String DEFAULT = "default";
  private static final Pattern ARN = Pattern.compile("arn:aws[\\w-]*:events:([a-z]+-[a-z]+-[\\w-]+):([0-9]{12}):event-bus/(.+)");

  public BusRef {
    java.util.Objects.requireNonNull(account, "account");
    java.util.Objects.requireNonNull(region, "region");
    java.util.Objects.requireNonNull(name, "name");
  }

  /** The bus an {@code EventBusName} member names: absent means the default bus. Never throws; validate first. */
  public static BusRef of(String nameOrArn, String account, String region) {
    if (nameOrArn == null) return new BusRef(account, region, DEFAULT);
    Matcher m = ARN.matcher(nameOrArn);
    return m.matches() ? new BusRef(m.group(2), m.group(1), m.group(3)) : new BusRef(account, region, nameOrArn);
  }

  public static boolean isArn(String nameOrArn) {
    return nameOrArn != null && ARN.matcher(nameOrArn).matches();
  }

  public String arn() {
    return "arn:aws:events:" + region + ":" + account + ":event-bus/" + name;
  }

  public boolean isDefault() {
    return DEFAULT.equals(name);
  }

  public int partition() {
    return Partitions.of(SERVICE, account, name);
  }

  /** The ARN of a rule on this bus: AWS leaves the bus out for the default bus. */
  public String ruleArn(String rule) {
    return "arn:aws:events:" + region + ":" + account + ":rule/" + (isDefault() ? "" : name + "/") + rule;
  }
}
