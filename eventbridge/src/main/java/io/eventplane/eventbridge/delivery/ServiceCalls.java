package io.eventplane.eventbridge.delivery;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A call to another service of this node over the event bus (which runs it at the resource's
 * owner), its answer sorted into EventBridge's outcomes: a code in {@code clientErrors} is a
 * client-side error, anything else (no owner yet, a timeout, a throttle) a server-side one.
 */
final class ServiceCalls {
  static final String INTERNAL_BASE_URL = "http://eventplane.internal";
  private static final long TIMEOUT_MILLIS = 15_000;

  private ServiceCalls() {}

  static Future<Outcome> call(Vertx vertx, String address, String operation, JsonObject input, String account, String region,
      Set<String> clientErrors) {
    return call(vertx, address, operation, input, account, region, clientErrors, output -> Outcome.delivered());
  }

  /** As above, with {@code succeeded} judging a successful answer (an answer can carry failures of its own). */
  static Future<Outcome> call(Vertx vertx, String address, String operation, JsonObject input, String account, String region,
      Set<String> clientErrors, java.util.function.Function<JsonObject, Outcome> succeeded) {
    RequestContext context = new RequestContext(account, region, Ids.uuid(), INTERNAL_BASE_URL);
    return vertx.eventBus().<ApiReply>request(address, new ApiRequest(operation, input, context),
            new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS))
        .map(m -> {
          ApiReply reply = m.body();
          if (reply.succeeded()) return succeeded.apply(reply.output());
          String code = reply.error().code();
          return clientErrors.contains(code) ? Outcome.clientError(dlqCode(code), reply.error().message())
              : Outcome.serverError(dlqCode(code), reply.error().message());
        })
        .otherwise(e -> Outcome.serverError("CONNECTION_FAILURE", String.valueOf(e.getMessage())));
  }

  /** A target service's error code in the vocabulary of EventBridge's dead-letter ERROR_CODE attribute. */
  static String dlqCode(String code) {
    return switch (code) {
      case "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "NotFound", "ResourceNotFoundException" -> "NO_RESOURCE";
      case "AccessDenied", "AccessDeniedException", "AuthorizationError", "KmsAccessDenied", "KMSAccessDeniedException" -> "NO_PERMISSIONS";
      case "TooManyRequestsException", "Throttling", "ThrottlingException", "RequestThrottled",
          "ProvisionedThroughputExceededException", "LimitExceededException", "ServiceUnavailableException" -> "THROTTLING";
      case "InvalidParameter", "InvalidParameterValue", "InvalidParameterValueException", "ValidationException",
          "InvalidMessageContents", "MissingParameter", "InvalidRequestContentException", "RequestTooLargeException",
          "InvalidArgumentException", "SerializationException" ->
          "INVALID_PARAMETER";
      case "ServiceUnavailable", "InternalFailure", "InternalError", "ServiceException" -> "CONNECTION_FAILURE";
      default -> "SDK_CLIENT_ERROR";
    };
  }

  /** The service part of an ARN ({@code sqs} of {@code arn:aws:sqs:...}), or null. */
  static String service(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 && parts[0].equals("arn") ? parts[2] : null;
  }

  /** The account and region of an ARN ({@code [account, region]}). */
  static String[] accountRegion(String arn) {
    String[] parts = arn.split(":", 6);
    return new String[] {parts[4], parts[3]};
  }
}
