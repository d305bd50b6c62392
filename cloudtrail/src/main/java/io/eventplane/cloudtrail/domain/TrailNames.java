package io.eventplane.cloudtrail.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import java.util.regex.Pattern;

/**
 * Trail names and ARNs as the CloudTrail API reference states the rules of CreateTrail's Name: ASCII
 * letters, digits, periods, underscores and dashes; starting and ending with a letter or digit; 3-128
 * characters; no two adjacent periods, underscores or dashes; not in IP address format. A name may be
 * given as a trail ARN ({@code arn:aws:cloudtrail:<region>:<account>:trail/<name>}) wherever a trail is named.
 */
public final class TrailNames {
  private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:cloudtrail:([a-z0-9-]+):(\\d{12}):trail/(.+)");
  private static final Pattern IP = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private TrailNames() {}

  public static String arn(String region, String account, String name) {
    return "arn:aws:cloudtrail:" + region + ":" + account + ":trail/" + name;
  }

  /** The trail's name of a Name member (a name or an ARN), checked. */
  public static String nameOf(String nameOrArn) {
    if (nameOrArn == null || nameOrArn.isEmpty()) {
      throw new ServiceException(ServiceError.sender("InvalidTrailNameException", "Trail name or ARN can not be empty."));
    }
    if (nameOrArn.startsWith("arn:")) {
      var m = ARN.matcher(nameOrArn);
      if (!m.matches()) {
        throw new ServiceException(ServiceError.sender("CloudTrailARNInvalidException",
            "Invalid trail ARN: " + nameOrArn));
      }
      return m.group(3);
    }
    check(nameOrArn);
    return nameOrArn;
  }

  public static void check(String name) {
    if (name.length() < 3) fail("Trail name too short. Minimum allowed length: 3 characters. Specified name length: "
        + name.length() + " characters.");
    if (name.length() > 128) fail("Trail name too long. Maximum allowed length: 128 characters. Specified name length: "
        + name.length() + " characters.");
    if (!Character.isLetterOrDigit(name.charAt(0)) || name.charAt(0) > 127) fail("Trail name must starts with a letter or number.");
    char last = name.charAt(name.length() - 1);
    if (!Character.isLetterOrDigit(last) || last > 127) fail("Trail name must ends with a letter or number.");
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      if (!ok) fail("Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-),"
          + " and underscores (_).");
      if (i > 0 && isPunctuation(c) && isPunctuation(name.charAt(i - 1))) {
        fail("Trail name cannot contain consecutive characters of periods (.), hyphens (-), or underscores (_).");
      }
    }
    if (IP.matcher(name).matches()) fail("Trail name cannot be formatted as an IP address.");
  }

  private static boolean isPunctuation(char c) {
    return c == '.' || c == '_' || c == '-';
  }

  private static void fail(String message) {
    throw new ServiceException(ServiceError.sender("InvalidTrailNameException", message));
  }
}
