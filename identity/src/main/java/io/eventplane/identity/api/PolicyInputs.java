package io.eventplane.identity.api;

import static io.eventplane.identity.domain.IamErrors.validation;

import io.eventplane.common.error.ServiceException;
import io.eventplane.identity.domain.IamErrors;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The managed-policy calls' input rules, with IAM's wording. */
final class PolicyInputs {
  private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");
  private static final Pattern ARN = Pattern.compile("arn:aws[a-zA-Z-]*:iam::(aws|\\d{12}):policy(/|/[\\u0021-\\u007E]*/)([\\w+=,.@-]+)");
  private static final String VERSION_TEXT = "v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?";
  private static final Pattern VERSION = Pattern.compile(VERSION_TEXT);
  /** IAM's quota for a managed policy's document (characters, whitespace included). */
  private static final int MAX_DOCUMENT = 6_144;

  private PolicyInputs() {}

  /** A policy ARN taken apart: the account ({@code aws} for AWS-managed ones), the path and the name. */
  record Arn(String text, String account, String path, String name) {}

  static String policyName(JsonObject in) {
    String name = RoleInputs.string(in, "PolicyName", "policyName");
    if (name == null) throw validation("null", "policyName", "Member must not be null");
    if (name.isEmpty() || name.length() > 128) throw validation(name, "policyName", "Member must have length between 1 and 128");
    if (!NAME.matcher(name).matches()) {
      throw validation(name, "policyName", "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    }
    return name;
  }

  /** PolicyArn: present and a policy ARN, else the ValidationError IAM gives ({@code ARN x is not valid.}). */
  static Arn policyArn(JsonObject in) {
    String arn = RoleInputs.string(in, "PolicyArn", "policyArn");
    if (arn == null) throw validation("null", "policyArn", "Member must not be null");
    Arn parsed = parseArn(arn);
    if (parsed == null) throw notValid(arn);
    return parsed;
  }

  static ServiceException notValid(String arn) {
    return new ServiceException("ValidationError", "ARN " + arn + " is not valid.");
  }

  /** The ARN taken apart, or null when it is no policy ARN. */
  static Arn parseArn(String arn) {
    if (arn == null || arn.length() < 20 || arn.length() > 2048) return null;
    Matcher m = ARN.matcher(arn);
    return m.matches() ? new Arn(arn, m.group(1), m.group(2), m.group(3)) : null;
  }

  /** VersionId ({@code v3}) as its number. */
  static int versionId(JsonObject in) {
    String id = RoleInputs.string(in, "VersionId", "versionId");
    if (id == null) throw validation("null", "versionId", "Member must not be null");
    if (!VERSION.matcher(id).matches()) {
      throw IamErrors.validationAt("versionId", "Member must satisfy regular expression pattern: " + VERSION_TEXT);
    }
    String digits = id.substring(1).split("\\.", 2)[0];
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** PolicyDocument within a managed policy's quota. */
  static String document(JsonObject in) {
    String raw = RoleInputs.string(in, "PolicyDocument", "policyDocument");
    if (raw != null && raw.length() > MAX_DOCUMENT) {
      throw new ServiceException("LimitExceeded", "Cannot exceed quota for PolicySize: " + MAX_DOCUMENT);
    }
    return RoleInputs.policyDocument(in, "PolicyDocument", "policyDocument");
  }
}
