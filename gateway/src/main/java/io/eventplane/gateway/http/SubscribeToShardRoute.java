package io.eventplane.gateway.http;

import io.eventplane.common.audit.AuditCaller;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.bus.ShardSubscriptions;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.binding.Cbor;
import io.eventplane.gateway.binding.EventStreamMessage;
import io.eventplane.gateway.binding.JsonBinding;
import io.eventplane.gateway.error.WireError;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kinesis's SubscribeToShard (enhanced fan-out): the one operation whose answer is a stream. The
 * call is checked and the subscription opened by the stream's owner like any call (its errors are
 * ordinary error answers); then the answer is {@value EventStreamMessage#CONTENT_TYPE} messages,
 * {@code initial-response} first, then a {@code SubscribeToShardEvent} for each event the gateway
 * pulls from the owner with the service's bounded long poll (records as soon as they arrive, else
 * an empty event after {@link #WAIT_MILLIS}), in the request's protocol (CBOR or JSON). The owner's
 * errors after the start end the stream as an exception message. Each pull names the position
 * after the last event, so a pull that fails because the partition is moving (failover) is tried
 * again where it left off, for up to {@link #RETRY_MILLIS}. Nothing blocks the event loop: one
 * pull at a time per subscription, each a bus call; pulling stops when the client goes away.
 */
public final class SubscribeToShardRoute {
  private static final System.Logger LOG = System.getLogger(SubscribeToShardRoute.class.getName());
  public static final String OPERATION = "SubscribeToShard";
  /** How long one pull waits for records before an empty event (AWS sends one about every 5 s). */
  static final long WAIT_MILLIS = 5_000;
  static final long RETRY_MILLIS = 30_000;
  static final long RETRY_DELAY_MILLIS = 200;
  private static final AtomicLong PULLS = new AtomicLong();
  private static final AtomicInteger OPEN = new AtomicInteger();

  private final ServiceBus bus;
  private final Vertx vertx;

  private final RouteAuthorization authorization;

  SubscribeToShardRoute(ServiceBus bus, Vertx vertx, RouteAuthorization authorization) {
    this.bus = bus;
    this.vertx = vertx;
    this.authorization = authorization;
  }

  /** Pulls every gateway of this JVM has started (for tests that prove pulling stops). */
  public static long pullsStarted() {
    return PULLS.get();
  }

  /** Subscriptions every gateway of this JVM is streaming now. */
  public static int open() {
    return OPEN.get();
  }

  static boolean isSubscribe(JsonBinding service, String target) {
    return service != null && service.isTarget(target) && target.equals(service.targetPrefix() + OPERATION)
        && service.operations().contains(OPERATION);
  }

  void handle(HttpServerRequest request, JsonBinding service, String contentType, Buffer body, RequestContext context,
      AuditCaller caller) {
    JsonObject input;
    try {
      input = service.input(body, contentType);
    } catch (ServiceException e) {
      Replies.send(request, service.error(e.error(), context.requestId(), contentType));
      return;
    }
    if (authorization.enabled() && context.caller() != null) {
      authorization.check(service.signingName(), io.eventplane.gateway.auth.AuthErrors.Family.AWS_JSON,
          io.eventplane.gateway.authz.ApiCall.of(OPERATION, input), context, caller).onComplete(checked -> {
            if (checked.failed()) {
              Replies.send(request, service.error(ServiceError.internal("The authorization failed."), context.requestId(), contentType));
            } else if (checked.result() != null) {
              Replies.send(request, RequestAuth.withStatus(service.error(checked.result().error(), context.requestId(), contentType),
                  checked.result().status()));
            } else {
              subscribe(request, service, contentType, input, context, caller);
            }
          });
      return;
    }
    subscribe(request, service, contentType, input, context, caller);
  }

  private void subscribe(HttpServerRequest request, JsonBinding service, String contentType, JsonObject input,
      RequestContext context, AuditCaller caller) {
    bus.call(service, new ApiRequest(OPERATION, input, context), caller).onComplete(done -> {
      ApiReply reply = done.succeeded() ? done.result()
          : ApiReply.failed(ServiceError.internal("The gateway failed to subscribe (" + context.requestId() + ")."));
      if (!reply.succeeded()) {
        Replies.send(request, service.error(reply.error(), context.requestId(), contentType));
        return;
      }
      new Subscription(request, service, contentType, context, input, reply.output()).start();
    });
  }

  /** One client's stream of events. Confined to the request's event loop. */
  private final class Subscription {
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final JsonBinding service;
    private final String contentType;
    private final String payloadType;
    private final RequestContext context;
    private final JsonObject pull;
    private boolean closed;
    private long failingSince = -1;

    Subscription(HttpServerRequest request, JsonBinding service, String contentType, RequestContext context,
        JsonObject input, JsonObject opened) {
      this.request = request;
      this.response = request.response();
      this.service = service;
      this.contentType = contentType;
      this.payloadType = service.speaksCbor(contentType) ? Cbor.CONTENT_TYPE : service.contentType();
      this.context = context;
      this.pull = new JsonObject().put("ConsumerARN", input.getValue("ConsumerARN")).put("ShardId", input.getValue("ShardId"))
          .put("Position", opened.getLong(ShardSubscriptions.POSITION))
          .put("Subscribed", opened.getLong(ShardSubscriptions.SUBSCRIBED)).put(ShardSubscriptions.WAIT, WAIT_MILLIS);
    }

    void start() {
      if (response.closed() || response.ended()) return;
      OPEN.incrementAndGet();
      response.closeHandler(v -> close());
      response.exceptionHandler(e -> close());
      request.connection().closeHandler(v -> close());
      response.setStatusCode(200).putHeader("Content-Type", EventStreamMessage.CONTENT_TYPE)
          .putHeader("x-amzn-RequestId", context.requestId());
      if (request.version() != HttpVersion.HTTP_2) response.setChunked(true);
      write(EventStreamMessage.event("initial-response", payloadType, payload(new JsonObject())));
      next();
    }

    private void close() {
      if (closed) return;
      closed = true;
      OPEN.decrementAndGet();
    }

    private void next() {
      if (closed || response.closed()) {
        close();
        return;
      }
      PULLS.incrementAndGet();
      bus.call(service, new ApiRequest(ShardSubscriptions.EVENTS, pull.copy(), context)).onComplete(done -> {
        if (closed || response.closed()) {
          close();
          return;
        }
        ApiReply reply = done.succeeded() ? done.result() : ApiReply.failed(ServiceError.internal(String.valueOf(done.cause())));
        if (reply.succeeded()) {
          failingSince = -1;
          deliver(reply.output());
        } else {
          failed(reply.error());
        }
      });
    }

    private void deliver(JsonObject event) {
      boolean end = Boolean.TRUE.equals(event.remove(ShardSubscriptions.END));
      Object position = event.remove(ShardSubscriptions.POSITION);
      if (position != null) pull.put("Position", position);
      if (event.containsKey("Records")) {
        write(EventStreamMessage.event("SubscribeToShardEvent", payloadType, payload(event)));
      }
      if (end) finish();
      else if (response.writeQueueFull()) response.drainHandler(v -> next());
      else next();
    }

    /** Errors of the owner (the client's) end the stream; a partition on the move is pulled again where it was. */
    private void failed(ServiceError error) {
      WireError wire = service.errors().of(error);
      long now = System.nanoTime();
      if (wire.status() >= 500) {
        if (failingSince < 0) failingSince = now;
        if (now - failingSince < RETRY_MILLIS * 1_000_000) {
          vertx.setTimer(RETRY_DELAY_MILLIS, t -> next());
          return;
        }
        LOG.log(System.Logger.Level.WARNING, "SubscribeToShard " + context.requestId() + " ends: " + error.message());
      }
      write(EventStreamMessage.exception(wire.code(), payloadType, payload(new JsonObject().put("message", error.message()))));
      finish();
    }

    private void finish() {
      if (!response.ended() && !response.closed()) response.end();
      close();
    }

    private void write(Buffer message) {
      if (!response.ended() && !response.closed()) response.write(message);
    }

    private byte[] payload(JsonObject json) {
      return service.speaksCbor(contentType) ? Cbor.output(json, service.cbor()) : json.toBuffer().getBytes();
    }
  }
}
