package io.eventplane.common.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemporaryCredentialsTest {
  private static final byte[] KEY = new byte[32];
  private final TemporaryCredentials credentials = new TemporaryCredentials(KEY);

  private static TemporaryCredentials.Session role(Map<String, String> tags) {
    return TemporaryCredentials.Session.assumedRole("123456789012", "deployer", "AROAEXAMPLEROLEID1234",
        "arn:aws:iam::123456789012:role/ci/deployer", "build-42", "alice", tags, 1_800_000_000L);
  }

  @Test
  void aTokenCarriesItsSessionAndSecretSealed() {
    TemporaryCredentials.Issued issued = credentials.mint(role(Map.of("team", "blue")));
    assertThat(issued.accessKeyId()).matches("ASIA[A-Z2-7]{16}");
    assertThat(issued.secretAccessKey()).hasSize(40);
    assertThat(issued.sessionToken()).as("printable, sent in a header").matches("[A-Za-z0-9+/=]+")
        .doesNotContain("deployer").doesNotContain(issued.secretAccessKey());
    assertThat(issued.sessionToken().length()).as("about AWS's size").isBetween(300, 1000);
    assertThat(issued.toString()).doesNotContain(issued.secretAccessKey());

    TemporaryCredentials.Opened opened = credentials.open(issued.accessKeyId(), issued.sessionToken()).orElseThrow();
    assertThat(opened.secretAccessKey()).isEqualTo(issued.secretAccessKey());
    assertThat(opened.session()).isEqualTo(role(Map.of("team", "blue")));
    assertThat(opened.session().principalArn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/deployer/build-42");
    assertThat(opened.session().userId()).isEqualTo("AROAEXAMPLEROLEID1234:build-42");
    assertThat(opened.session().isRole()).isTrue();
    assertThat(opened.toString()).doesNotContain(issued.secretAccessKey());
  }

  @Test
  void sessionTokensOfUsersAndRootKeepTheirIdentity() {
    var session = TemporaryCredentials.Session.sessionToken("123456789012", "arn:aws:iam::123456789012:user/ops/alice",
        "AIDAEXAMPLEUSERID123", 1_800_000_000L);
    var issued = credentials.mint(session);
    var opened = credentials.open(issued.accessKeyId(), issued.sessionToken()).orElseThrow();
    assertThat(opened.session()).isEqualTo(session);
    assertThat(opened.session().isRole()).isFalse();
    assertThat(opened.session().roleArn()).isEmpty();
  }

  @Test
  void expiryIsTheSessionsEnd() {
    var session = role(Map.of());
    assertThat(session.expired(1_800_000_000L - 1)).isFalse();
    assertThat(session.expired(1_800_000_000L)).isTrue();
  }

  @Test
  void tokensNotOursChangedOrForAnotherKeyOpenToNothing() {
    var issued = credentials.mint(role(Map.of()));
    var other = credentials.mint(role(Map.of()));
    assertThat(credentials.open(other.accessKeyId(), issued.sessionToken())).as("another key id").isEmpty();
    byte[] otherKey = new byte[32];
    otherKey[31] = 7;
    assertThat(new TemporaryCredentials(otherKey).open(issued.accessKeyId(), issued.sessionToken()))
        .as("another credentials key").isEmpty();
    String token = issued.sessionToken();
    String prefix = token.substring(0, 13);
    byte[] sealed = Base64.getDecoder().decode(token.substring(13));
    for (int i = 0; i < sealed.length; i += 7) {
      byte[] changed = sealed.clone();
      changed[i] ^= 0x10;
      assertThat(credentials.open(issued.accessKeyId(), prefix + Base64.getEncoder().encodeToString(changed)))
          .as("byte %d changed", i).isEmpty();
    }
    assertThat(credentials.open(issued.accessKeyId(), token.substring(0, token.length() - 4))).as("cut short").isEmpty();
    assertThat(credentials.open(issued.accessKeyId(), "FwoGZXIvYXdzE%%%notbase64")).isEmpty();
    assertThat(credentials.open(issued.accessKeyId(), "IQoJb3JpZ2luX2VjE...someone else's")).isEmpty();
    assertThat(credentials.open(issued.accessKeyId(), null)).isEmpty();
    assertThat(credentials.open(null, token)).isEmpty();
  }

  @Test
  void manySessionTagsStillMakeAHeaderSizedToken() {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) tags.put("key-" + i, "value-" + i);
    var issued = credentials.mint(role(tags));
    assertThat(issued.sessionToken().length()).isLessThan(4096);
    assertThat(credentials.open(issued.accessKeyId(), issued.sessionToken()).orElseThrow().session().tags())
        .containsExactlyEntriesOf(tags);
  }

  @Test
  void onlyAsiaKeysAreTemporary() {
    assertThat(TemporaryCredentials.isTemporaryKeyId("ASIAEXAMPLE")).isTrue();
    assertThat(TemporaryCredentials.isTemporaryKeyId("AKIAEXAMPLE")).isFalse();
    assertThat(TemporaryCredentials.isTemporaryKeyId(null)).isFalse();
  }
}
