package io.eventplane.functions.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.secret.TemporaryCredentials;
import io.eventplane.functions.domain.Function;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionCredentialsTest {
  private static final Instant NOW = Instant.parse("2026-12-05T20:00:00Z");
  private final TemporaryCredentials sealer = new TemporaryCredentials(new byte[32]);
  private final FunctionCredentials credentials = new FunctionCredentials(sealer, Clock.fixed(NOW, ZoneOffset.UTC));
  private final Function function = new Function("123456789012", "orders", "us-east-1", "java21",
      "arn:aws:iam::210987654321:role/service/order-worker", "io.Example::handle", "", 3, 128, Map.of(), null, "sha",
      1, 0, "rev", "x86_64", 512, Map.of(), null, null, 0, "AROAEXAMPLEROLEID1234");

  @Test
  void aRoleIamDidNotKnowGetsAStableIdOfIamsShape() {
    Function unknownRole = new Function("123456789012", "orders", "us-east-1", "java21", "arn:aws:iam::123456789012:role/nobody",
        "io.Example::handle", "", 3, 128, Map.of(), null, "sha", 1, 0, "rev", "x86_64", 512, Map.of(), null, null, 0, null);
    assertThat(credentials.session(unknownRole).userId()).matches("AROA[A-Z2-7]{17}:orders")
        .isEqualTo(credentials.session(unknownRole).userId());
  }

  @Test
  void eachInstanceGetsItsOwnSessionOfTheExecutionRoleNamedAfterTheFunction() {
    Map<String, String> env = credentials.environment(function);
    assertThat(env.get("AWS_ACCESS_KEY_ID")).matches("ASIA[A-Z2-7]{16}");
    assertThat(env.get("AWS_SECRET_ACCESS_KEY")).hasSize(40);
    assertThat(credentials.environment(function).get("AWS_ACCESS_KEY_ID")).isNotEqualTo(env.get("AWS_ACCESS_KEY_ID"));
    var opened = sealer.open(env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SESSION_TOKEN")).orElseThrow();
    assertThat(opened.secretAccessKey()).isEqualTo(env.get("AWS_SECRET_ACCESS_KEY"));
    var session = opened.session();
    assertThat(session.principalArn()).isEqualTo("arn:aws:sts::210987654321:assumed-role/order-worker/orders");
    assertThat(session.account()).as("the role's account").isEqualTo("210987654321");
    assertThat(session.userId()).isEqualTo("AROAEXAMPLEROLEID1234:orders");
    assertThat(session.roleArn()).isEqualTo(function.role());
    assertThat(session.expiresAt()).isEqualTo(NOW.plus(FunctionCredentials.LIFETIME).getEpochSecond());
    assertThat(FunctionCredentials.LIFETIME.minus(FunctionCredentials.SERVES_FOR).toMinutes())
        .as("an instance's last invocation (15 minutes at most) ends before its credentials").isGreaterThan(15);
  }
}
