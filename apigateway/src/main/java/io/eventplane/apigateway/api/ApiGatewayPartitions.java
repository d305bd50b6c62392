package io.eventplane.apigateway.api;

import io.eventplane.apigateway.ApiIds;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.partition.Partitions;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The partition of an API Gateway call. An API and everything under it (routes, integrations,
 * stages, deployments, authorizers) live in the partition its id names ({@link ApiIds#partitionOf}),
 * which is {@code crc32("apigateway/" + account + "/" + region)} of its creator: a call naming an
 * API ({@code ApiId} of v2, {@code restApiId} of v1, an API's ARN for the tag calls) goes there
 * whoever sends it; any other call (CreateApi, GetApis, domain names and their mappings) to the
 * partition of the context's account and region. A domain name's index entry
 * ({@link DomainNameIndex}) is in the partition its name gives.
 */
public final class ApiGatewayPartitions {
  /** Calls about an account's domain names, which name an API but live with the account. */
  private static final Set<String> ACCOUNT_WIDE = Set.of("CreateApiMapping", "GetApiMapping", "GetApiMappings",
      "UpdateApiMapping", "DeleteApiMapping", "CreateBasePathMapping", "GetBasePathMapping", "GetBasePathMappings",
      "UpdateBasePathMapping", "DeleteBasePathMapping");
  private static final Pattern API_ARN = Pattern.compile("arn:[^:]+:apigateway:[^:]*::/(?:apis|restapis)/([a-z0-9]+).*");

  private ApiGatewayPartitions() {}

  public static int of(ApiRequest request) {
    if (DomainNameIndex.BY_NAME.contains(request.operation())) {
      return DomainNameIndex.partitionOf(request.input().getString("DomainName"));
    }
    if (!ACCOUNT_WIDE.contains(request.operation())) {
      int p = ApiIds.partitionOf(apiIdOf(request.input()));
      if (p >= 0) return p;
    }
    return of(request.context().accountId(), request.context().region());
  }

  public static int of(String account, String region) {
    return Partitions.of("apigateway", account, region);
  }

  /** The API a call names, or null. */
  static String apiIdOf(JsonObject input) {
    if (input == null) return null;
    Object id = input.getValue("ApiId");
    if (id == null) id = input.getValue("restApiId");
    if (id instanceof String s) return s;
    Object arnValue = input.containsKey("ResourceArn") ? input.getValue("ResourceArn") : input.getValue("resourceArn");
    if (arnValue instanceof String arn) {
      Matcher m = API_ARN.matcher(arn);
      if (m.matches()) return m.group(1);
    }
    return null;
  }
}
