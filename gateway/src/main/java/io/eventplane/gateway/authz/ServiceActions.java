package io.eventplane.gateway.authz;

import io.eventplane.common.bus.RequestContext;
import java.util.List;
import java.util.Set;

/**
 * One service's page of the Service Authorization Reference, as code: for each operation the
 * gateway serves, the actions it needs and on which resources, built from the call's input and the
 * caller's account and region.
 */
public interface ServiceActions {
  /** The service's SigV4 signing name, as its {@code ProtocolBinding} gives it. */
  String signingName();

  /** The operations this table knows. */
  Set<String> operations();

  /**
   * What the call needs: one target per (action, resource); empty when the operation needs no
   * permission (STS GetCallerIdentity, calls AWS accepts unsigned).
   *
   * @throws IllegalArgumentException for an operation not in {@link #operations()}: an operation
   *     without an entry must never pass as needing nothing
   */
  List<Target> targets(ApiCall call, RequestContext context);
}
