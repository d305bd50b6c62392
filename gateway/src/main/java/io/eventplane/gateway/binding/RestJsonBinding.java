package io.eventplane.gateway.binding;

import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.error.ErrorTable;
import io.eventplane.gateway.error.RestJsonErrorMapper;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A service on REST-JSON (Lambda, API Gateway): operations found by method and path before the body is read,
 * so each operation's own body limit applies.
 *
 * @param ownsPath whether a path belongs to the service's API (its dated prefixes)
 * @param routes finds a request's operation
 */
public record RestJsonBinding(String signingName, String address, ErrorTable errors, Predicate<String> ownsPath,
    Routes routes, Map<String, Duration> slowOperations, ErrorRenderer renderer) implements ProtocolBinding {

  public RestJsonBinding {
    slowOperations = Map.copyOf(slowOperations);
  }

  /** A service whose errors carry {@code Type} and the message (Lambda's). */
  public RestJsonBinding(String signingName, String address, ErrorTable errors, Predicate<String> ownsPath, Routes routes,
      Map<String, Duration> slowOperations) {
    this(signingName, address, errors, ownsPath, routes, slowOperations, RestJsonErrorMapper::render);
  }

  public WireResponse error(ServiceError error, String requestId) {
    return renderer.render(errors, error, requestId);
  }

  /** How the service words its errors (API Gateway's bodies carry only the message). */
  @FunctionalInterface
  public interface ErrorRenderer {
    WireResponse render(ErrorTable table, ServiceError error, String requestId);
  }

  /** The service's operation table. */
  @FunctionalInterface
  public interface Routes {
    /** The request's operation, or null when none has this method and path. */
    Call route(String method, String path);

    /**
     * The request's operation when its query string may name it too (API Gateway's
     * {@code POST /restapis?mode=import} is ImportRestApi, not CreateRestApi); by default the path's.
     */
    default Call route(String method, String path, MultiMap query) {
      return route(method, path);
    }
  }

  /** A request matched to its operation. */
  public interface Call {
    String operation();

    int maxBodyBytes();

    /** The error for a body over the limit, as the service words it. */
    ServiceError tooLarge();

    /** The operation's input members from path labels, query, headers and body. */
    JsonObject input(MultiMap query, MultiMap headers, Buffer body);

    WireResponse success(JsonObject output, String requestId);
  }
}
