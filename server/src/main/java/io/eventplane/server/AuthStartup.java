package io.eventplane.server;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.common.config.EventplaneConfig;

/**
 * What a node checks and says about authentication before it starts: a mode that verifies
 * signatures needs the admin key (else no request could ever be signed acceptably, not even the
 * first CreateUser), and a node that answers anyone on the network without checking signatures
 * says so. Never prints a secret.
 */
final class AuthStartup {
  private AuthStartup() {}

  /** Why the node must not start with this configuration, in one line; null when it may. */
  static String refusal(EventplaneConfig config) {
    AuthMode mode = config.authMode();
    if (!mode.verifiesSignatures() || config.auth().hasAdminKey()) return null;
    String why = config.auth().modeDefaulted()
        ? "auth defaults to " + name(mode) + " when bound to " + config.bind()
            + (config.cluster().enabled() ? " in a cluster" : "")
        : "auth " + name(mode);
    return why + " needs an admin key: give --admin-access-key-id/--admin-secret-access-key "
        + "(env EVENTPLANE_ADMIN_ACCESS_KEY_ID/EVENTPLANE_ADMIN_SECRET_ACCESS_KEY), or start with --auth off";
  }

  /** The mode in force, for the start-up log: the admin key's id, never its secret. */
  static String modeLine(EventplaneConfig config) {
    AuthMode mode = config.authMode();
    AuthSettings auth = config.auth();
    String line = "authentication: " + name(mode) + (auth.modeDefaulted() ? " (default)" : "");
    if (mode.verifiesSignatures()) line += ", admin access key id " + auth.adminAccessKeyId();
    return line;
  }

  /** The warning of a node that checks no signature on an address others can reach; null otherwise. */
  static String warning(EventplaneConfig config) {
    if (config.authMode().verifiesSignatures() || AuthSettings.isLoopback(config.bind())) return null;
    return "auth is off on " + config.bind() + ": anyone who reaches this address can call every API as any account "
        + "(use --auth sigv4 with an admin key to require signatures)";
  }

  private static String name(AuthMode mode) {
    return mode.name().toLowerCase(java.util.Locale.ROOT);
  }
}
