package io.eventplane.storage.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ACL of a bucket or an object as S3 keeps it: an owner and grants, from a canned ACL
 * ({@code x-amz-acl}), grant headers ({@code x-amz-grant-*}) or an AccessControlPolicy document.
 * Stored and returned; not enforced (access control comes with a later security issue).
 */
public record AccessControlList(Owner owner, List<Grant> grants) {
  public static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
  public static final String AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
  public static final String LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";
  /** Amazon EC2's canonical user, whom aws-exec-read lets read machine image bundles. */
  static final Grantee EC2 = new Grantee("CanonicalUser", "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c",
      "za-team", null);
  public static final Set<String> PERMISSIONS = Set.of("FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP");
  /** The display name S3 shows for this server's accounts (ListBuckets shows the same). */
  public static final String DISPLAY_NAME = "eventplane";
  private static final Set<String> GROUPS = Set.of(ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY);
  private static final Map<String, String> GRANT_HEADERS = Map.of("GrantFullControl", "FULL_CONTROL", "GrantRead", "READ",
      "GrantReadACP", "READ_ACP", "GrantWrite", "WRITE", "GrantWriteACP", "WRITE_ACP");
  private static final List<String> GRANT_ORDER = List.of("GrantFullControl", "GrantWrite", "GrantWriteACP", "GrantRead",
      "GrantReadACP");
  /**
   * One grantee of a grant header: {@code id="..."}, {@code uri="..."} or {@code emailAddress="..."};
   * the AWS CLI passes values unquoted ({@code uri=http://...}), which S3 accepts too.
   */
  private static final Pattern HEADER_GRANTEE = Pattern.compile(
      "\\s*(id|uri|emailAddress)\\s*=\\s*(?:\"([^\"]*)\"|([^\",\\s]+))\\s*(,|$)");

  public record Owner(String id, String displayName) {
    public Owner {
      Objects.requireNonNull(id, "id");
    }
  }

  /** @param type CanonicalUser (with id) or Group (with uri) */
  public record Grantee(String type, String id, String displayName, String uri) {}

  public record Grant(Grantee grantee, String permission) {}

  public AccessControlList {
    Objects.requireNonNull(owner, "owner");
    grants = List.copyOf(grants);
  }

  public static Owner ownerOf(String accountId) {
    return new Owner(accountId, DISPLAY_NAME);
  }

  /** S3's default: the owner has FULL_CONTROL, nobody else anything. */
  public static AccessControlList ownerOnly(String accountId) {
    Owner owner = ownerOf(accountId);
    return new AccessControlList(owner, List.of(new Grant(ownerGrantee(owner), "FULL_CONTROL")));
  }

  private static Grantee ownerGrantee(Owner owner) {
    return new Grantee("CanonicalUser", owner.id(), owner.displayName(), null);
  }

  /**
   * The ACL a request sets, or null when it sets none: a canned ACL, grant headers (not both), or
   * an AccessControlPolicy document (member {@code AccessControlPolicy}).
   */
  public static AccessControlList fromRequest(JsonObject in, String accountId) {
    String canned = in.getString("ACL");
    boolean headers = GRANT_HEADERS.keySet().stream().anyMatch(in::containsKey);
    JsonObject document = in.getJsonObject("AccessControlPolicy");
    if (canned != null && headers) {
      throw S3Errors.invalidRequest("Specifying both Canned ACLs and Header Grants is not allowed");
    }
    if ((canned != null || headers) && document != null) {
      throw new ServiceException(ServiceError.sender("UnexpectedContent", "This request does not support content"));
    }
    if (canned != null) return canned(canned.trim(), accountId);
    if (headers) return fromHeaders(in, accountId);
    if (document != null) return fromDocument(document, accountId);
    return null;
  }

  static AccessControlList canned(String name, String accountId) {
    Owner owner = ownerOf(accountId);
    List<Grant> grants = new ArrayList<>();
    grants.add(new Grant(ownerGrantee(owner), "FULL_CONTROL"));
    switch (name) {
      // The bucket's owner is the object's here (one account writes its own buckets), so the
      // bucket-owner ACLs add nothing to the owner's FULL_CONTROL.
      case "private", "bucket-owner-read", "bucket-owner-full-control" -> { }
      case "public-read" -> grants.add(group(ALL_USERS, "READ"));
      case "public-read-write" -> {
        grants.add(group(ALL_USERS, "READ"));
        grants.add(group(ALL_USERS, "WRITE"));
      }
      case "authenticated-read" -> grants.add(group(AUTHENTICATED_USERS, "READ"));
      case "aws-exec-read" -> grants.add(new Grant(EC2, "READ"));
      case "log-delivery-write" -> {
        grants.add(group(LOG_DELIVERY, "WRITE"));
        grants.add(group(LOG_DELIVERY, "READ_ACP"));
      }
      default -> throw S3Errors.invalidArgument("", "x-amz-acl", name);
    }
    return new AccessControlList(owner, grants);
  }

