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
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The part of STS that SDKs and tools call to learn who they are and to take on a role. Answered
 * in the gateway: long-term keys stand for the account's root; AssumeRole reads the role from IAM
 * over the bus and hands out session credentials whose token names the session
 * ({@link SessionTokens}), so GetCallerIdentity made with them answers the assumed role on any
 * node. Nothing else checks them.
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
      .code("ExpiredToken", 403)
      .code("InvalidAction", 400)
      .code("MissingParameter", 400)
      .code("MalformedQueryString", 400)
      .renamed("InternalFailure", 500, "InternalFailure")
      .renamed("ServiceUnavailable", 503, "ServiceUnavailable")
      .build();
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:iam::(\\d{12}):role/(?:[\\u0021-\\u007E]*/)?([\\w+=,.@-]+)");
  private static final Pattern SERIAL_NUMBER = Pattern.compile("[\\w+=/:,.@-]*");
  private static final Pattern TOKEN_CODE = Pattern.compile("[\\d]*");
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

  /** The actions a request may name here. */
  public static Set<String> actions() {
    return ACTIONS;
  }

  /** An STS call; {@code bus} reaches IAM for AssumeRole. */
  public static Future<WireResponse> handle(String action, Map<String, String> params, RequestContext context,
      BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    return switch (action) {
      case "GetCallerIdentity" -> Future.succeededFuture(callerIdentity(params, context));
      case "GetSessionToken" -> Future.succeededFuture(sessionToken(params, context));
      case "AssumeRole" -> assumeRole(params, context, bus);
      default -> Future.succeededFuture(error(GatewayErrors.unknownOperation(action), context.requestId()));
    };
  }

  /**
   * Who calls: the session of temporary credentials (their token names it, on any node), else the
   * account's root. An expired session is refused as AWS refuses it; a token Eventplane did not
   * hand out is taken for no session (signatures are not verified either).
   */
  static Caller caller(Map<String, String> params, RequestContext context) {
    Optional<SessionTokens.Session> session = SessionTokens.decode(params.get("X-Amz-Security-Token"));
    return session.map(Caller::new).orElseGet(() -> new Caller(new SessionTokens.Session(SessionTokens.Kind.ROOT,
        context.accountId(), "", "", "", Long.MAX_VALUE, "")) {
      @Override
      boolean temporary() {
        return false;
      }
    });
  }

  /** The identity a call is made with. */
  static class Caller {
    final SessionTokens.Session session;

    Caller(SessionTokens.Session session) {
      this.session = session;
    }

    boolean temporary() {
      return true;
    }

    boolean expired() {
      return temporary() && Instant.now().getEpochSecond() >= session.expiresAt();
    }
  }

  static WireResponse callerIdentity(Map<String, String> params, RequestContext context) {
    Caller caller = caller(params, context);
    if (caller.expired()) return error(expired(), context.requestId());
    String xml = XmlWriter.document()
        .start("GetCallerIdentityResponse", XML_NAMESPACE)
        .start("GetCallerIdentityResult")
        .element("Arn", caller.session.arn())
        .element("UserId", caller.session.userId())
        .element("Account", caller.session.account())
        .end()
        .start("ResponseMetadata").element("RequestId", context.requestId()).end()
        .end()
        .toString();
    return WireResponse.of(200, WireResponse.XML, xml).withHeader("x-amzn-RequestId", context.requestId());
  }

  /**
   * GetSessionToken as the account's root gets it (the identity Eventplane's long-term keys stand
   * for): the model's input rules, then at most one hour ("Sessions for AWS account owners are
   * restricted to a maximum of 3,600 seconds. If the duration is longer than one hour, the session
   * defaults to one hour"); temporary credentials may not call it.
   */
  static WireResponse sessionToken(Map<String, String> params, RequestContext context) {
    String requestId = context.requestId();
    ServiceError invalid = invalidSessionToken(params.get("DurationSeconds"), params.get("SerialNumber"), params.get("TokenCode"));
    if (invalid != null) return error(invalid, requestId);
    Caller caller = caller(params, context);
    if (caller.expired()) return error(expired(), requestId);
    if (caller.temporary()) {
      return error(ServiceError.sender("AccessDenied", "Cannot call GetSessionToken with session credentials"), requestId);
    }
    long asked = params.get("DurationSeconds") == null ? 3600 : Long.parseLong(params.get("DurationSeconds").trim());
    long duration = Math.min(asked, 3600);
    Instant expiration = Instant.now().plusSeconds(duration).truncatedTo(ChronoUnit.SECONDS);
    String accessKeyId = accessKeyId();
    String token = SessionTokens.encode(new SessionTokens.Session(SessionTokens.Kind.ROOT, context.accountId(), "", "", "",
        expiration.getEpochSecond(), accessKeyId));
    String xml = XmlWriter.document()
        .start("GetSessionTokenResponse", XML_NAMESPACE)
        .start("GetSessionTokenResult")
        .start("Credentials")
        .element("AccessKeyId", accessKeyId)
        .element("SecretAccessKey", secretAccessKey())
        .element("SessionToken", token)
        .element("Expiration", expiration.toString())
        .end()
        .end()
        .start("ResponseMetadata").element("RequestId", requestId).end()
        .end()
        .toString();
    return WireResponse.of(200, WireResponse.XML, xml).withHeader("x-amzn-RequestId", requestId);
  }

  /** GetSessionToken's input rules (botocore's STS model), worded as STS words them; null when none is broken. */
  static ServiceError invalidSessionToken(String durationText, String serialNumber, String tokenCode) {
    if (durationText != null) {
      long duration;
      try {
        duration = Long.parseLong(durationText.trim());
      } catch (NumberFormatException e) {
        return validation(durationText, "durationSeconds", "Member must be a number");
      }
      if (duration < 900) return validation(durationText, "durationSeconds", "Member must have value greater than or equal to 900");
      if (duration > 129600) {
        return validation(durationText, "durationSeconds", "Member must have value less than or equal to 129600");
      }
    }
    if (serialNumber != null) {
      if (serialNumber.length() < 9) return validation(serialNumber, "serialNumber", "Member must have length greater than or equal to 9");
      if (serialNumber.length() > 256) return validation(serialNumber, "serialNumber", "Member must have length less than or equal to 256");
      if (!SERIAL_NUMBER.matcher(serialNumber).matches()) {
        return validation(serialNumber, "serialNumber", "Member must satisfy regular expression pattern: [\\w+=/:,.@-]*");
      }
    }
    if (tokenCode != null) {
      if (tokenCode.length() < 6) return validation(tokenCode, "tokenCode", "Member must have length greater than or equal to 6");
      if (tokenCode.length() > 6) return validation(tokenCode, "tokenCode", "Member must have length less than or equal to 6");
      if (!TOKEN_CODE.matcher(tokenCode).matches()) {
        return validation(tokenCode, "tokenCode", "Member must satisfy regular expression pattern: [\\d]*");
      }
    }
    return null;
  }

  private static ServiceError expired() {
    return ServiceError.sender("ExpiredToken", "The security token included in the request is expired");
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
    Caller caller = caller(params, context);
    if (caller.expired()) return Future.succeededFuture(error(expired(), requestId));
    boolean chained = caller.temporary() && caller.session.kind() == SessionTokens.Kind.ROLE;
    if (chained && duration > 3600) {
      return Future.succeededFuture(error(ServiceError.sender("ValidationError",
          "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."), requestId));
    }
    var m = ROLE_ARN.matcher(roleArn);
    ServiceError denied = ServiceError.sender("AccessDenied", "User: " + caller.session.arn()
        + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
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
          String accessKeyId = accessKeyId();
          String token = SessionTokens.encode(new SessionTokens.Session(SessionTokens.Kind.ROLE, m.group(1),
              role.getString("RoleName"), role.getString("RoleId"), session, expiration.getEpochSecond(), accessKeyId));
          String xml = XmlWriter.document()
              .start("AssumeRoleResponse", XML_NAMESPACE)
              .start("AssumeRoleResult")
              .start("Credentials")
              .element("AccessKeyId", accessKeyId)
              .element("SecretAccessKey", secretAccessKey())
              .element("SessionToken", token)
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

  private static String accessKeyId() {
    return "ASIA" + random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
  }

  private static String secretAccessKey() {
    return random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
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
