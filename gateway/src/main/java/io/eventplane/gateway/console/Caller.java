package io.eventplane.gateway.console;

import io.eventplane.common.audit.AuditCaller;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.gateway.binding.ProtocolBinding;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One console request's way to the services: its account and region (the request's context, as for
 * an unsigned API call), its caller as the audit trail names it, and the gateway's calls. Each
 * operation's input and output are AWS's JSON shapes, as for any client call; an error answer fails
 * the future with a {@link ConsoleFailure}.
 */
final class Caller {
  private final ConsoleCalls calls;
  private final RequestContext context;
  private final AuditCaller caller;
  /** The signed-in session the calls are made as; null with {@code --auth off}. */
  private final ConsoleSessions.Session session;

  Caller(ConsoleCalls calls, RequestContext context, AuditCaller caller, ConsoleSessions.Session session) {
    this.calls = calls;
    this.context = context;
    this.caller = caller;
    this.session = session;
  }

  ConsoleSessions.Session session() {
    return session;
  }

  /** The hidden CSRF field every form of a signed-in page carries; empty without a session. */
  String csrfField() {
    return session == null ? "" : "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.text(session.csrf()) + "\">";
  }

  /** Who is signed in, with a sign-out button; empty without a session. */
  String banner() {
    return session == null ? "" : "<form method=\"post\" action=\"" + ConsoleRoute.PREFIX + "signout\" class=\"session\">"
        + "Signed in as <code>" + Html.text(session.principalArn()) + "</code> " + csrfField()
        + "<button type=\"submit\" id=\"signout\">Sign out</button></form>";
  }

  RequestContext context() {
    return context;
  }

  Future<JsonObject> call(ProtocolBinding service, String operation, JsonObject input) {
    return calls.call(service, new ApiRequest(operation, input, context), caller).compose(reply -> reply.succeeded()
        ? Future.succeededFuture(reply.output() == null ? new JsonObject() : reply.output())
        : Future.failedFuture(new ConsoleFailure(reply.error())));
  }

  /**
   * The call's answer, or {@code otherwise} when the signed-in identity may not make it (iam mode's
   * AccessDenied): for a page's secondary parts, so that it shows what its identity may see.
   */
  Future<JsonObject> callIfAllowed(ProtocolBinding service, String operation, JsonObject input, JsonObject otherwise) {
    return call(service, operation, input).recover(e -> e instanceof ConsoleFailure f && f.status() == 403
        ? Future.succeededFuture(otherwise) : Future.failedFuture(e));
  }

  /** A question to this node's own admin endpoint (Health, DescribeCluster). */
  Future<JsonObject> node(String address, String operation) {
    return calls.node(address, new ApiRequest(operation, new JsonObject(), context)).compose(reply -> reply.succeeded()
        ? Future.succeededFuture(reply.output() == null ? new JsonObject() : reply.output())
        : Future.failedFuture(new ConsoleFailure(reply.error())));
  }
}
