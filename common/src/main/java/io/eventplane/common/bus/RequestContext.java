package io.eventplane.common.bus;

import java.util.Objects;

/**
 * Who is calling and how they reached us.
 *
 * @param baseUrl scheme, host and port the client used (from the Host header or the configured
 *     external URL), for URLs handed back such as queue URLs
 */
public record RequestContext(String accountId, String region, String requestId, String baseUrl) {
  public RequestContext {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(baseUrl, "baseUrl");
  }
}
