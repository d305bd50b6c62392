package io.eventplane.gateway.auth;

import java.util.Map;

/**
 * The signature of a browser upload's form (S3 POST Object with Signature Version 4, as the S3 API
 * Reference's "Authenticating Requests in Browser-Based Uploads Using POST" describes): the form
 * names its key in {@code x-amz-credential} ({@code <key id>/<date>/<region>/s3/aws4_request}),
 * the algorithm in {@code x-amz-algorithm}, the time in {@code x-amz-date}, temporary credentials'
 * token in {@code x-amz-security-token}, and signs its base64 {@code policy} field itself:
 * {@code x-amz-signature = hex(HMAC(signing key, policy))}. The policy's expiry and conditions are
 * the service's to check ({@code PostPolicy}); this is the question of who signed it.
 */
public final class PostFormSignature {
  private PostFormSignature() {}

  /**
   * What the form says about its signature: the key to look up, or the S3 error that refuses it.
   *
   * @param code null when the form is well formed
   */
  public record Form(String accessKeyId, String sessionToken, String date, String region, String service, String policy,
      String signature, String code, String message, String argument) {
    public boolean wellFormed() {
      return code == null;
    }
  }

  /**
   * Reads the form's signature fields.
   *
   * @param fields the form's fields by lower-cased name (the first of a repeated one)
   */
  public static Form read(Map<String, String> fields) {
    String policy = fields.get("policy");
    if (policy == null) return refused("AccessDenied", "Access Denied", null);
    for (String name : new String[] {"x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"}) {
      if (fields.get(name) == null) {
        return refused("InvalidArgument", "Bucket POST must contain a field named '" + name + "'.  If it is specified, "
            + "please check the order of the fields.", name);
      }
    }
    if (!SignatureParts.ALGORITHM.equals(fields.get("x-amz-algorithm"))) {
      return refused("InvalidArgument", "Only AWS4-HMAC-SHA256 is supported as the signing algorithm.", "x-amz-algorithm");
    }
    String[] scope = fields.get("x-amz-credential").split("/", -1);
    if (scope.length != 5 || scope[0].isEmpty() || !scope[4].equals("aws4_request") || scope[1].length() != 8) {
      return refused("InvalidArgument", "Invalid argument.", "x-amz-credential");
    }
    if (!scope[3].equals("s3")) {
      return refused("InvalidArgument", "Credential should be scoped to correct service: 's3'.", "x-amz-credential");
    }
    String date = fields.get("x-amz-date");
    if (Times.parseBasic(date) == Long.MIN_VALUE || !date.startsWith(scope[1])) {
      return refused("InvalidArgument", "Invalid argument.", "x-amz-date");
    }
    return new Form(scope[0], fields.get("x-amz-security-token"), scope[1], scope[2], scope[3], policy,
        fields.get("x-amz-signature"), null, null, null);
  }

  /**
   * Whether the key the lookup found signed the form's policy: the key, or null when the signature
   * does not match (S3's SignatureDoesNotMatch).
   */
  public static KeyLookup.Found verify(Form form, KeyLookup.Found key) {
    byte[] signingKey = SigningKeys.derive(key.secretAccessKey(), form.date(), form.region(), form.service());
    String computed = Crypto.hex(Crypto.hmac(signingKey, form.policy()));
    return Crypto.signatureMatches(computed, form.signature()) ? key : null;
  }

  private static Form refused(String code, String message, String argument) {
    return new Form(null, null, null, null, null, null, null, code, message, argument);
  }
}
