package io.eventplane.gateway.authz;

import io.eventplane.common.bus.Caller;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What IAM's global condition keys say about one request, gathered once at the edge: where it came
 * from, over what, when, to which region, by whom.
 *
 * @param sourceIp the client's address as the gateway sees it (aws:SourceIp)
 * @param secureTransport whether it came over TLS (aws:SecureTransport)
 * @param now the request's time (aws:CurrentTime, aws:EpochTime)
 * @param region the region the request is signed for (aws:RequestedRegion)
 * @param userAgent the User-Agent header, or null (aws:UserAgent)
 */
public record RequestFacts(String sourceIp, boolean secureTransport, Instant now, String region, String userAgent) {

  /**
   * The request's condition context for the caller: the global keys above, aws:PrincipalType and
   * aws:userid (the engine adds aws:PrincipalArn, aws:PrincipalAccount, aws:username and
   * aws:PrincipalTag/*). One small map per request, shared by all its targets.
   */
  public Map<String, List<String>> conditionKeys(Caller caller) {
    Map<String, List<String>> keys = new HashMap<>(16);
    if (sourceIp != null) keys.put("aws:SourceIp", List.of(sourceIp));
    keys.put("aws:SecureTransport", List.of(Boolean.toString(secureTransport)));
    keys.put("aws:CurrentTime", List.of(now.toString()));
    keys.put("aws:EpochTime", List.of(Long.toString(now.getEpochSecond())));
    if (region != null) keys.put("aws:RequestedRegion", List.of(region));
    if (userAgent != null) keys.put("aws:UserAgent", List.of(userAgent));
    if (caller != null) {
      keys.put("aws:PrincipalType", List.of(principalType(caller.arn())));
      keys.put("aws:userid", List.of(caller.userId()));
      keys.put("aws:ViaAWSService", List.of("false"));
    }
    return keys;
  }

  /** aws:PrincipalType: Account (the root), User, AssumedRole or FederatedUser. */
  static String principalType(String arn) {
    if (arn.endsWith(":root")) return "Account";
    if (arn.contains(":assumed-role/")) return "AssumedRole";
    if (arn.contains(":federated-user/")) return "FederatedUser";
    return "User";
  }
}
