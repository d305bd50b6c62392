package io.eventplane.identity.api;

import static io.eventplane.identity.domain.IamErrors.validation;

import io.eventplane.common.error.ServiceException;
import io.eventplane.identity.domain.AccessKey;
import io.eventplane.identity.policy.PolicyDocument;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** The input rules of the user, group and access-key calls, with IAM's wording (botocore's IAM model constraints). */
final class UserInputs {
  private static final String NAME_TEXT = "[\\w+=,.@-]+";
  private static final Pattern NAME = Pattern.compile(NAME_TEXT);
  private static final String KEY_ID_TEXT = "[\\w]+";
  private static final Pattern KEY_ID = Pattern.compile(KEY_ID_TEXT);
  private static final Pattern PATH_PREFIX = Pattern.compile("/[\\u0021-\\u007F]*");

  private UserInputs() {}

  /** A user name (1 to 64 characters) given as {@code member}, e.g. UserName or NewUserName. */
  static String userName(JsonObject in, String member, String wireMember) {
    return name(in, member, wireMember, 64);
  }

  static String userName(JsonObject in) {
    return userName(in, "UserName", "userName");
  }

  /** A group name: 1 to 128 characters. */
  static String groupName(JsonObject in, String member, String wireMember) {
    return name(in, member, wireMember, 128);
  }

  static String groupName(JsonObject in) {
    return groupName(in, "GroupName", "groupName");
  }

  /** A name member that may be absent (UpdateUser's NewUserName): null when not given. */
  static String optionalName(JsonObject in, String member, String wireMember, int max) {
    return in.getValue(member) == null ? null : name(in, member, wireMember, max);
  }

  private static String name(JsonObject in, String member, String wireMember, int max) {
    String name = RoleInputs.string(in, member, wireMember);
    if (name == null) throw validation("null", wireMember, "Member must not be null");
    if (name.isEmpty() || name.length() > max) {
      throw validation(name, wireMember, "Member must have length between 1 and " + max);
    }
    if (!NAME.matcher(name).matches()) {
      throw validation(name, wireMember, "Member must satisfy regular expression pattern: " + NAME_TEXT);
    }
    return name;
  }

  /** A path given as {@code member} (Path, NewPath, PathPrefix), or null when absent. */
  static String optionalPath(JsonObject in, String member, String wireMember) {
    if (in.getValue(member) == null) return null;
    return RoleInputs.path(new JsonObject().put("Path", RoleInputs.string(in, member, wireMember)));
  }

  /** A listing's PathPrefix: a slash and printable characters (no trailing slash needed), or null when absent. */
  static String pathPrefix(JsonObject in) {
    String prefix = RoleInputs.string(in, "PathPrefix", "pathPrefix");
    if (prefix == null) return null;
    if (prefix.isEmpty() || prefix.length() > 512) {
      throw validation(prefix, "pathPrefix", "Member must have length between 1 and 512");
    }
    if (!PATH_PREFIX.matcher(prefix).matches()) {
      throw validation(prefix, "pathPrefix", "Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*");
    }
    return prefix;
  }

  static String accessKeyId(JsonObject in) {
    String id = RoleInputs.string(in, "AccessKeyId", "accessKeyId");
    if (id == null) throw validation("null", "accessKeyId", "Member must not be null");
    if (id.length() < 16 || id.length() > 128) {
      throw validation(id, "accessKeyId", "Member must have length between 16 and 128");
    }
    if (!KEY_ID.matcher(id).matches()) {
      throw validation(id, "accessKeyId", "Member must satisfy regular expression pattern: " + KEY_ID_TEXT);
    }
    return id;
  }

  /** UpdateAccessKey's Status. */
  static String status(JsonObject in) {
    String status = RoleInputs.string(in, "Status", "status");
    if (status == null) throw validation("null", "status", "Member must not be null");
    if (!status.equals(AccessKey.ACTIVE) && !status.equals(AccessKey.INACTIVE)) {
      throw validation(status, "status", "Member must satisfy enum value set: [Active, Inactive]");
    }
    return status;
  }

  /** An identity policy's document: JSON within the size quota, and a valid identity policy. */
  static String identityPolicy(JsonObject in) {
    String doc = RoleInputs.policyDocument(in, "PolicyDocument", "policyDocument");
    PolicyDocument.parse(doc, PolicyDocument.Kind.IDENTITY);
    return doc;
  }

  /** Characters of a document that count toward IAM's inline-policy quotas (whitespace does not). */
  static int quotaLength(String document) {
    int n = 0;
    for (int i = 0; i < document.length(); i++) if (!Character.isWhitespace(document.charAt(i))) n++;
    return n;
  }

  static ServiceException limit(String message) {
    return new ServiceException("LimitExceeded", message);
  }
}
