package io.eventplane.gateway.sts;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.QueryBinding;
import io.eventplane.gateway.error.ErrorTable;
import io.eventplane.gateway.error.GatewayErrors;
import io.eventplane.gateway.query.XmlWriter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The part of STS that SDKs and tools call to learn who they are and to take on a role. Answered
 * in the gateway: there is one identity per node (the configured account's root); AssumeRole reads
 * the role from IAM over the bus and hands out session credentials (nothing checks them later).
 */
public final class StsQueryProtocol {
  public static final String XML_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
  public static final String API_VERSION = "2011-06-15";

  /** STS's actions (botocore 1.43 model), so a request naming one is routed here, then refused. */
  private static final Set<String> ACTIONS = Set.of(
      "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "AssumeRoot",
      "DecodeAuthorizationMessage", "GetAccessKeyInfo", "GetCallerIdentity", "GetDelegatedAccessToken",
      "GetFederationToken", "GetSessionToken", "GetWebIdentityToken");
  /** STS's error codes and statuses, from the {@code error} traits of botocore's STS model (2011-06-15). */
  static final ErrorTable ERRORS = ErrorTable.builder("")
      .code("ValidationError", 400)
      .code("AccessDenied", 403)
      .code("MalformedPolicyDocument", 400)
      .code("PackedPolicyTooLarge", 400)
      .code("RegionDisabledException", 403)
      .code("ExpiredTokenException", 400)
      .code("InvalidAction", 400)
      .code("MissingParameter", 400)
      .code("MalformedQueryString", 400)
      .renamed("InternalFailure", 500, "InternalFailure")
      .renamed("ServiceUnavailable", 503, "ServiceUnavailable")
      .build();
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:iam::(\\d{12}):role/(?:[\\u0021-\\u007E]*/)?([\\w+=,.@-]+)");
  private static final SecureRandom RANDOM = new SecureRandom();

  public static final QueryBinding BINDING = new QueryBinding("sts", API_VERSION, XML_NAMESPACE, null, null,
      ERRORS, true, Map.of(), (action, params, path, baseUrl) -> new JsonObject(), null, new QueryBinding.LocalAnswers() {
        @Override
        public boolean isAction(String action) {
          return StsQueryProtocol.isAction(action);
        }

        @Override
        public Future<WireResponse> answer(String action, Map<String, String> params, RequestContext context,
            BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
          return handle(action, params, context, bus);
        }
      });

  private StsQueryProtocol() {}

  public static boolean isAction(String action) {
    return action != null && ACTIONS.contains(action);
  }

  /** An STS call; {@code bus} reaches IAM for AssumeRole. */
  public static Future<WireResponse> handle(String action, Map<String, String> params, RequestContext context,
      BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    return switch (action) {
      case "GetCallerIdentity" -> Future.succeededFuture(callerIdentity(context));
      case "AssumeRole" -> assumeRole(params, context, bus);
      default -> Future.succeededFuture(error(GatewayErrors.unknownOperation(action), context.requestId()));
    };
  }

  static WireResponse callerIdentity(RequestContext context) {
    String account = context.accountId();
    String xml = XmlWriter.document()
        .start("GetCallerIdentityResponse", XML_NAMESPACE)
        .start("GetCallerIdentityResult")
        .element("Arn", "arn:aws:iam::" + account + ":root")
        .element("UserId", account)
        .element("Account", account)
        .end()
        .start("ResponseMetadata").element("RequestId", context.requestId()).end()
        .end()
        .toString();
    return WireResponse.of(200, WireResponse.XML, xml).withHeader("x-amzn-RequestId", context.requestId());
  }

  /**
   * AssumeRole as STS answers it (recorded against AWS): the input rules of the model, an
   * unparseable RoleArn is {@code <arn> is invalid}, a role the caller may not assume (here: one
   * that does not exist) is AccessDenied, and the answer names the role's id and the session.
   */
  private static Future<WireResponse> assumeRole(Map<String, String> params, RequestContext context,
      BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    String requestId = context.requestId();
    String roleArn = params.get("RoleArn");
    String session = params.get("RoleSessionName");
    ServiceError invalid = invalidAssumeRole(roleArn, session, params.get("DurationSeconds"));
    if (invalid != null) return Future.succeededFuture(error(invalid, requestId));
    int duration = params.get("DurationSeconds") == null ? 3600 : Integer.parseInt(params.get("DurationSeconds").trim());
    var m = ROLE_ARN.matcher(roleArn);
    ServiceError denied = ServiceError.sender("AccessDenied", "User: arn:aws:iam::" + context.accountId()
        + ":root is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
    if (!m.matches()) return Future.succeededFuture(error(denied, requestId));
    RequestContext roleAccount = new RequestContext(m.group(1), context.region(), requestId, context.baseUrl());
    return bus.apply(Contracts.IAM, new ApiRequest("GetRole", new JsonObject().put("RoleName", m.group(2)), roleAccount))
        .map(reply -> {
          if (!reply.succeeded()) {
            return "NoSuchEntity".equals(reply.error().code()) ? error(denied, requestId) : error(reply.error(), requestId);
          }
          JsonObject role = reply.output().getJsonObject("Role");
          if (!roleArn.equals(role.getString("Arn"))) return error(denied, requestId);
          if (duration > role.getInteger("MaxSessionDuration", 3600)) {
            return error(ServiceError.sender("ValidationError",
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."), requestId);
          }
          Instant expiration = Instant.now().plusSeconds(duration).truncatedTo(ChronoUnit.SECONDS);
          String xml = XmlWriter.document()
              .start("AssumeRoleResponse", XML_NAMESPACE)
              .start("AssumeRoleResult")
              .start("Credentials")
              .element("AccessKeyId", "ASIA" + random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16))
              .element("SecretAccessKey", random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40))
              .element("SessionToken", "FwoGZXIvYXdzE" + random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 300))
              .element("Expiration", expiration.toString())
              .end()
              .start("AssumedRoleUser")
              .element("AssumedRoleId", role.getString("RoleId") + ":" + session)
              .element("Arn", "arn:aws:sts::" + m.group(1) + ":assumed-role/" + role.getString("RoleName") + "/" + session)
              .end()
              .end()
              .start("ResponseMetadata").element("RequestId", requestId).end()
              .end()
              .toString();
          return WireResponse.of(200, WireResponse.XML, xml).withHeader("x-amzn-RequestId", requestId);
        });
  }

  /** The first input rule AssumeRole's members break, worded as STS words it; null when none. */
  static ServiceError invalidAssumeRole(String roleArn, String session, String durationText) {
    if (roleArn == null) return missing("roleArn");
    if (session == null) return missing("roleSessionName");
    if (roleArn.length() < 20) return validation(roleArn, "roleArn", "Member must have length greater than or equal to 20");
    if (roleArn.length() > 2048) return validation(roleArn, "roleArn", "Member must have length less than or equal to 2048");
    if (session.length() < 2) return validation(session, "roleSessionName", "Member must have length greater than or equal to 2");
    if (session.length() > 64) return validation(session, "roleSessionName", "Member must have length less than or equal to 64");
    if (!SESSION_NAME.matcher(session).matches()) {
      return validation(session, "roleSessionName", "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
    }
    if (durationText != null) {
      long duration;
      try {
        duration = Long.parseLong(durationText.trim());
      } catch (NumberFormatException e) {
        return validation(durationText, "durationSeconds", "Member must be a number");
      }
      if (duration < 900) return validation(durationText, "durationSeconds", "Member must have value greater than or equal to 900");
      if (duration > 43200) return validation(durationText, "durationSeconds", "Member must have value less than or equal to 43200");
    }
    // arn:partition:service:region:account:resource, with partition, service and resource present.
    String[] parts = roleArn.split(":", 6);
    if (parts.length < 6 || !parts[0].equals("arn") || parts[1].isEmpty() || parts[2].isEmpty() || parts[5].isEmpty()) {
      return ServiceError.sender("ValidationError", roleArn + " is invalid");
    }
    return null;
  }

  /** A required member not given: the validation message names the value {@code null}, unquoted. */
  private static ServiceError missing(String member) {
    return ServiceError.sender("ValidationError", "1 validation error detected: Value null at '" + member
        + "' failed to satisfy constraint: Member must not be null");
  }

  private static ServiceError validation(String value, String member, String constraint) {
    return ServiceError.sender("ValidationError", "1 validation error detected: Value '" + value + "' at '" + member
        + "' failed to satisfy constraint: " + constraint);
  }

  private static String random(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    return out.toString();
  }

  public static WireResponse error(ServiceError error, String requestId) {
    return BINDING.error(error, requestId);
  }
}
