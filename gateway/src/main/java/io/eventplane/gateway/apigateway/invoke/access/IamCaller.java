package io.eventplane.gateway.apigateway.invoke.access;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The caller of a route with AuthorizationType AWS_IAM, as far as Eventplane checks it today: the
 * access key of the request's SigV4 signature, from an {@code Authorization: AWS4-HMAC-SHA256
 * Credential=<key>/<date>/<region>/<service>/aws4_request, ...} header or a presigned URL's
 * {@code X-Amz-Algorithm=AWS4-HMAC-SHA256} and {@code X-Amz-Credential=<key>/...}. The signature
 * itself is not verified (keys and their secrets come with issue 17): a request without either
 * form gets API Gateway's 403 {@code {"message":"Missing Authentication Token"}}
 * ({@link #MISSING_TOKEN}), a signed one passes.
 *
 * <p>The caller's account follows the gateway's rule for SigV4 requests: an access key of twelve
 * digits names the account, any other key is the configured account's. The caller is reported as
 * that account's root user (AWS's shape for root credentials: {@code userArn}
 * {@code arn:aws:iam::<account>:root}, user and caller id the account id), as
 * {@code requestContext.authorizer.iam} for payload format 2.0 and {@code requestContext.identity}
 * for 1.0.
 *
 * @param accessKey the signature's access key id
 * @param accountId the caller's account
 */
public record IamCaller(String accessKey, String accountId) {
  /** API Gateway's answer to an unsigned request on an AWS_IAM route. */
  public static final Refusal MISSING_TOKEN = new Refusal(403, "Missing Authentication Token", Map.of());

  private static final String ALGORITHM = "AWS4-HMAC-SHA256";

  /**
   * The signer of the request, or null when it carries no SigV4 signature (header or presigned
   * query) naming an access key.
   *
   * @param defaultAccount the configured account, for access keys that do not name one
   */
  public static IamCaller of(AccessRequest request, String defaultAccount) {
    String key = null;
    String authorization = request.header("authorization");
    if (authorization != null && authorization.trim().startsWith(ALGORITHM + " ")) {
      key = accessKeyOf(credential(authorization.trim().substring(ALGORITHM.length() + 1)));
    }
    if (key == null) {
      Map<String, List<String>> query = request.queryParameters();
      List<String> algorithm = query.get("X-Amz-Algorithm");
      List<String> credential = query.get("X-Amz-Credential");
      if (algorithm != null && algorithm.contains(ALGORITHM) && credential != null && !credential.isEmpty()) {
        key = accessKeyOf(credential.get(0));
      }
    }
    if (key == null) return null;
    return new IamCaller(key, namesAccount(key) ? key : defaultAccount);
  }

  /** The route's verdict: the signer's identity for the integration, or {@link #MISSING_TOKEN}. */
  public static AccessDecision authorize(AccessRequest request, String defaultAccount) {
    IamCaller caller = of(request, defaultAccount);
    if (caller == null) return AccessDecision.refuse(MISSING_TOKEN);
    return AccessDecision.allow(new JsonObject().put("iam", caller.iam()),
        new JsonObject().putNull("claims").putNull("scopes"));
  }

  /** {@code requestContext.authorizer.iam} of payload format 2.0, as the HTTP API guide shows it. */
  public JsonObject iam() {
    return new JsonObject().put("accessKey", accessKey).put("accountId", accountId).put("callerId", accountId)
        .putNull("cognitoIdentity").putNull("principalOrgId").put("userArn", userArn()).put("userId", accountId);
  }

  /**
   * The members of payload format 1.0's {@code requestContext.identity} that a signature fills,
   * from the caller as {@link #iam()} describes it.
   */
  public static JsonObject identityOf(JsonObject iam) {
    return new JsonObject().put("accessKey", iam.getString("accessKey")).put("accountId", iam.getString("accountId"))
        .put("caller", iam.getString("callerId")).put("user", iam.getString("userId")).put("userArn", iam.getString("userArn"));
  }

  private String userArn() {
    return "arn:aws:iam::" + accountId + ":root";
  }

  /** The Credential value of an Authorization header's parameters, or null. */
  private static String credential(String parameters) {
    for (String part : parameters.split(",")) {
      String p = part.trim();
      if (p.startsWith("Credential=")) return p.substring("Credential=".length());
    }
    return null;
  }

  /** The access key of a credential {@code <key>/<date>/<region>/<service>/aws4_request}, or null. */
  private static String accessKeyOf(String credential) {
    if (credential == null) return null;
    int slash = credential.indexOf('/');
    if (slash < 0) return null;
    String key = credential.substring(0, slash).trim();
    return key.isEmpty() ? null : key;
  }

  private static boolean namesAccount(String key) {
    return key.length() == 12 && key.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
