package io.eventplane.identity.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The AWS-managed policies Eventplane can show (GetPolicy, GetPolicyVersion, ListPolicies with
 * Scope AWS): those that function deployments attach, with AWS's path, description, default
 * version and document. AttachRolePolicy accepts any AWS-managed ARN (AWS has about 1,300 of
 * them); only these few can be read back.
 */
public final class AwsManagedPolicies {
  /** The account part of AWS-managed policies' ARNs. */
  public static final String ACCOUNT = "aws";

  private static final List<ManagedPolicy> ALL = List.of(
      policy("AWSLambdaBasicExecutionRole", "/service-role/", "ANPAJNCQGXC42545SKXIK",
          "Provides write permissions to CloudWatch Logs.", "2015-04-09T15:03:43Z",
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogGroup\","
              + "\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"*\"}]}"),
      policy("AdministratorAccess", "/", "ANPAIWMBCKSKIEE64ZLYK", "Provides full access to AWS services and resources.",
          "2015-02-06T18:39:46Z",
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"));
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

  private static ManagedPolicy policy(String name, String path, String id, String description, String date, String document) {
    long created = Instant.parse(date).toEpochMilli();
    TreeMap<Integer, ManagedPolicy.Version> versions = new TreeMap<>();
    versions.put(1, new ManagedPolicy.Version(document, created));
    return new ManagedPolicy(ACCOUNT, name, path, id, description, Map.of(), versions, 1, 2, created, created);
  }
}
