package io.eventplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.config.EventplaneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthStartupTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  @Test
  void aVerifyingModeWithoutAnAdminKeyIsRefusedInOneLineNamingTheWaysOut() {
    String explicit = AuthStartup.refusal(ConfigLoader.load(new String[] {"--auth", "sigv4"}, Map.of()));
    assertThat(explicit).isEqualTo("auth sigv4 needs an admin key: give --admin-access-key-id/--admin-secret-access-key "
        + "(env EVENTPLANE_ADMIN_ACCESS_KEY_ID/EVENTPLANE_ADMIN_SECRET_ACCESS_KEY), or start with --auth off");
    assertThat(AuthStartup.refusal(ConfigLoader.load(new String[] {"--auth", "iam"}, Map.of()))).startsWith("auth iam needs");
    String defaulted = AuthStartup.refusal(ConfigLoader.load(new String[] {"--bind", "0.0.0.0"}, Map.of()));
    assertThat(defaulted).startsWith("auth defaults to sigv4 when bound to 0.0.0.0 needs an admin key")
        .contains("--admin-access-key-id/--admin-secret-access-key").contains("--auth off").doesNotContain("\n");
    assertThat(AuthStartup.refusal(ConfigLoader.load(new String[] {"--cluster"}, Map.of()))).contains("in a cluster");
  }

  @Test
  void offOrAnAdminKeyStarts() {
    assertThat(AuthStartup.refusal(ConfigLoader.load(new String[0], Map.of()))).isNull();
    assertThat(AuthStartup.refusal(ConfigLoader.load(new String[] {"--bind", "0.0.0.0", "--auth", "off"}, Map.of()))).isNull();
    assertThat(AuthStartup.refusal(ConfigLoader.load(new String[] {"--bind", "0.0.0.0"}, Map.of(
        "EVENTPLANE_ADMIN_ACCESS_KEY_ID", "ADMINKEY00000001", "EVENTPLANE_ADMIN_SECRET_ACCESS_KEY", SECRET)))).isNull();
  }

  @Test
  void theLogSaysTheModeAndTheKeyIdNeverTheSecret() {
    EventplaneConfig keyed = ConfigLoader.load(new String[] {"--auth", "sigv4", "--admin-access-key-id", "ADMINKEY00000001",
        "--admin-secret-access-key", SECRET}, Map.of());
    assertThat(AuthStartup.modeLine(keyed)).isEqualTo("authentication: sigv4, admin access key id ADMINKEY00000001");
    assertThat(AuthStartup.modeLine(ConfigLoader.load(new String[0], Map.of()))).isEqualTo("authentication: off (default)");
    assertThat(AuthStartup.warning(keyed)).isNull();
  }

  @Test
  void offOnANonLoopbackAddressIsWarnedAbout() {
    assertThat(AuthStartup.warning(ConfigLoader.load(new String[] {"--bind", "0.0.0.0", "--auth", "off"}, Map.of())))
        .startsWith("auth is off on 0.0.0.0: anyone who reaches this address");
    assertThat(AuthStartup.warning(ConfigLoader.load(new String[] {"--bind", "127.0.0.1", "--auth", "off"}, Map.of()))).isNull();
  }

  @Test
  void theEmbeddedServerRefusesBeforeOpeningAnything(@TempDir Path dir) {
    EventplaneConfig config = ConfigLoader.load(new String[] {"--auth", "sigv4", "--port", "0", "--data-dir",
        dir.resolve("data").toString()}, Map.of());
    assertThatThrownBy(() -> EventplaneServer.start(config, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("auth sigv4 needs an admin key");
    assertThat(Files.exists(dir.resolve("data"))).isFalse();
  }
}
