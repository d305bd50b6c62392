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
import io.eventplane.gateway.authz.ResourceAuthorizer;
import io.eventplane.gateway.authz.ServiceActions;
import io.eventplane.gateway.authz.Target;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * IAM authorization of {@code --auth iam} at a route: once a call is parsed, whether the verified
 * caller may perform every action it needs ({@link Actions}): the caller's identity-based policies
 * ({@link IdentityAuthorizer}), completed with each target resource's own policy
 * ({@link ResourceAuthorizer}: a queue's, topic's, bucket's, function's or bus's). Nothing happens in
 * the other modes (no authorizer) and for a context without a verified caller. The root (the admin
 * key) needs no identity policy in its own account; another account's resources still need their
 * policy's allow, and an explicit deny in a resource's policy binds the root too.
 */
final class RouteAuthorization {
  /** Allowed: the route goes on. */
  static final Future<Denial> ALLOWED = Future.succeededFuture(null);
  private static final System.Logger LOG = System.getLogger(RouteAuthorization.class.getName());

  private final IdentityAuthorizer authorizer;
  private final ResourceAuthorizer resources;
  private final Clock clock;

  /**
   * @param authorizer the node's identity step, or null when the mode does not authorize
   * @param resources the node's resource step, or null when the mode does not authorize
   */
  RouteAuthorization(IdentityAuthorizer authorizer, ResourceAuthorizer resources, Clock clock) {
    this.authorizer = authorizer;
    this.resources = resources;
    this.clock = clock;
  }

  boolean enabled() {
    return authorizer != null;
  }

  /** Completes with null when the call may go on, else with the denial in the family's words. */
  Future<Denial> check(String signingName, AuthErrors.Family family, ApiCall call, RequestContext context,
      AuditCaller who) {
    if (authorizer == null || context.caller() == null) return ALLOWED;
    List<Target> targets = targets(signingName, call, context);
    if (targets == null) return ALLOWED;
    Caller caller = context.caller();
    ConditionKeys keys = new ConditionKeys(() -> facts(context, who).conditionKeys(caller));
    // Most calls: the caller's policies and the resources' are at hand, decided with no future in between.
    IdentityVerdict now = authorizer.decideNow(caller, targets, keys);
    if (now != null) {
      ResourceAuthorizer.Denied denied = resources.completeNow(caller, now, keys);
      if (denied == null) return ALLOWED;
      if (denied != ResourceAuthorizer.NOT_YET) {
        return Future.succeededFuture(denial(family, signingName, caller, now.targets().get(denied.index()), denied.explicit(),
            denied.type()));
      }
    }
    return authorizer.authorize(caller, targets, keys).compose(verdict -> resources.complete(caller, verdict, keys)
        .map(denied -> denied == null ? null : denial(family, signingName, caller, verdict.targets().get(denied.index()),
            denied.explicit(), denied.type())));
  }

  /**
   * A console call's check (iam): as {@link #check}, but failing closed: a call whose permission the
   * action tables cannot name (an internal operation with no AWS equivalent, an input they cannot
   * read) is refused rather than left to the service.
   */
  Future<Denial> checkConsole(String signingName, ApiCall call, RequestContext context, AuditCaller who) {
    if (authorizer == null || context.caller() == null) return ALLOWED;
    if (targets(signingName, call, context) == null) {
      return Future.succeededFuture(new Denial(new ServiceError("AccessDenied", "The console cannot tell which "
          + "permission " + signingName + ":" + call.operation() + " needs, so it does not make the call.", Fault.SENDER), 403));
    }
    return check(signingName, AuthErrors.Family.AWS_JSON, call, context, who);
  }

  /**
   * The identity step's verdict for the call alone (AssumeRole, whose trust policy is the resource
   * step), or null when there is nothing to decide (no authorizer, no verified caller, a call needing
   * no permission, an input the table cannot read).
   */
  Future<IdentityVerdict> verdict(String signingName, ApiCall call, RequestContext context, AuditCaller who) {
    if (authorizer == null || context.caller() == null) return Future.succeededFuture(null);
    List<Target> targets = targets(signingName, call, context);
    if (targets == null) return Future.succeededFuture(null);
    return authorizer.authorize(context.caller(), targets, facts(context, who).conditionKeys(context.caller()));
  }

  /** The call's targets, or null when there is nothing to authorize. */
  private static List<Target> targets(String signingName, ApiCall call, RequestContext context) {
    ServiceActions table = Actions.of(signingName);
    if (table == null) return null;
    List<Target> targets;
    try {
      targets = table.targets(call, context);
    } catch (RuntimeException e) {
      // An input the table cannot read (a missing or malformed member): the service refuses it in its own words.
      LOG.log(System.Logger.Level.DEBUG, "no targets for {0}: {1}", call.operation(), e.toString());
      return null;
    }
    return targets.isEmpty() ? null : targets;
  }

  private RequestFacts facts(RequestContext context, AuditCaller who) {
    return new RequestFacts(who == null ? null : who.sourceIp(), false, clock.instant(), context.region(),
        who == null ? null : who.userAgent());
  }

  /** The denial of the verdict's target {@code index}, or null when it is -1. */
  static Denial denial(AuthErrors.Family family, String signingName, Caller caller, IdentityVerdict verdict, int index) {
    if (index < 0) return null;
    AuthErrors.AuthError e = AccessDenied.of(family, signingName, caller.arn(), verdict, index);
    return new Denial(new ServiceError(e.code(), e.message(), Fault.SENDER), e.status());
  }

  /** The denial of a target in the family's words. */
  static Denial denial(AuthErrors.Family family, String signingName, Caller caller, Target target, boolean explicit,
      AccessDenied.PolicyType type) {
    AuthErrors.AuthError e = AccessDenied.error(family, signingName, caller.arn(), target, explicit, type);
    return new Denial(new ServiceError(e.code(), e.message(), Fault.SENDER), e.status());
  }

  /** The request's condition keys, built on first use (most calls' policies never read them). */
  private static final class ConditionKeys implements java.util.function.Supplier<Map<String, List<String>>> {
    private final java.util.function.Supplier<Map<String, List<String>>> build;
    private Map<String, List<String>> keys;

    ConditionKeys(java.util.function.Supplier<Map<String, List<String>>> build) {
      this.build = build;
    }

    @Override
    public Map<String, List<String>> get() {
      if (keys == null) keys = build.get();
      return keys;
    }
  }

  /** A final denial: the error in the family's words and AWS's status for it. */
  record Denial(ServiceError error, int status) {}
}
