package io.eventplane.logs.domain;

import java.util.regex.Pattern;

/** Log group and stream names, their constraints and ARNs. */
public final class LogNames {
  private static final Pattern GROUP = Pattern.compile("[\\.\\-_/#A-Za-z0-9]+");
  private static final Pattern STREAM = Pattern.compile("[^:*]*");
  private static final Pattern IDENTIFIER = Pattern.compile("[\\w#+=/:,.@-]*");
  private static final int MAX_NAME = 512;

  private LogNames() {}

  public static String group(String member, String name) {
    if (name.isEmpty() || name.length() > MAX_NAME) {
      throw LogsErrors.constraint(member, name, "Member must have length between 1 and " + MAX_NAME);
    }
    if (!GROUP.matcher(name).matches()) {
      throw LogsErrors.constraint(member, name, "Member must satisfy regular expression pattern: " + GROUP.pattern());
    }
    return name;
  }

  public static String stream(String member, String name) {
    if (name.isEmpty() || name.length() > MAX_NAME) {
      throw LogsErrors.constraint(member, name, "Member must have length between 1 and " + MAX_NAME);
    }
    if (!STREAM.matcher(name).matches()) {
      throw LogsErrors.constraint(member, name, "Member must satisfy regular expression pattern: " + STREAM.pattern());
    }
    return name;
  }

  /** The group a {@code logGroupIdentifier} names: a group name or its ARN (with or without {@code :*}). */
  public static String groupOfIdentifier(String identifier) {
    if (identifier.isEmpty() || identifier.length() > 2048 || !IDENTIFIER.matcher(identifier).matches()) {
      throw LogsErrors.constraint("logGroupIdentifier", identifier,
          "Member must satisfy regular expression pattern: " + IDENTIFIER.pattern());
    }
    if (!identifier.startsWith("arn:")) return group("logGroupIdentifier", identifier);
    int at = identifier.indexOf(":log-group:");
    if (at < 0) throw LogsErrors.invalidParameter("The log group identifier " + identifier + " is not a log group ARN.");
    String name = identifier.substring(at + ":log-group:".length());
    if (name.endsWith(":*")) name = name.substring(0, name.length() - 2);
    return group("logGroupIdentifier", name);
  }

  public static String groupArn(String region, String account, String group) {
    return "arn:aws:logs:" + region + ":" + account + ":log-group:" + group;
  }

  public static String streamArn(String region, String account, String group, String stream) {
    return groupArn(region, account, group) + ":log-stream:" + stream;
  }
}
