package io.eventplane.gateway.apigateway.template;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The request's {@code $context} variables a REST API's mapping templates read, as API Gateway's
 * "mapping template and access logging variable reference" names them. The invoke path fills one per
 * request; {@link #toTemplateMap()} gives the nested maps a template navigates
 * ({@code $context.identity.sourceIp}, {@code $context.authorizer.principalId}, ...).
 *
 * @param requestId {@code $context.requestId}
 * @param extendedRequestId {@code $context.extendedRequestId}
 * @param accountId {@code $context.accountId}: the API owner's account
 * @param apiId {@code $context.apiId}
 * @param stage {@code $context.stage}
 * @param resourceId {@code $context.resourceId}
 * @param resourcePath {@code $context.resourcePath}, the resource's template ({@code /pets/{id}})
 * @param httpMethod {@code $context.httpMethod}
 * @param path {@code $context.path}: the request path with the stage ({@code /prod/pets/1})
 * @param protocol {@code $context.protocol} ({@code HTTP/1.1})
 * @param domainName {@code $context.domainName}; {@code $context.domainPrefix} is its first label
 * @param requestTime when the request came: {@code $context.requestTime} (CLF, UTC) and
 *     {@code $context.requestTimeEpoch} (milliseconds)
 * @param identity {@code $context.identity.*} ({@code sourceIp}, {@code userAgent}, {@code accountId},
 *     {@code caller}, {@code user}, {@code userArn}, {@code apiKey}, {@code apiKeyId}, ...)
 * @param authorizer {@code $context.authorizer.*}: {@code principalId} and the Lambda authorizer's
 *     {@code context} (values as strings, as API Gateway stringifies them), or {@code claims} of a JWT
 */
public record ContextVariables(String requestId, String extendedRequestId, String accountId, String apiId,
    String stage, String resourceId, String resourcePath, String httpMethod, String path, String protocol,
    String domainName, Instant requestTime, Map<String, String> identity, Map<String, Object> authorizer) {
  private static final DateTimeFormatter CLF =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  public ContextVariables {
    Objects.requireNonNull(requestTime, "requestTime");
    identity = Collections.unmodifiableMap(new LinkedHashMap<>(identity == null ? Map.of() : identity));
    authorizer = Collections.unmodifiableMap(new LinkedHashMap<>(authorizer == null ? Map.of() : authorizer));
  }

  /**
   * A fresh {@code $context} for one render: nested maps (so a template reads {@code $context.identity.sourceIp}
   * and its iterations see plain maps), with empty {@code requestOverride} ({@code header}, {@code path},
   * {@code querystring}) and {@code responseOverride} ({@code header}) maps for the template to write into.
   */
  Map<String, Object> toTemplateMap() {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("accountId", accountId);
    context.put("apiId", apiId);
    context.put("authorizer", authorizerMap());
    context.put("domainName", domainName);
    context.put("domainPrefix", domainPrefix());
    context.put("extendedRequestId", extendedRequestId);
    context.put("httpMethod", httpMethod);
    context.put("identity", new LinkedHashMap<>(identity));
    context.put("path", path);
    context.put("protocol", protocol);
    context.put("requestId", requestId);
    context.put("requestTime", CLF.format(requestTime));
    context.put("requestTimeEpoch", requestTime.toEpochMilli());
    context.put("resourceId", resourceId);
    context.put("resourcePath", resourcePath);
    context.put("stage", stage);
    Map<String, Object> requestOverride = new LinkedHashMap<>();
    requestOverride.put("header", new LinkedHashMap<String, Object>());
    requestOverride.put("path", new LinkedHashMap<String, Object>());
    requestOverride.put("querystring", new LinkedHashMap<String, Object>());
    context.put("requestOverride", requestOverride);
    Map<String, Object> responseOverride = new LinkedHashMap<>();
    responseOverride.put("header", new LinkedHashMap<String, Object>());
    context.put("responseOverride", responseOverride);
    return context;
  }

  private Map<String, Object> authorizerMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    authorizer.forEach((k, v) -> map.put(k, v instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : v == null ? null : v.toString()));
    return map;
  }

  private String domainPrefix() {
    if (domainName == null) return null;
    int dot = domainName.indexOf('.');
    return dot < 0 ? domainName : domainName.substring(0, dot);
  }
}
