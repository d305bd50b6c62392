package io.eventplane.common.secret;

import io.eventplane.common.config.EventplaneConfig;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * How a node's services sign the S3 requests they send to the gateway (Lambda reading a package,
 * Firehose and CloudTrail delivering objects). With a mode that verifies signatures they sign for
 * real as a session of the account's root ({@link InternalSigner}); with auth off nothing is
 * verified, and as before a request names its account by a twelve-digit key in its credential scope
 * or, unsigned, is the default account's.
 */
public final class GatewaySigner {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final InternalSigner signer;
  private final String defaultAccount;
  private final String defaultRegion;
  private final Clock clock;

  private GatewaySigner(InternalSigner signer, String defaultAccount, String defaultRegion, Clock clock) {
    this.signer = signer;
    this.defaultAccount = defaultAccount;
    this.defaultRegion = defaultRegion;
    this.clock = clock;
  }

  public static GatewaySigner of(EventplaneConfig config, Clock clock) {
    InternalSigner signer = config.authMode().verifiesSignatures() ? new InternalSigner(config.auth().credentialsKey(), clock) : null;
    return new GatewaySigner(signer, config.accountId(), config.region(), clock);
  }

  /** Auth off: unsigned, or a scope naming the account (the default for tests and tools). */
  public static GatewaySigner unverified(String defaultAccount, String defaultRegion) {
    return new GatewaySigner(null, defaultAccount, defaultRegion, Clock.systemUTC());
  }

  /** Headers that make a request to {@code uri} {@code account}'s, in {@code region}. */
  public Map<String, String> asAccount(String method, URI uri, String account, String region) {
    if (signer != null) return signer.s3Headers(method, uri, account, region);
    String stamp = STAMP.format(clock.instant());
    // Signatures are not verified: the credential scope names the account and region to act as.
    return Map.of("Authorization", "AWS4-HMAC-SHA256 Credential=" + account + "/" + stamp.substring(0, 8) + "/" + region
        + "/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=internal", "x-amz-date", stamp,
        "x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  }

  /** Headers that make a request the default account's: none with auth off (unsigned is the default account's). */
  public Map<String, String> asDefaultAccount(String method, URI uri) {
    return signer == null ? Map.of() : signer.s3Headers(method, uri, defaultAccount, defaultRegion);
  }
}
