package io.eventplane.gateway.http;

import io.vertx.core.http.HttpServerRequest;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * One client request as the gateway saw it, from the moment its headers were read to the moment its
 * answer was written to the connection, as a Java Flight Recorder event: a recording then tells the
 * server's share of a request's latency from the client's and lines it up with group commits, GC
 * pauses and safepoints. Costs nothing unless a recording with this event enabled is running.
 */
@Name("io.eventplane.gateway.Request")
@Label("Gateway request")
@Category({"Eventplane", "Gateway"})
@Description("A client request, from its headers read to its answer written")
final class RequestEvent extends Event {
  @Label("Method")
  String method;

  @Label("Operation (X-Amz-Target, Action or path)")
  String operation;

  @Label("Status")
  int status;

  /** Starts timing {@code request} when a recording wants this event; its answer's end commits it. */
  static void time(HttpServerRequest request) {
    RequestEvent event = new RequestEvent();
    if (!event.isEnabled()) return;
    event.begin();
    request.response().endHandler(v -> {
      event.end();
      if (!event.shouldCommit()) return;
      event.method = request.method().name();
      String target = request.getHeader("X-Amz-Target");
      String action = target == null ? request.getParam("Action") : null;
      event.operation = target != null ? target : action != null ? action : request.path();
      event.status = request.response().getStatusCode();
      event.commit();
    });
  }
}
