package io.eventplane.common.bus;

import java.util.Objects;

/**
 * Who is calling and how they reached us.
 *
 * @param baseUrl scheme, host and port the client used (from the Host header or the configured
 *     external URL), for URLs handed back such as queue URLs
 * @param caller the verified signer, or null when signatures are not verified (auth off) or the
 *     call is made by Eventplane itself
 */
public record RequestContext(String accountId, String region, String requestId, String baseUrl, Caller caller) {
  public RequestContext {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(baseUrl, "baseUrl");
  }

  /** A call with no verified signer. */
  public RequestContext(String accountId, String region, String requestId, String baseUrl) {
    this(accountId, region, requestId, baseUrl, null);
  }

  public RequestContext withCaller(Caller c) {
    return new RequestContext(accountId, region, requestId, baseUrl, c);
  }
}