  private static Grant group(String uri, String permission) {
    return new Grant(new Grantee("Group", null, null, uri), permission);
  }

  private static AccessControlList fromHeaders(JsonObject in, String accountId) {
    Owner owner = ownerOf(accountId);
    List<Grant> grants = new ArrayList<>();
    for (String member : GRANT_ORDER) {
      String value = in.getString(member);
      if (value == null) continue;
      Matcher m = HEADER_GRANTEE.matcher(value);
      int at = 0;
      while (at < value.length()) {
        if (!m.find(at) || m.start() != at) throw S3Errors.invalidArgument("Argument format not recognized", member, value);
        String given = m.group(2) != null ? m.group(2) : m.group(3);
        grants.add(new Grant(grantee(m.group(1), given.trim(), owner), GRANT_HEADERS.get(member)));
        at = m.end();
      }
    }
    return new AccessControlList(owner, grants);
  }

  private static Grantee grantee(String kind, String value, Owner owner) {
    return switch (kind) {
      case "id" -> new Grantee("CanonicalUser", value, value.equals(owner.id()) ? owner.displayName() : null, null);
      case "uri" -> {
        if (!GROUPS.contains(value)) throw S3Errors.invalidArgument("Invalid group uri", "uri", value);
        yield new Grantee("Group", null, null, value);
      }
      default -> throw unresolvableEmail(value);
    };
  }

  private static ServiceException unresolvableEmail(String email) {
    return new ServiceException(new ServiceError("UnresolvableGrantByEmailAddress",
        "The e-mail address you provided does not match any account on record.", io.eventplane.common.error.Fault.SENDER,
        new JsonObject().put("EmailAddressProvided", email)));
  }

  static ServiceException malformedAcl() {
    return new ServiceException(ServiceError.sender("MalformedACLError",
        "The XML you provided was not well-formed or did not validate against our published schema"));
  }

  /** An AccessControlPolicy in the API's JSON shape ({@code Owner}, {@code Grants}), checked as S3 checks it. */
  private static AccessControlList fromDocument(JsonObject doc, String accountId) {
    JsonObject givenOwner = doc.getJsonObject("Owner");
    if (givenOwner == null || givenOwner.getString("ID") == null) throw malformedAcl();
    Owner owner = ownerOf(accountId);
    if (!givenOwner.getString("ID").trim().equals(owner.id())) {
      throw new ServiceException(new ServiceError("AccessDenied", "Access Denied", io.eventplane.common.error.Fault.SENDER));
    }
    List<Grant> grants = new ArrayList<>();
    for (Object o : doc.getJsonArray("Grants", new JsonArray())) {
      if (!(o instanceof JsonObject g)) throw malformedAcl();
      JsonObject who = g.getJsonObject("Grantee");
      String permission = g.getString("Permission");
      if (who == null || permission == null || !PERMISSIONS.contains(permission.trim())) throw malformedAcl();
      String type = who.getString("Type");
      Grantee grantee;
      if ("CanonicalUser".equals(type)) {
        String id = who.getString("ID");
        if (id == null || id.isBlank()) throw S3Errors.invalidArgument("Invalid id", "CanonicalUser/ID", String.valueOf(id));
        grantee = grantee("id", id.trim(), owner);
      } else if ("Group".equals(type)) {
        String uri = who.getString("URI");
        if (uri == null) throw malformedAcl();
        grantee = grantee("uri", uri.trim(), owner);
      } else if ("AmazonCustomerByEmail".equals(type)) {
        throw unresolvableEmail(String.valueOf(who.getString("EmailAddress")));
      } else {
        throw malformedAcl();
      }
      grants.add(new Grant(grantee, permission.trim()));
    }
    return new AccessControlList(owner, grants);
  }

  /** The API's JSON shape, which is also how an ACL is stored. */
  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    for (Grant g : grants) {
      JsonObject who = new JsonObject().put("Type", g.grantee().type());
      if (g.grantee().id() != null) who.put("ID", g.grantee().id());
      if (g.grantee().displayName() != null) who.put("DisplayName", g.grantee().displayName());
      if (g.grantee().uri() != null) who.put("URI", g.grantee().uri());
      list.add(new JsonObject().put("Grantee", who).put("Permission", g.permission()));
    }
    return new JsonObject().put("Owner", new JsonObject().put("ID", owner.id()).put("DisplayName", owner.displayName()))
        .put("Grants", list);
  }

  public static AccessControlList fromJson(JsonObject j) {
    if (j == null) return null;
    JsonObject o = j.getJsonObject("Owner");
    List<Grant> grants = new ArrayList<>();
    for (Object g : j.getJsonArray("Grants", new JsonArray())) {
      JsonObject grant = (JsonObject) g;
      JsonObject who = grant.getJsonObject("Grantee");
      grants.add(new Grant(new Grantee(who.getString("Type"), who.getString("ID"), who.getString("DisplayName"),
          who.getString("URI")), grant.getString("Permission")));
    }
    return new AccessControlList(new Owner(o.getString("ID"), o.getString("DisplayName")), grants);
  }
}
