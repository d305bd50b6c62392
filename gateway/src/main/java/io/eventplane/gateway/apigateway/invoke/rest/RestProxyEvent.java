package io.eventplane.gateway.apigateway.invoke.rest;

import io.eventplane.gateway.apigateway.invoke.InvokeRequest;
import io.eventplane.gateway.apigateway.invoke.LambdaProxyEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The event a REST API hands a Lambda function through an AWS_PROXY integration ("Input format of a
 * Lambda function for proxy integration" in the REST API developer guide): {@code resource} (the
 * resource's path template), {@code path}, {@code httpMethod}, {@code headers} and
 * {@code multiValueHeaders} (names as sent), the query string maps, {@code pathParameters},
 * {@code stageVariables}, {@code requestContext} (resourceId, resourcePath, stage, requestId,
 * identity, ...), {@code body} and {@code isBase64Encoded}; members without values are null.
 */
public final class RestProxyEvent {
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private RestProxyEvent() {}

  /**
   * @param stagePath the path after the stage ({@code /pets/1}): the event's {@code path}
   * @param apiKey the request's API key when the method required one, else null
   * @param grant what the method's authorization let through: {@code requestContext.authorizer} of a Lambda
   *     authorizer, the AWS_IAM caller in {@code requestContext.identity}
   * @param binaryBody whether the request's Content-Type is one of the API's binaryMediaTypes: then the
   *     body is base64 with {@code isBase64Encoded: true}, else the body's UTF-8 text
   */
  public static JsonObject of(InvokeRequest request, String accountId, String stage, String stagePath,
      RestResourceMatch.Match match, Map<String, String> stageVariables, String apiKey, String apiKeyId,
      RestAuthorization.Grant grant, boolean binaryBody) {
    JsonObject event = new JsonObject().put("resource", match.resourcePath()).put("path", stagePath)
        .put("httpMethod", request.method());
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers()) byName.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
    if (byName.isEmpty()) {
      event.putNull("headers").putNull("multiValueHeaders");
    } else {
      JsonObject headers = new JsonObject();
      JsonObject multi = new JsonObject();
      byName.forEach((name, values) -> {
        headers.put(name, values.get(values.size() - 1));
        multi.put(name, new JsonArray(new ArrayList<>(values)));
      });
      event.put("headers", headers).put("multiValueHeaders", multi);
    }
    LambdaProxyEvents.putQueryParameters(event, request.rawQuery());
    event.put("pathParameters", match.pathParameters().isEmpty() ? null : new JsonObject(new LinkedHashMap<>(match.pathParameters())));
    event.put("stageVariables", stageVariables.isEmpty() ? null : new JsonObject(new LinkedHashMap<>(stageVariables)));
    String userAgent = request.header("user-agent");
    JsonObject identity = new JsonObject().putNull("cognitoIdentityPoolId").putNull("accountId").putNull("cognitoIdentityId")
        .putNull("caller").put("sourceIp", request.sourceIp()).putNull("principalOrgId").putNull("accessKey")
        .putNull("cognitoAuthenticationType").putNull("cognitoAuthenticationProvider").putNull("userArn")
        .put("userAgent", userAgent == null ? "" : userAgent).putNull("user");
    if (apiKey != null) identity.put("apiKey", apiKey).put("apiKeyId", apiKeyId);
    if (grant.iamIdentity() != null) identity.mergeIn(grant.iamIdentity());
    String domain = request.domainName();
    JsonObject context = new JsonObject().put("resourceId", match.resource().getString("id"))
        .put("resourcePath", match.resourcePath()).put("httpMethod", request.method())
        .put("extendedRequestId", request.requestId())
        .put("requestTime", REQUEST_TIME.format(Instant.ofEpochMilli(request.timeEpochMillis())))
        .put("path", stage.equals("$default") ? stagePath : "/" + stage + stagePath).put("accountId", accountId)
        .put("protocol", request.protocol()).put("stage", stage).put("domainPrefix", prefix(domain))
        .put("requestTimeEpoch", request.timeEpochMillis()).put("requestId", request.requestId())
        .put("identity", identity).put("domainName", domain).put("apiId", request.apiId());
    JsonObject authorizer = grant.proxyAuthorizer();
    if (authorizer != null) context.put("authorizer", authorizer);
    event.put("requestContext", context);
    boolean binary = request.body().length > 0 && binaryBody;
    event.put("body", request.body().length == 0 ? null
        : binary ? Base64.getEncoder().encodeToString(request.body()) : new String(request.body(), StandardCharsets.UTF_8));
    event.put("isBase64Encoded", binary);
    return event;
  }

  private static String prefix(String domain) {
    if (domain == null) return null;
    int dot = domain.indexOf('.');
    return dot < 0 ? domain : domain.substring(0, dot);
  }
}
