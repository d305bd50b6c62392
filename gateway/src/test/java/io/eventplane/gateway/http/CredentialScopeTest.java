package io.eventplane.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialScopeTest {
  @Test
  void readsRegionAndServiceFromTheAuthorizationHeader() {
    String header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/eu-west-3/sqs/aws4_request, "
        + "SignedHeaders=host;x-amz-date, Signature=abc";
    assertThat(CredentialScope.fromAuthorization(header)).contains(new CredentialScope("AKIDEXAMPLE", "eu-west-3", "sqs"));
  }

  @Test
  void ignoresWhatIsNotASigV4Scope() {
    assertThat(CredentialScope.fromAuthorization(null)).isEmpty();
    assertThat(CredentialScope.fromAuthorization("Basic dXNlcjpwdw==")).isEmpty();
    assertThat(CredentialScope.parse("AKID/20240101/us-east-1/sqs")).isEmpty();
    assertThat(CredentialScope.parse("AKID/20240101/US EAST/sqs/aws4_request")).isEmpty();
    assertThat(CredentialScope.parse("AKID/20240101/us-east-1/sts/aws4_request"))
        .isEqualTo(Optional.of(new CredentialScope("AKID", "us-east-1", "sts")));
  }

  @Test
  void aTwelveDigitAccessKeyNamesItsAccount() {
    assertThat(CredentialScope.parse("111122223333/20240101/us-east-1/sqs/aws4_request").orElseThrow().namesAccount()).isTrue();
    assertThat(CredentialScope.parse("test/20240101/us-east-1/sqs/aws4_request").orElseThrow().namesAccount()).isFalse();
    assertThat(CredentialScope.parse("1111222233334/20240101/us-east-1/sqs/aws4_request").orElseThrow().namesAccount()).isFalse();
  }
}
