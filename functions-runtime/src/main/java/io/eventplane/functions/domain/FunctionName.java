package io.eventplane.functions.domain;

import io.eventplane.common.error.ServiceException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function as a request names it: a name ({@code my-function}), a full ARN
 * ({@code arn:aws:lambda:us-east-1:123456789012:function:my-function}) or a partial one
 * ({@code 123456789012:function:my-function}), each optionally with a qualifier
 * ({@code :$LATEST}, a version or an alias). A function lives in an account and a region: those of
 * its ARN, else the caller's.
 */
public record FunctionName(String accountId, String region, String name, String qualifier) {
  static final String PATTERN_TEXT =
      "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
  private static final Pattern PATTERN = Pattern.compile(PATTERN_TEXT);
  private static final int MAX_NAME = 64;
  private static final int MAX_REFERENCE = 140;

  /**
   * @param member the request member for validation messages (functionName)
   * @param callerAccount the account of a bare name
   * @param callerRegion the region of the request: a full ARN of another region is
   *     ResourceNotFoundException, as Lambda answers it
   */
  public static FunctionName parse(String value, String member, String callerAccount, String callerRegion) {
    if (value == null || value.isEmpty()) {
      throw FunctionErrors.validation(String.valueOf(value), member, "Member must have length greater than or equal to 1");
    }
    if (value.length() > MAX_REFERENCE) {
      throw FunctionErrors.validation(value, member, "Member must have length less than or equal to " + MAX_REFERENCE);
    }
    Matcher m = PATTERN.matcher(value);
    if (!m.matches()) {
      throw FunctionErrors.validation(value, member, "Member must satisfy regular expression pattern: " + PATTERN_TEXT);
    }
    String account = m.group(5) != null ? m.group(5).substring(0, 12) : callerAccount;
    String region = m.group(3) != null ? m.group(3).substring(0, m.group(3).length() - 1) : callerRegion;
    String name = m.group(7);
    boolean arnLike = m.group(1) != null || m.group(5) != null || m.group(6) != null;
    if (arnLike && m.group(6) == null) {
      throw FunctionErrors.validation(value, member, "Member must satisfy regular expression pattern: " + PATTERN_TEXT);
    }
    if (m.group(3) != null && callerRegion != null && !region.equals(callerRegion)) {
      // Lambda's API serves only its own region's functions; an ARN of another is not followed.
      throw new ServiceException("ResourceNotFoundException",
          "Functions from '" + region + "' are not reachable in this region ('" + callerRegion + "')");
    }
    if (name.length() > MAX_NAME) {
      throw FunctionErrors.validation(value, member, "Member must have length less than or equal to " + MAX_NAME);
    }
    return new FunctionName(account, region, name, m.group(9));
  }

  /** A name with no qualifier allowed (CreateFunction, configuration updates). */
  public static FunctionName unqualified(String value, String member, String callerAccount, String callerRegion) {
    FunctionName n = parse(value, member, callerAccount, callerRegion);
    if (n.qualifier() != null && !"$LATEST".equals(n.qualifier())) {
      throw new ServiceException("InvalidParameterValueException",
          "Unsupported qualifier in function name: versions and aliases are not supported here.");
    }
    return new FunctionName(n.accountId(), n.region(), n.name(), null);
  }

  public String arn() {
    return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
  }
}
