package io.eventplane.identity.domain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The AWS-managed policies Eventplane can show (GetPolicy, GetPolicyVersion, ListPolicies with
 * Scope AWS): those that function deployments attach, with AWS's path, id, description, dates,
 * default version and that version's document, read from {@code aws-managed-policies.json}
 * (each entry names where its facts were recorded). AttachRolePolicy accepts any AWS-managed ARN
 * (AWS has about 1,300 of them); only these can be read back, and of each only its default version.
 */
public final class AwsManagedPolicies {
  /** The account part of AWS-managed policies' ARNs. */
  public static final String ACCOUNT = "aws";
  private static final String RESOURCE = "/io/eventplane/identity/aws-managed-policies.json";

  private static final List<ManagedPolicy> ALL = load();
  private static final Map<String, ManagedPolicy> BY_ARN =
      ALL.stream().collect(Collectors.toUnmodifiableMap(ManagedPolicy::arn, Function.identity()));

  private AwsManagedPolicies() {}

  /** The policy of that ARN ({@code arn:aws:iam::aws:policy/...}), or null when Eventplane does not know it. */
  public static ManagedPolicy find(String arn) {
    return BY_ARN.get(arn);
  }

  public static List<ManagedPolicy> all() {
    return ALL;
  }

  private static List<ManagedPolicy> load() {
    JsonArray entries;
    try (InputStream in = AwsManagedPolicies.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing resource " + RESOURCE);
      entries = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonArray("Policies");
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
    List<ManagedPolicy> out = new ArrayList<>();
    for (Object o : entries) {
      JsonObject p = (JsonObject) o;
      int version = Integer.parseInt(p.getString("DefaultVersionId").substring(1));
      long created = Instant.parse(p.getString("CreateDate")).toEpochMilli();
      long updated = Instant.parse(p.getString("UpdateDate")).toEpochMilli();
      TreeMap<Integer, ManagedPolicy.Version> versions = new TreeMap<>();
      versions.put(version, new ManagedPolicy.Version(p.getString("Document"), updated));
      ManagedPolicy policy = new ManagedPolicy(ACCOUNT, p.getString("PolicyName"), p.getString("Path"),
          p.getString("PolicyId"), p.getString("Description"), Map.of(), versions, version, version + 1, created, updated);
      if (!policy.arn().equals(p.getString("Arn"))) {
        throw new IllegalStateException(RESOURCE + ": " + p.getString("PolicyName") + " has ARN " + p.getString("Arn")
            + ", its path and name make " + policy.arn());
      }
      out.add(policy);
    }
    return List.copyOf(out);
  }
}
