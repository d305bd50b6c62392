package io.eventplane.identity.api;

import static io.eventplane.identity.domain.IamErrors.validation;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.eventplane.identity.domain.IamErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * IAM's input rules, with IAM's wording. Query numbers arrive as strings when they do not parse:
 * those, and numbers out of range, are ValidationErrors, never a failure of the service.
 */
final class RoleInputs {
  private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");
  private static final String TAG_KEY_TEXT = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+";
  private static final Pattern TAG_KEY = Pattern.compile(TAG_KEY_TEXT);
  private static final int MAX_POLICY = 10_240;
  private static final java.util.Set<String> TRUST_ACTIONS = java.util.Set.of("sts:assumerole", "sts:assumerolewithsaml",
      "sts:assumerolewithwebidentity", "sts:tagsession", "sts:setsourceidentity", "sts:setcontext");

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

  /** A role's tags: keys are unique without regard to case, as IAM words it for roles. */
  static Map<String, String> tags(JsonObject in) {
    return tags(in, true);
  }

  /**
   * Tags with IAM's rules and wording (recorded against IAM): at most 50, keys of 1 to 128
   * characters of the tag key pattern, values up to 256, no duplicate keys.
   *
   * @param caseInsensitiveKeys roles' keys are unique without regard to case; managed policies'
   *     ("a" and "A" are two keys there) are compared as they are, with a shorter message
   */
  static Map<String, String> tags(JsonObject in, boolean caseInsensitiveKeys) {
    Map<String, String> tags = new LinkedHashMap<>();
    Object v = in.getValue("Tags");
    if (v == null) return tags;
    if (!(v instanceof JsonArray list)) throw validation(String.valueOf(v), "tags", "Member must be a list");
    if (list.size() > 50) throw IamErrors.validationAt("tags", "Member must have length less than or equal to 50");
    java.util.Set<String> seen = new java.util.HashSet<>();
    int n = 0;
    for (Object t : list) {
      n++;
      if (!(t instanceof JsonObject tag) || !(tag.getValue("Key") instanceof String key)) {
        throw validation(String.valueOf(t), "tags", "Member must be a list of tags with a Key");
      }
      String value = String.valueOf(tag.getValue("Value", ""));
      String at = "tags." + n + ".member.";
      if (key.length() > 128) throw IamErrors.validationAt(at + "key", "Member must have length less than or equal to 128");
      if (!TAG_KEY.matcher(key).matches()) {
        throw IamErrors.validationAt(at + "key", "Member must satisfy regular expression pattern: " + TAG_KEY_TEXT);
      }
      if (value.length() > 256) throw IamErrors.validationAt(at + "value", "Member must have length less than or equal to 256");
      if (!seen.add(caseInsensitiveKeys ? key.toLowerCase(java.util.Locale.ROOT) : key)) {
        throw IamErrors.invalidInput(caseInsensitiveKeys
            ? "Duplicate tag keys found. Please note that Tag keys are case insensitive." : "Duplicate tag keys found.");
      }
      tags.put(key, value);
    }
    return tags;
  }

  /**
   * A role's trust policy beyond being JSON, as IAM checks it: its statements may name no
   * Resource and only STS actions.
   */
  static String trustPolicy(JsonObject in) {
    return trustPolicy(in, "AssumeRolePolicyDocument", "assumeRolePolicyDocument");
  }

  /** A trust policy given under another member (UpdateAssumeRolePolicy's PolicyDocument). */
  static String trustPolicy(JsonObject in, String member, String wireMember) {
    String doc = policyDocument(in, member, wireMember);
    Object statements = new JsonObject(doc).getValue("Statement");
    List<Object> all = statements instanceof JsonArray a ? a.getList() : statements == null ? List.of() : List.of(statements);
    for (Object s : all) {
      Map<?, ?> statement = s instanceof JsonObject o ? o.getMap() : s instanceof Map<?, ?> m ? m : Map.of();
      if (statement.containsKey("Resource")) {
        throw new ServiceException("MalformedPolicyDocument", "Has prohibited field Resource");
      }
      Object action = statement.get("Action");
      List<?> actions = action instanceof JsonArray a ? a.getList() : action instanceof List<?> l ? l
          : action == null ? List.of() : List.of(action);
      for (Object one : actions) {
        if (!isTrustAction(String.valueOf(one))) {
          throw new ServiceException("MalformedPolicyDocument", "AssumeRole policy may only specify STS AssumeRole actions.");
        }
      }
    }
    return doc;
  }

  /**
   * Whether a trust policy may name the action (recorded against IAM: {@code sts:InvalidAction}
   * is refused): one of STS's actions that act on a role's trust, or a wildcard over some of them.
   */
  private static boolean isTrustAction(String action) {
    String a = action.toLowerCase(java.util.Locale.ROOT);
    if (!a.startsWith("sts:")) return false;
    if (a.indexOf('*') < 0 && a.indexOf('?') < 0) return TRUST_ACTIONS.contains(a);
    Pattern wildcard = Pattern.compile(Pattern.quote(a).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q"));
    return TRUST_ACTIONS.stream().anyMatch(t -> wildcard.matcher(t).matches());
  }

  /** UntagRole's TagKeys: at most 50, each a tag key, worded as IAM words a list member's constraints. */
  static List<String> tagKeys(JsonObject in) {
    Object v = in.getValue("TagKeys");
    if (v == null) throw validation("null", "tagKeys", "Member must not be null");
    if (!(v instanceof JsonArray list)) throw validation(String.valueOf(v), "tagKeys", "Member must be a list");
    if (list.size() > 50) throw IamErrors.validationAt("tagKeys", "Member must have length less than or equal to 50");
    List<String> keys = new java.util.ArrayList<>();
    for (Object k : list) {
      String key = k == null ? null : String.valueOf(k);
      if (key == null || key.isEmpty() || key.length() > 128 || !TAG_KEY.matcher(key).matches()) {
        throw IamErrors.validationAt("tagKeys", "Member must satisfy constraint: [Member must have length less than or "
            + "equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression "
            + "pattern: " + TAG_KEY_TEXT + ", Member must not be null]");
      }
      keys.add(key);
    }
    return keys;
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
