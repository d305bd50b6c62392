package io.eventplane.identity.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * A managed policy: a customer's (created by CreatePolicy, account = the owner) or one of AWS's
 * (account {@code aws}, from {@link AwsManagedPolicies}). Its versions are numbered {@code v1},
 * {@code v2}, ... and never reuse a number; one of them is the default. Stored and shown; not enforced.
 *
 * @param versions version number to its document and creation time
 * @param nextVersion the number the next CreatePolicyVersion takes
 * @param description null when none was given
 */
public record ManagedPolicy(String accountId, String name, String path, String policyId, String description,
    Map<String, String> tags, TreeMap<Integer, Version> versions, int defaultVersion, int nextVersion, long createDate,
    long updateDate) {
  /** The number of versions a managed policy may keep. */
  public static final int MAX_VERSIONS = 5;

  /** One version: its document (as given, JSON text) and when it was made (epoch millis). */
  public record Version(String document, long createDate) {}

  public ManagedPolicy {
    tags = Map.copyOf(tags);
    versions = new TreeMap<>(versions);
  }

  public String arn() {
    return "arn:aws:iam::" + accountId + ":policy" + path + name;
  }

  public boolean isAwsManaged() {
    return AwsManagedPolicies.ACCOUNT.equals(accountId);
  }

  /**
   * The Policy shape as each call answers it (recorded against IAM): CreatePolicy without
   * Description, GetPolicy with Description and Tags (an empty list when none), ListPolicies'
   * items without either.
   */
  public JsonObject output(View view, int attachmentCount) {
    JsonObject out = new JsonObject().put("PolicyName", name).put("PolicyId", policyId).put("Arn", arn()).put("Path", path)
        .put("DefaultVersionId", "v" + defaultVersion).put("AttachmentCount", attachmentCount)
        .put("PermissionsBoundaryUsageCount", 0).put("IsAttachable", true)
        .put("CreateDate", date(createDate)).put("UpdateDate", date(updateDate));
    if (view == View.GET && description != null) out.put("Description", description);
    if (view == View.GET || (view == View.CREATED && !tags.isEmpty())) {
      JsonArray t = new JsonArray();
      tags.forEach((k, v) -> t.add(new JsonObject().put("Key", k).put("Value", v)));
      out.put("Tags", t);
    }
    return out;
  }

  /** Which call's Policy shape {@link #output} renders. */
  public enum View { CREATED, GET, LISTED }

  /** The PolicyVersion shape; with the document (URL-encoded, as IAM sends documents) for GetPolicyVersion only. */
  public JsonObject versionOutput(int number, boolean withDocument) {
    Version v = versions.get(number);
    JsonObject out = new JsonObject();
    if (withDocument) out.put("Document", Role.encode(v.document()));
    return out.put("VersionId", "v" + number).put("IsDefaultVersion", number == defaultVersion)
        .put("CreateDate", date(v.createDate()));
  }

  public ManagedPolicy withVersions(TreeMap<Integer, Version> next, int defaultNumber, int nextNumber, long now) {
    return new ManagedPolicy(accountId, name, path, policyId, description, tags, next, defaultNumber, nextNumber,
        createDate, now);
  }

  static String date(long millis) {
    return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
