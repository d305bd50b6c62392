package io.eventplane.identity.api;

import static io.eventplane.identity.domain.IamErrors.validation;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * IAM's input rules, with IAM's wording. Query numbers arrive as strings when they do not parse:
 * those, and numbers out of range, are ValidationErrors, never a failure of the service.
 */
final class RoleInputs {
  private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");
  private static final int MAX_POLICY = 10_240;

  private RoleInputs() {}

  static String roleName(JsonObject in) {
    String name = string(in, "RoleName", "roleName");
    if (name == null) throw validation("null", "roleName", "Member must not be null");
    if (name.isEmpty() || name.length() > 64) throw validation(name, "roleName", "Member must have length between 1 and 64");
    if (!NAME.matcher(name).matches()) {
      throw validation(name, "roleName", "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    }
    return name;
  }

  static String policyName(JsonObject in) {
    String name = string(in, "PolicyName", "policyName");
    if (name == null || name.isEmpty() || name.length() > 128 || !NAME.matcher(name).matches()) {
      throw validation(String.valueOf(name), "policyName", "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    }
    return name;
  }

  static String path(JsonObject in) {
    String path = string(in, "Path", "path");
    if (path == null) return "/";
    if (path.isEmpty() || path.length() > 512 || !path.startsWith("/") || !path.endsWith("/")) {
      throw validation(path, "path", "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)");
    }
    return path;
  }

  static String description(JsonObject in) {
    String description = string(in, "Description", "description");
    if (description != null && description.length() > 1000) {
      throw validation(description, "description", "Member must have length less than or equal to 1000");
    }
    return description;
  }

  /** A policy document: present, within IAM's size quota, JSON. */
  static String policyDocument(JsonObject in, String member, String wireMember) {
    String doc = string(in, member, wireMember);
    if (doc == null) throw validation("null", wireMember, "Member must not be null");
    if (doc.length() > MAX_POLICY) {
      throw new ServiceException("LimitExceeded", "Cannot exceed quota for PolicySize: " + MAX_POLICY);
    }
    try {
      new JsonObject(doc);
    } catch (RuntimeException e) {
      throw new ServiceException("MalformedPolicyDocument", "This policy contains invalid Json");
    }
    return doc;
  }

  static Map<String, String> tags(JsonObject in) {
    Map<String, String> tags = new LinkedHashMap<>();
    Object v = in.getValue("Tags");
    if (v == null) return tags;
    if (!(v instanceof JsonArray list)) throw validation(String.valueOf(v), "tags", "Member must be a list");
    for (Object t : list) {
      if (!(t instanceof JsonObject tag) || !(tag.getValue("Key") instanceof String key)) {
        throw validation(String.valueOf(t), "tags", "Member must be a list of tags with a Key");
      }
      tags.put(key, String.valueOf(tag.getValue("Value", "")));
    }
    return tags;
  }

  /**
   * A whole number between {@code min} and {@code max}, or {@code absent} when not given.
   *
   * @param wireMember the member's name as IAM's messages spell it ({@code maxItems})
   */
  static int integer(JsonObject in, String member, String wireMember, int min, int max, int absent) {
    Object v = in.getValue(member);
    if (v == null) return absent;
    long n;
    if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
      n = num.longValue();
    } else {
      try {
        n = Long.parseLong(String.valueOf(v).trim());
      } catch (NumberFormatException e) {
        throw validation(String.valueOf(v), wireMember, "Member must be a number");
      }
    }
    if (n < min || n > max) {
      throw validation(String.valueOf(v), wireMember, "Member must have value between " + min + " and " + max);
    }
    return (int) n;
  }

  static String string(JsonObject in, String member, String wireMember) {
    Object v = in.getValue(member);
    if (v == null || v instanceof String) return (String) v;
    if (v instanceof Number || v instanceof Boolean) return v.toString();
    throw validation(String.valueOf(v), wireMember, "Member must be a string");
  }
}
