package io.eventplane.eventbridge.delivery;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange of EventBridge with an endpoint outside (an API destination, an OAuth
 * authorization endpoint): asynchronous on the caller's context, bounded by {@link #TIMEOUT_MILLIS}
 * in all (connect, send, answer), the answer's body read whole (API destinations' answers are not
 * passed on, so only its status matters, and the authorization endpoint's token is small).
 */
public final class HttpCalls {
  /** EventBridge's client execution timeout for API destinations: five seconds. */
  public static final long TIMEOUT_MILLIS = 5_000;
  /** What EventBridge sends as User-Agent to API destinations. */
  public static final String USER_AGENT = "Amazon/EventBridge/ApiDestinations";

  private final Vertx vertx;
  private final HttpClient client;

  /** Call on the lane's context: the client's answers come back on it. */
  public HttpCalls(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MILLIS)
        .setKeepAlive(true));
  }

  /** A response: its status and body. */
  public record Response(int status, Buffer body) {}

  /** Why no answer came: {@code timedOut} when the five seconds ran out, else the endpoint could not be reached. */
  public static final class NoAnswer extends RuntimeException {
    final boolean timedOut;

    NoAnswer(String message, boolean timedOut, Throwable cause) {
      super(message, cause);
      this.timedOut = timedOut;
    }

    public boolean timedOut() {
      return timedOut;
    }
  }

  public Future<Response> send(String method, String url, MultiMap headers, Buffer body) {
    Promise<Response> done = Promise.promise();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setAbsoluteURI(url)
        .setHeaders(headers).setFollowRedirects(false);
    long[] timer = new long[1];
    io.vertx.core.http.HttpClientRequest[] sent = new io.vertx.core.http.HttpClientRequest[1];
    timer[0] = vertx.setTimer(TIMEOUT_MILLIS, t -> {
      // Failed first: resetting the request fails the exchange at once, which must not count as unreachable.
      done.tryFail(new NoAnswer("Timeout calling endpoint for API Destination: socket closed.", true, new TimeoutException()));
      if (sent[0] != null) sent[0].reset();
    });
    Future<Response> exchange;
    try {
      exchange = client.request(options).compose(req -> {
        sent[0] = req;
        Future<io.vertx.core.http.HttpClientResponse> answered = body == null ? req.send() : req.send(body);
        return answered.compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b)));
      });
    } catch (RuntimeException e) {
      exchange = Future.failedFuture(e);
    }
    exchange.onComplete(ar -> {
      vertx.cancelTimer(timer[0]);
      if (ar.succeeded()) done.tryComplete(ar.result());
      else done.tryFail(new NoAnswer("API destination endpoint cannot be reached.", false, ar.cause()));
    });
    return done.future();
  }

  public Future<Void> close() {
    return client.close();
  }
}
