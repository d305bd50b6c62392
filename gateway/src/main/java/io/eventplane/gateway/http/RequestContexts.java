package io.eventplane.gateway.http;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.id.Ids;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * Builds the {@link RequestContext} of each API call: the region is the signature's credential
 * scope (else the configured one), the account is the access key id when it is twelve digits (else
 * the configured default account).
 */
final class RequestContexts {
  /** Host[:port] as clients write it, IPv6 literals included; anything else is not echoed into URLs. */
  private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?");

  private final EventplaneConfig config;
  private final IntSupplier actualPort;

  RequestContexts(EventplaneConfig config, IntSupplier actualPort) {
    this.config = config;
    this.actualPort = actualPort;
  }

  RequestContext create(HttpServerRequest request, Optional<CredentialScope> scope) {
    String region = scope.map(CredentialScope::region).orElseGet(() -> {
      // An unsigned request to a region-style queue URL's host is in the region the host names.
      String named = io.eventplane.gateway.sqs.SqsQueryProtocol.regionOfHost(request.getHeader("Host"));
      return named != null ? named : config.region();
    });
    String account = scope.filter(CredentialScope::namesAccount).map(CredentialScope::accessKeyId).orElse(config.accountId());
    return new RequestContext(account, region, Ids.uuid(), baseUrl(request.getHeader("Host")));
  }

  /**
   * The configured external URL if any, else what the client dialled (its Host header) so queue
   * URLs handed back work through any name, port or proxy; else our own address.
   */
  String baseUrl(String hostHeader) {
    String external = config.externalBaseUrl();
    if (external != null && !external.isBlank()) {
      return external.endsWith("/") ? external.substring(0, external.length() - 1) : external;
    }
    if (hostHeader != null && HOST.matcher(hostHeader).matches()) return "http://" + hostHeader;
    String host = config.bind().equals("0.0.0.0") || config.bind().equals("::") ? "localhost" : config.bind();
    if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
    return "http://" + host + ":" + actualPort.getAsInt();
  }
}
