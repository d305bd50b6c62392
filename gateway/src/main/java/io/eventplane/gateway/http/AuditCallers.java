package io.eventplane.gateway.http;

import io.eventplane.common.audit.AuditCaller;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** The caller of a request as a CloudTrail record names it: access key, source address, user agent. */
final class AuditCallers {
  private AuditCallers() {}

  static AuditCaller of(HttpServerRequest request) {
    String key = CredentialScope.of(request).map(CredentialScope::accessKeyId).orElse(null);
    SocketAddress remote = request.remoteAddress();
    String ip = remote == null ? null : remote.hostAddress();
    return new AuditCaller(key, ip, request.getHeader("User-Agent"));
  }
}
