package io.eventplane.gateway.http;

import io.eventplane.common.audit.AuditCaller;
import io.eventplane.common.bus.Caller;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.auth.AuthErrors;
import io.eventplane.gateway.authz.AccessDenied;
import io.eventplane.gateway.authz.Actions;
import io.eventplane.gateway.authz.ApiCall;
import io.eventplane.gateway.authz.IdentityAuthorizer;
import io.eventplane.gateway.authz.IdentityVerdict;
import io.eventplane.gateway.authz.RequestFacts;
import io.eventplane.gateway.authz.ServiceActions;
import io.eventplane.gateway.authz.Target;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/**
 * The identity-policy step of {@code --auth iam} at a route: once a call is parsed, whether the
 * verified caller's identity-based policies allow every action it needs ({@link Actions}). Until the
 * lanes complete the evaluation with resource policies, an implicit deny is final here too. Nothing
 * happens in the other modes (no authorizer), for a context without a verified caller, and for
 * the root (the admin key), which the authorizer allows without a lookup.
 */
final class RouteAuthorization {
  /** Allowed: the route goes on. */
  static final Future<Denial> ALLOWED = Future.succeededFuture(null);
  private static final System.Logger LOG = System.getLogger(RouteAuthorization.class.getName());

  private final IdentityAuthorizer authorizer;
  private final Clock clock;

  /** @param authorizer the node's authorizer, or null when the mode does not authorize */
  RouteAuthorization(IdentityAuthorizer authorizer, Clock clock) {
    this.authorizer = authorizer;
    this.clock = clock;
  }

  boolean enabled() {
    return authorizer != null;
  }

  /** Completes with null when the call may go on, else with the denial in the family's words. */
  Future<Denial> check(String signingName, AuthErrors.Family family, ApiCall call, RequestContext context,
      AuditCaller who) {
    return verdict(signingName, call, context, who).map(verdict -> verdict == null ? null
        : denial(family, signingName, context.caller(), verdict, verdict.notAllowed()));
  }

  /**
   * The identity step's verdict for the call, or null when there is nothing to decide (no
   * authorizer, no verified caller, a call needing no permission, an input the table cannot read).
   */
  Future<IdentityVerdict> verdict(String signingName, ApiCall call, RequestContext context, AuditCaller who) {
    if (authorizer == null || context.caller() == null) return Future.succeededFuture(null);
    ServiceActions table = Actions.of(signingName);
    if (table == null) return Future.succeededFuture(null);
    Caller caller = context.caller();
    List<Target> targets;
    try {
      targets = table.targets(call, context);
    } catch (RuntimeException e) {
      // An input the table cannot read (a missing or malformed member): the service refuses it in its own words.
      LOG.log(System.Logger.Level.DEBUG, "no targets for {0}: {1}", call.operation(), e.toString());
      return Future.succeededFuture(null);
    }
    if (targets.isEmpty()) return Future.succeededFuture(null);
    RequestFacts facts = new RequestFacts(who == null ? null : who.sourceIp(), false, clock.instant(), context.region(),
        who == null ? null : who.userAgent());
    return authorizer.authorize(caller, targets, facts.conditionKeys(caller));
  }

  /** The denial of the verdict's target {@code index}, or null when it is -1. */
  static Denial denial(AuthErrors.Family family, String signingName, Caller caller, IdentityVerdict verdict, int index) {
    if (index < 0) return null;
    AuthErrors.AuthError e = AccessDenied.of(family, signingName, caller.arn(), verdict, index);
    return new Denial(new ServiceError(e.code(), e.message(), Fault.SENDER), e.status());
  }

  /** A final denial: the error in the family's words and AWS's status for it. */
  record Denial(ServiceError error, int status) {}
}
