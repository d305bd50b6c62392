package io.eventplane.eventbridge.delivery;

import io.eventplane.common.bus.Contracts;
import io.eventplane.eventbridge.domain.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Lambda function targets: an asynchronous (Event) invocation with the input as payload. Once the
 * function's queue has the event the delivery is done; the function's own retries take over. A
 * function that does not exist is a client-side error.
 */
final class LambdaTargets implements TargetChannel {
  private static final Pattern FUNCTION_ARN =
      Pattern.compile("arn:aws[\\w-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[a-zA-Z0-9-_]{1,64}(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
  private static final Set<String> CLIENT_ERRORS = Set.of("ResourceNotFoundException", "InvalidParameterValueException",
      "ValidationException", "InvalidRequestContentException", "RequestTooLargeException", "AccessDeniedException");

  private final Vertx vertx;

  LambdaTargets(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public boolean serves(String arn) {
    return FUNCTION_ARN.matcher(arn).matches();
  }

  @Override
  public Future<Outcome> deliver(Target target, String input, String eventId) {
    String[] ar = ServiceCalls.accountRegion(target.arn());
    JsonObject in = new JsonObject().put("FunctionName", target.arn()).put("InvocationType", "Event")
        .put("Payload", input.getBytes(StandardCharsets.UTF_8));
    return ServiceCalls.call(vertx, Contracts.LAMBDA, "Invoke", in, ar[0], ar[1], CLIENT_ERRORS);
  }
}
