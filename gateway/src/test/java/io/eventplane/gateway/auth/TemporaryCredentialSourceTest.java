package io.eventplane.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.secret.TemporaryCredentials;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemporaryCredentialSourceTest {
  private static final long EXPIRES = 1_800_000_000L;
  private final TemporaryCredentials credentials = new TemporaryCredentials(new byte[32]);
  private final TemporaryCredentialSource source = new TemporaryCredentialSource(credentials);
  private final TemporaryCredentials.Issued issued = credentials.mint(TemporaryCredentials.Session.assumedRole("123456789012",
      "deployer", "AROAEXAMPLEROLEID1234", "arn:aws:iam::123456789012:role/deployer", "build-42", "", Map.of(), EXPIRES));

  @Test
  void aGoodTokenGivesTheSessionsSecretAndPrincipalAtOnce() {
    var answer = source.find(issued.accessKeyId(), issued.sessionToken(), EXPIRES - 1);
    assertThat(answer.isComplete()).isTrue();
    assertThat(answer.result()).isEqualTo(new KeyLookup.Found(issued.accessKeyId(), issued.secretAccessKey(), "123456789012",
        "arn:aws:sts::123456789012:assumed-role/deployer/build-42", "AROAEXAMPLEROLEID1234:build-42"));
  }

  @Test
  void anEndedSessionIsAnExpiredToken() {
    assertThat(source.lookup(issued.accessKeyId(), issued.sessionToken(), EXPIRES)).isSameAs(KeyLookup.EXPIRED_TOKEN);
  }

  @Test
  void tokensThatDoNotOpenAreUnknownKeys() {
    var other = credentials.mint(issued.session());
    String token = issued.sessionToken();
    char last = token.charAt(token.length() - 3);
    String tampered = token.substring(0, token.length() - 3) + (last == 'A' ? 'B' : 'A') + token.substring(token.length() - 2);
    byte[] otherKey = new byte[32];
    otherKey[0] = 9;
    assertThat(source.lookup(other.accessKeyId(), token, 0)).as("another key id").isSameAs(KeyLookup.UNKNOWN);
    assertThat(source.lookup(issued.accessKeyId(), tampered, 0)).as("tampered").isSameAs(KeyLookup.UNKNOWN);
    assertThat(new TemporaryCredentialSource(new TemporaryCredentials(otherKey)).lookup(issued.accessKeyId(), token, 0))
        .as("another credentials key").isSameAs(KeyLookup.UNKNOWN);
    assertThat(source.lookup(issued.accessKeyId(), null, 0)).as("no token").isSameAs(KeyLookup.UNKNOWN);
    assertThat(source.lookup("AKIA" + issued.accessKeyId().substring(4), token, 0)).as("not a temporary key")
        .isSameAs(KeyLookup.UNKNOWN);
  }
}
