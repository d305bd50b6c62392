package io.eventplane.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialsTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  private final List<String> asked = new ArrayList<>();
  private final KeyLookup.Found temporaryKey = new KeyLookup.Found("t", "ts", "111111111111",
      "arn:aws:sts::111111111111:assumed-role/r/s", "AROA:s");
  private final KeyLookup.Found storedKey = new KeyLookup.Found("s", "ss", "222222222222",
      "arn:aws:iam::222222222222:user/alice", "AIDAALICE");
  private final CredentialSource temporary = (id, token, now) -> {
    asked.add("temporary " + id + " " + token);
    return Future.succeededFuture(temporaryKey);
  };
  private final CredentialSource stored = (id, token, now) -> {
    asked.add("stored " + id);
    return Future.succeededFuture(storedKey);
  };

  private Credentials credentials(AuthSettings settings) {
    return new Credentials(settings, "000000000000", temporary, stored);
  }

  @Test
  void theAdminKeyIsTheDefaultAccountsRootAndAnsweredAtOnce() {
    Credentials c = credentials(AuthSettings.defaults().withMode(AuthMode.SIGV4).withAdminKey("EPADMINKEY000000001", SECRET));
    Future<KeyLookup.Answer> found = c.find("EPADMINKEY000000001", null, 0);
    assertThat(found.isComplete()).isTrue();
    assertThat(found.result()).isEqualTo(new KeyLookup.Found("admin:EPADMINKEY000000001", SECRET, "000000000000",
        "arn:aws:iam::000000000000:root", "000000000000"));
    assertThat(c.find("EPADMINKEY000000001", null, 5)).isSameAs(found);
    assertThat(asked).isEmpty();
    assertThat(found.result().toString()).doesNotContain(SECRET);
  }

  @Test
  void sessionKeysGoToTheTemporarySourceAndOtherKeysToTheStoredOne() {
    Credentials c = credentials(AuthSettings.defaults().withMode(AuthMode.SIGV4).withAdminKey("EPADMINKEY000000001", SECRET));
    assertThat(c.find("ASIAEXAMPLE000000001", "token", 0).result()).isSameAs(temporaryKey);
    assertThat(c.find("AKIAEXAMPLE000000001", "token", 0).result()).isSameAs(temporaryKey);
    assertThat(c.find("ASIAEXAMPLE000000002", null, 0).result()).isSameAs(temporaryKey);
    assertThat(c.find("AKIAEXAMPLE000000001", null, 0).result()).isSameAs(storedKey);
    assertThat(asked).containsExactly("temporary ASIAEXAMPLE000000001 token", "temporary AKIAEXAMPLE000000001 token",
        "temporary ASIAEXAMPLE000000002 null", "stored AKIAEXAMPLE000000001");
  }

  @Test
  void withoutAnAdminKeyEveryKeyIsLookedUpAndNoneKnowsNone() {
    assertThat(credentials(AuthSettings.defaults()).find("EPADMINKEY000000001", null, 0).result()).isSameAs(storedKey);
    assertThat(Credentials.NONE.find("AKIAEXAMPLE000000001", null, 0).result()).isEqualTo(KeyLookup.UNKNOWN);
  }
}
