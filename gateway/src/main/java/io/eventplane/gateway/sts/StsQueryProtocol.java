package io.eventplane.gateway.sts;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.secret.TemporaryCredentials;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.QueryBinding;
import io.eventplane.gateway.error.ErrorTable;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The part of STS that SDKs and tools call to learn who they are and to take on a role: the Query
 * binding, STS's errors and its input rules. Answered in the gateway ({@link StsAnswers}, given the
 * node's credentials key and clock by the Query route): temporary credentials carry their session
 * sealed in the token, so any node knows who signs with them.
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
  private static final Pattern SERIAL_NUMBER = Pattern.compile("[\\w+=/:,.@-]*");
  private static final Pattern TOKEN_CODE = Pattern.compile("[\\d]*");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]*");
  private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
  private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
  private static final int MAX_SESSION_TAGS = 50;

  /** Answers with the development credentials key and the system clock until the route gives the node's. */
  private static final StsAnswers UNCONFIGURED = new StsAnswers(
      new TemporaryCredentials(io.eventplane.common.config.AuthSettings.defaults().credentialsKey()), Clock.systemUTC());

  public static final QueryBinding BINDING = new QueryBinding("sts", API_VERSION, XML_NAMESPACE, null, null,
      ERRORS, true, Map.of(), (action, params, path, baseUrl) -> new JsonObject(), null, UNCONFIGURED);

  private StsQueryProtocol() {}

  public static boolean isAction(String action) {
    return action != null && ACTIONS.contains(action);
  }

  /** The actions a request may name here. */
  public static Set<String> actions() {
    return ACTIONS;
  }

  /** An STS call answered with the development credentials key; {@code bus} reaches IAM for AssumeRole. */
  public static Future<WireResponse> handle(String action, Map<String, String> params, RequestContext context,
      BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    return UNCONFIGURED.answer(action, params, context, bus);
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

  static ServiceError expired() {
    return ServiceError.sender("ExpiredToken", "The security token included in the request is expired");
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

  /**
   * The first rule AssumeRole's optional members break (botocore's STS model): ExternalId,
   * SourceIdentity, the session Tags and TransitiveTagKeys; null when none.
   */
  static ServiceError invalidAssumeRoleExtras(Map<String, String> params) {
    String externalId = params.get("ExternalId");
    if (externalId != null) {
      if (externalId.length() < 2) return validation(externalId, "externalId", "Member must have length greater than or equal to 2");
      if (externalId.length() > 1224) {
        return validation(externalId, "externalId", "Member must have length less than or equal to 1224");
      }
      if (!EXTERNAL_ID.matcher(externalId).matches()) {
        return validation(externalId, "externalId", "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
      }
    }
    String sourceIdentity = params.get("SourceIdentity");
    if (sourceIdentity != null) {
      if (sourceIdentity.length() < 2) {
        return validation(sourceIdentity, "sourceIdentity", "Member must have length greater than or equal to 2");
      }
      if (sourceIdentity.length() > 64) {
        return validation(sourceIdentity, "sourceIdentity", "Member must have length less than or equal to 64");
      }
      if (!SESSION_NAME.matcher(sourceIdentity).matches()) {
        return validation(sourceIdentity, "sourceIdentity", "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
      }
    }
    int count = 0;
    for (int n = 1; params.containsKey("Tags.member." + n + ".Key") || params.containsKey("Tags.member." + n + ".Value"); n++) {
      count = n;
      String key = params.get("Tags.member." + n + ".Key");
      String value = params.get("Tags.member." + n + ".Value");
      String at = "tags." + n + ".member.";
      if (key == null) return missing(at + "key");
      if (value == null) return missing(at + "value");
      if (key.isEmpty()) return validation(key, at + "key", "Member must have length greater than or equal to 1");
      if (key.length() > 128) return validation(key, at + "key", "Member must have length less than or equal to 128");
      if (!TAG_KEY.matcher(key).matches()) {
        return validation(key, at + "key", "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
      }
      if (value.length() > 256) return validation(value, at + "value", "Member must have length less than or equal to 256");
      if (!TAG_VALUE.matcher(value).matches()) {
        return validation(value, at + "value", "Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
      }
    }
    if (count > MAX_SESSION_TAGS) {
      return ServiceError.sender("ValidationError", "1 validation error detected: Value at 'tags' failed to satisfy constraint: "
          + "Member must have length less than or equal to " + MAX_SESSION_TAGS);
    }
    return null;
  }

  /** AssumeRole's session tags ({@code Tags.member.N.Key/Value}), in the order given. */
  static Map<String, String> sessionTags(Map<String, String> params) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int n = 1; params.containsKey("Tags.member." + n + ".Key"); n++) {
      tags.put(params.get("Tags.member." + n + ".Key"), params.getOrDefault("Tags.member." + n + ".Value", ""));
    }
    return tags;
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

  public static WireResponse error(ServiceError error, String requestId) {
    return BINDING.error(error, requestId);
  }
}
