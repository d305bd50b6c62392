package io.eventplane.gateway.apigateway.invoke.access;

import static io.eventplane.gateway.apigateway.invoke.access.Requests.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AWS_IAM routes before signatures are verified: which requests count as signed (an
 * {@code AWS4-HMAC-SHA256} Authorization header with a Credential, or a presigned query), the
 * caller's account from the access key, and the identity the integration sees.
 */
class IamCallerTest {
  private static final String DEFAULT_ACCOUNT = "000000000000";

  private static AccessRequest request(String query, String... headers) {
    return new AccessRequest(Requests.ACCOUNT, Requests.REGION, Requests.API, "prod", "GET /pets", "GET", "/pets",
        query, headers(headers), Map.of(), Map.of(), "203.0.113.7", "req-1", 1_700_000_000_123L, "localhost", "HTTP/1.1");
  }

  @Test
  void aSignatureHeaderNamesTheCaller() {
    IamCaller caller = IamCaller.of(request("", "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=ab"),
        DEFAULT_ACCOUNT);
    assertThat(caller).isEqualTo(new IamCaller("AKIDEXAMPLE", DEFAULT_ACCOUNT));
    IamCaller numeric = IamCaller.of(request("", "Authorization",
        "AWS4-HMAC-SHA256 Credential=123456789012/20260101/us-east-1/execute-api/aws4_request,SignedHeaders=host,Signature=ab"),
        DEFAULT_ACCOUNT);
    assertThat(numeric.accountId()).isEqualTo("123456789012");
    assertThat(numeric.iam()).isEqualTo(new JsonObject().put("accessKey", "123456789012").put("accountId", "123456789012")
        .put("callerId", "123456789012").putNull("cognitoIdentity").putNull("principalOrgId")
        .put("userArn", "arn:aws:iam::123456789012:root").put("userId", "123456789012"));
    assertThat(IamCaller.identityOf(numeric.iam())).isEqualTo(new JsonObject().put("accessKey", "123456789012")
        .put("accountId", "123456789012").put("caller", "123456789012").put("user", "123456789012")
        .put("userArn", "arn:aws:iam::123456789012:root"));
  }

  @Test
  void aPresignedQueryNamesTheCaller() {
    IamCaller caller = IamCaller.of(request("X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential=AKIDEXAMPLE%2F20260101%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-Signature=ab"),
        DEFAULT_ACCOUNT);
    assertThat(caller).isEqualTo(new IamCaller("AKIDEXAMPLE", DEFAULT_ACCOUNT));
  }

  @Test
  void anythingElseIsMissingTheToken() {
    for (AccessRequest unsigned : new AccessRequest[] {
        request(""),
        request("", "Authorization", "Bearer abc"),
        request("", "Authorization", "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab"),
        request("", "Authorization", "AWS4-HMAC-SHA256 Credential=/20260101/us-east-1/execute-api/aws4_request"),
        request("", "Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE"),
        request("", "Authorization", "AWS AKIDEXAMPLE:signature"),
        request("X-Amz-Credential=AKIDEXAMPLE%2F20260101%2Fus-east-1%2Fexecute-api%2Faws4_request"),
        request("X-Amz-Algorithm=AWS4-HMAC-SHA256")}) {
      assertThat(IamCaller.of(unsigned, DEFAULT_ACCOUNT)).as(unsigned.headers() + " " + unsigned.rawQueryString()).isNull();
      AccessDecision decision = IamCaller.authorize(unsigned, DEFAULT_ACCOUNT);
      assertThat(decision.allowed()).isFalse();
      assertThat(decision.refusal().status()).isEqualTo(403);
      assertThat(decision.refusal().body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
    }
  }
}
