package io.eventplane.gateway.console;

import io.eventplane.common.audit.AuditCaller;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.gateway.binding.ProtocolBinding;
import io.vertx.core.Future;

/**
 * How the console reaches the services: the gateway's own path for a client's call (lanes, the
 * owner node, the audit trail, the API metrics), so what the console does is recorded and counted
 * like an SDK's call, and it never reads storage itself.
 */
public interface ConsoleCalls {
  /** A client call to a service: routed, audited and metered as the gateway does for an SDK. */
  Future<ApiReply> call(ProtocolBinding service, ApiRequest request, AuditCaller caller);

  /** A call to this node's own endpoints (health, cluster). */
  Future<ApiReply> node(String address, ApiRequest request);
}
