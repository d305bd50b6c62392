package io.eventplane.gateway.sts;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.secret.TemporaryCredentials;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.QueryBinding;
import io.eventplane.gateway.error.GatewayErrors;
import io.eventplane.gateway.query.XmlWriter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS's calls as the gateway answers them, with the node's credentials key and clock: who calls
 * (GetCallerIdentity), sessions of the caller (GetSessionToken) and of roles (AssumeRole), whose
 * credentials are {@link TemporaryCredentials}: stateless, verified by any node.
 *
 * <p>Who calls: the verified signer ({@link RequestContext#caller()}) when signatures are verified;
 * else (auth off) the session whose token the call carries, else the account's root. AssumeRole by
 * a verified caller asks IAM, at the role's owner, whether the role's trust policy lets the caller
 * in ({@value #TRUST_OPERATION}); with auth off anyone may assume any existing role, as before.
 */
public final class StsAnswers implements QueryBinding.LocalAnswers {
  /** IAM's internal operation judging a role's trust policy (identity's {@code AssumeRoleTrust.OPERATION}). */
  static final String TRUST_OPERATION = "eventplane:AssumeRole";
  /** The parameter the Query route adds for STS: the access key id the call was signed with, to open its token. */
  public static final String ACCESS_KEY_PARAMETER = "eventplane:AccessKeyId";
  /**
   * Set by the gateway in {@code --auth iam}: whether the caller's identity policies allow the
   * call's actions on the role ({@code true}/{@code false}); absent, they are taken as allowing
   * (sigv4 mode evaluates no policies).
   */
  public static final String IDENTITY_ALLOWS_PARAMETER = "eventplane:IdentityAllows";
  static final String TOKEN_PARAMETER = "X-Amz-Security-Token";
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-zA-Z-]*:iam::(\\d{12}):role/(?:[\\u0021-\\u007E]*/)?([\\w+=,.@-]+)");

  private final TemporaryCredentials credentials;
  private final Clock clock;

  public StsAnswers(TemporaryCredentials credentials, Clock clock) {
    this.credentials = credentials;
    this.clock = clock;
  }

  @Override
  public boolean isAction(String action) {
    return StsQueryProtocol.isAction(action);
  }

  @Override
  public QueryBinding.LocalAnswers on(EventplaneConfig config, Clock nodeClock) {
    return new StsAnswers(new TemporaryCredentials(config.auth().credentialsKey()), nodeClock);
  }

  @Override
  public Future<WireResponse> answer(String action, Map<String, String> params, RequestContext context,
      BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    return switch (action) {
      case "GetCallerIdentity" -> Future.succeededFuture(callerIdentity(params, context));
      case "GetSessionToken" -> Future.succeededFuture(sessionToken(params, context));
      case "AssumeRole" -> assumeRole(params, context, bus);
      default -> Future.succeededFuture(StsQueryProtocol.error(GatewayErrors.unknownOperation(action), context.requestId()));
    };
  }

  /**
   * Who calls.
   *
   * @param temporary whether with temporary credentials (GetSessionToken refuses them)
   * @param roleSession whether as a role's session (AssumeRole with it is role chaining)
   * @param expiresAt the session's end (epoch seconds), Long.MAX_VALUE for long-term keys
   */
  record StsCaller(String arn, String userId, String account, boolean temporary, boolean roleSession, long expiresAt,
      boolean verified) {
    boolean root() {
      return arn.endsWith(":root");
    }
  }

  StsCaller caller(Map<String, String> params, RequestContext context) {
    if (context.caller() != null) {
      var c = context.caller();
      return new StsCaller(c.arn(), c.userId(), context.accountId(), c.temporary(), c.arn().contains(":assumed-role/"),
          Long.MAX_VALUE, true);
    }
    Optional<TemporaryCredentials.Opened> opened = credentials.open(params.get(ACCESS_KEY_PARAMETER), params.get(TOKEN_PARAMETER));
    if (opened.isPresent()) {
      TemporaryCredentials.Session s = opened.get().session();
      return new StsCaller(s.principalArn(), s.userId(), s.account(), true, s.isRole(), s.expiresAt(), false);
    }
    String account = context.accountId();
    return new StsCaller("arn:aws:iam::" + account + ":root", account, account, false, false, Long.MAX_VALUE, false);
  }

  private boolean expired(StsCaller caller) {
    return clock.instant().getEpochSecond() >= caller.expiresAt();
  }

  WireResponse callerIdentity(Map<String, String> params, RequestContext context) {
    StsCaller caller = caller(params, context);
    if (expired(caller)) return StsQueryProtocol.error(StsQueryProtocol.expired(), context.requestId());
    String xml = XmlWriter.document()
        .start("GetCallerIdentityResponse", StsQueryProtocol.XML_NAMESPACE)
        .start("GetCallerIdentityResult")
        .element("Arn", caller.arn())
        .element("UserId", caller.userId())
        .element("Account", caller.account())
        .end()
        .start("ResponseMetadata").element("RequestId", context.requestId()).end()
        .end()
        .toString();
    return WireResponse.of(200, WireResponse.XML, xml).withHeader("x-amzn-RequestId", context.requestId());
  }

  /**
   * GetSessionToken: a session of the caller (an IAM user, or the account's root) answering
   * GetCallerIdentity as the caller. 900 to 129,600 seconds, 12 hours by default; "Sessions for AWS
   * account owners are restricted to a maximum of 3,600 seconds. If the duration is longer than one
   * hour, the session defaults to one hour". Temporary credentials may not call it.
   */
  WireResponse sessionToken(Map<String, String> params, RequestContext context) {
    String requestId = context.requestId();
    ServiceError invalid = StsQueryProtocol.invalidSessionToken(params.get("DurationSeconds"), params.get("SerialNumber"),
        params.get("TokenCode"));
    if (invalid != null) return StsQueryProtocol.error(invalid, requestId);
    StsCaller caller = caller(params, context);
    if (expired(caller)) return StsQueryProtocol.error(StsQueryProtocol.expired(), requestId);
    if (caller.temporary()) {
      return StsQueryProtocol.error(ServiceError.sender("AccessDenied", "Cannot call GetSessionToken with session credentials"),
          requestId);
    }
    String asked = params.get("DurationSeconds");
    long duration = asked == null ? 43200 : Long.parseLong(asked.trim());
    if (caller.root()) duration = Math.min(duration, 3600);
    long expiresAt = clock.instant().getEpochSecond() + duration;
    var issued = credentials.mint(TemporaryCredentials.Session.sessionToken(caller.account(), caller.arn(), caller.userId(),
        expiresAt));
    String xml = credentialsXml(XmlWriter.document()
        .start("GetSessionTokenResponse", StsQueryProtocol.XML_NAMESPACE)
        .start("GetSessionTokenResult"), issued)
        .end()
        .start("ResponseMetadata").element("RequestId", requestId).end()
        .end()
        .toString();
    return WireResponse.of(200, WireResponse.XML, xml).withHeader("x-amzn-RequestId", requestId);
  }

  /**
   * AssumeRole as STS answers it (recorded against AWS): the input rules of the model; a role that
   * does not exist, or whose trust policy does not let a verified caller in, is AccessDenied; the
   * session lasts DurationSeconds (one hour by default, at most the role's MaxSessionDuration, and
   * at most one hour when a role's session assumes a role).
   */
  private Future<WireResponse> assumeRole(Map<String, String> params, RequestContext context,
      BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    String requestId = context.requestId();
    String roleArn = params.get("RoleArn");
    String session = params.get("RoleSessionName");
    ServiceError invalid = StsQueryProtocol.invalidAssumeRole(roleArn, session, params.get("DurationSeconds"));
    if (invalid == null) invalid = StsQueryProtocol.invalidAssumeRoleExtras(params);
    if (invalid != null) return Future.succeededFuture(StsQueryProtocol.error(invalid, requestId));
    Map<String, String> tags = StsQueryProtocol.sessionTags(params);
    int duration = params.get("DurationSeconds") == null ? 3600 : Integer.parseInt(params.get("DurationSeconds").trim());
    StsCaller caller = caller(params, context);
    if (expired(caller)) return Future.succeededFuture(StsQueryProtocol.error(StsQueryProtocol.expired(), requestId));
    if (caller.roleSession() && duration > 3600) {
      return Future.succeededFuture(StsQueryProtocol.error(ServiceError.sender("ValidationError",
          "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."), requestId));
    }
    ServiceError denied = denied(caller.arn(), "sts:AssumeRole", roleArn);
    Matcher m = ROLE_ARN.matcher(roleArn);
    if (!m.matches()) return Future.succeededFuture(StsQueryProtocol.error(denied, requestId));
    String roleAccount = m.group(1);
    String sourceIdentity = params.get("SourceIdentity");
    RequestContext atRole = new RequestContext(roleAccount, context.region(), requestId, context.baseUrl(), context.caller());
    ApiRequest ask = caller.verified()
        ? new ApiRequest(TRUST_OPERATION, trustQuestion(m.group(2), roleArn, caller, session, params, tags), atRole)
        : new ApiRequest("GetRole", new JsonObject().put("RoleName", m.group(2)), atRole);
    return bus.apply(Contracts.IAM, ask).map(reply -> {
      if (!reply.succeeded()) {
        return StsQueryProtocol.error("NoSuchEntity".equals(reply.error().code()) ? denied : reply.error(), requestId);
      }
      JsonObject role = reply.output().getJsonObject("Role");
      if (!roleArn.equals(role.getString("Arn"))) return StsQueryProtocol.error(denied, requestId);
      if (duration > role.getInteger("MaxSessionDuration", 3600)) {
        return StsQueryProtocol.error(ServiceError.sender("ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."), requestId);
      }
      long expiresAt = clock.instant().getEpochSecond() + duration;
      var issued = credentials.mint(TemporaryCredentials.Session.assumedRole(roleAccount, role.getString("RoleName"),
          role.getString("RoleId"), roleArn, session, sourceIdentity, tags, expiresAt));
      XmlWriter xml = credentialsXml(XmlWriter.document()
          .start("AssumeRoleResponse", StsQueryProtocol.XML_NAMESPACE)
          .start("AssumeRoleResult"), issued)
          .start("AssumedRoleUser")
          .element("AssumedRoleId", issued.session().userId())
          .element("Arn", issued.session().principalArn())
          .end();
      if (sourceIdentity != null) xml.element("SourceIdentity", sourceIdentity);
      String body = xml.end()
          .start("ResponseMetadata").element("RequestId", requestId).end()
          .end()
          .toString();
      return WireResponse.of(200, WireResponse.XML, body).withHeader("x-amzn-RequestId", requestId);
    });
  }

  /**
   * What IAM is asked: the caller, the actions the call needs of the trust policy and the
   * condition keys STS sets (sts:ExternalId, sts:RoleSessionName, sts:SourceIdentity, the session
   * tags as aws:RequestTag/key and aws:TagKeys).
   */
  private static JsonObject trustQuestion(String roleName, String roleArn, StsCaller caller, String session,
      Map<String, String> params, Map<String, String> tags) {
    JsonArray actions = new JsonArray().add("sts:AssumeRole");
    JsonObject keys = new JsonObject().put("sts:RoleSessionName", new JsonArray().add(session));
    if (params.get("ExternalId") != null) keys.put("sts:ExternalId", new JsonArray().add(params.get("ExternalId")));
    if (params.get("SourceIdentity") != null) {
      actions.add("sts:SetSourceIdentity");
      keys.put("sts:SourceIdentity", new JsonArray().add(params.get("SourceIdentity")));
    }
    if (!tags.isEmpty()) {
      actions.add("sts:TagSession");
      tags.forEach((k, v) -> keys.put("aws:RequestTag/" + k, new JsonArray().add(v)));
      keys.put("aws:TagKeys", new JsonArray(new ArrayList<>(tags.keySet())));
    }
    return new JsonObject().put("RoleName", roleName).put("RoleArn", roleArn).put("Caller", caller.arn())
        .put("Actions", actions).put("Context", keys)
        .put("IdentityAllows", !"false".equals(params.get(IDENTITY_ALLOWS_PARAMETER)));
  }

  private static ServiceError denied(String callerArn, String action, String roleArn) {
    return ServiceError.sender("AccessDenied", "User: " + callerArn + " is not authorized to perform: " + action
        + " on resource: " + roleArn);
  }

  private static XmlWriter credentialsXml(XmlWriter xml, TemporaryCredentials.Issued issued) {
    return xml.start("Credentials")
        .element("AccessKeyId", issued.accessKeyId())
        .element("SecretAccessKey", issued.secretAccessKey())
        .element("SessionToken", issued.sessionToken())
        .element("Expiration", Instant.ofEpochSecond(issued.expiresAt()).toString())
        .end();
  }
}
