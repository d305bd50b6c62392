package io.eventplane.gateway.sts;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.gateway.WireResponse;
import org.junit.jupiter.api.Test;

class StsQueryProtocolTest {
  private final RequestContext context = new RequestContext("123456789012", "us-east-1", "r1", "http://localhost:4566");

  @Test
  void getCallerIdentityIsTheAccountRoot() {
    WireResponse reply = StsQueryProtocol.handle("GetCallerIdentity", context);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("<?xml version=\"1.0\"?>"
        + "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
        + "<Arn>arn:aws:iam::123456789012:root</Arn><UserId>123456789012</UserId><Account>123456789012</Account>"
        + "</GetCallerIdentityResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>"
        + "</GetCallerIdentityResponse>");
  }

  @Test
  void otherActionsAreInvalid() {
    WireResponse reply = StsQueryProtocol.handle("AssumeRole", context);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body()).contains("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
        .contains("<Code>InvalidAction</Code>");
    assertThat(StsQueryProtocol.isAction("AssumeRole")).isTrue();
    assertThat(StsQueryProtocol.isAction("SendMessage")).isFalse();
  }
}
