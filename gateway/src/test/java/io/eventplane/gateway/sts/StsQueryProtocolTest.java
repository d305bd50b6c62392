package io.eventplane.gateway.sts;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StsQueryProtocolTest {
  private final RequestContext context = new RequestContext("123456789012", "us-east-1", "r1", "http://localhost:4566");
  private static final String ROLE = "arn:aws:iam::123456789012:role/deployer";

  @Test
  void getCallerIdentityIsTheAccountRoot() {
    WireResponse reply = StsQueryProtocol.handle("GetCallerIdentity", Map.of(), context, null).result();
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("<?xml version=\"1.0\"?>"
        + "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
        + "<Arn>arn:aws:iam::123456789012:root</Arn><UserId>123456789012</UserId><Account>123456789012</Account>"
        + "</GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>"
        + "</GetCallerIdentityResponse>");
  }

  @Test
  void actionsNotOfferedAreInvalid() {
    WireResponse reply = StsQueryProtocol.handle("GetFederationToken", Map.of(), context, null).result();
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body()).contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
        .contains("<Code>InvalidAction</Code>");
    assertThat(StsQueryProtocol.isAction("AssumeRole")).isTrue();
    assertThat(StsQueryProtocol.isAction("SendMessage")).isFalse();
  }

  /** One AssumeRole input and STS's answer to it (recorded against AWS: test_sts_invalid_parameters and others). */
  record Refusal(String roleArn, String session, String duration, String message) {}

  @Test
  void assumeRoleInputRulesAreStssWithItsWording() {
    List<Refusal> table = List.of(
        new Refusal("nothing-valid-in-here", "s1", null, "nothing-valid-in-here is invalid"),
        new Refusal("arn::b:::something/test-role", "s1", null, "arn::b:::something/test-role is invalid"),
        new Refusal("arn:a::::something/test-role", "s1", null, "arn:a::::something/test-role is invalid"),
        new Refusal("arn:a:::something/test-role", "s1", null, "arn:a:::something/test-role is invalid"),
        new Refusal("arn:a:a::aaaaaaaaaa:", "s1", null, "arn:a:a::aaaaaaaaaa: is invalid"),
        new Refusal(ROLE, "Session1:2", null, "1 validation error detected: Value 'Session1:2' at 'roleSessionName' "
            + "failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
        new Refusal(ROLE, "s".repeat(65), null, "1 validation error detected: Value '" + "s".repeat(65)
            + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64"),
        new Refusal(ROLE, "s1", "899", "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy "
            + "constraint: Member must have value greater than or equal to 900"));
    for (Refusal row : table) {
      ServiceError error = StsQueryProtocol.invalidAssumeRole(row.roleArn(), row.session(), row.duration());
      assertThat(error).as(row.toString()).isNotNull();
      assertThat(error.code()).as(row.toString()).isEqualTo("ValidationError");
      assertThat(error.message()).as(row.toString()).isEqualTo(row.message());
      WireResponse wire = StsQueryProtocol.error(error, "r1");
      assertThat(wire.status()).isEqualTo(400);
      assertThat(wire.body()).contains("<Type>Sender</Type>").contains("<Code>ValidationError</Code>");
    }
    assertThat(StsQueryProtocol.invalidAssumeRole(ROLE, "s1", "3600")).isNull();
  }
}
