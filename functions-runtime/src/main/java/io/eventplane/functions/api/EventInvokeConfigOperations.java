package io.eventplane.functions.api;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceException;
import io.eventplane.functions.domain.EventInvokeConfig;
import io.eventplane.functions.domain.Function;
import io.eventplane.functions.domain.FunctionErrors;
import io.eventplane.functions.domain.Functions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s): retries, maximum event age and the
 * on-success and on-failure destinations of a function's asynchronous invocations.
 */
final class EventInvokeConfigOperations {
  private static final Pattern DESTINATION =
      Pattern.compile("arn:aws[a-zA-Z-]*:(sqs|sns|lambda|events):[a-z0-9-]+:\\d{12}:.+");

  private final Functions functions;
  private final Clock clock;

  EventInvokeConfigOperations(Functions functions, Clock clock) {
    this.functions = functions;
    this.clock = clock;
  }

  /** Put replaces the whole configuration; Update changes only the members given. */
  Future<JsonObject> put(Function f, JsonObject in, boolean update) {
    EventInvokeConfig current = functions.invokeConfig(f);
    EventInvokeConfig base = update && current != null ? current : EventInvokeConfig.DEFAULTS;
    Integer retries = base.maximumRetryAttempts();
    if (in.getValue("MaximumRetryAttempts") != null) {
      retries = FunctionInputs.range(in.getValue("MaximumRetryAttempts"), "maximumRetryAttempts", 0, 2);
    }
    Integer age = base.maximumEventAgeSeconds();
    if (in.getValue("MaximumEventAgeInSeconds") != null) {
      age = FunctionInputs.range(in.getValue("MaximumEventAgeInSeconds"), "maximumEventAgeInSeconds", 60, 21_600);
    }
    String onSuccess = base.onSuccess();
    String onFailure = base.onFailure();
    JsonObject destinations = FunctionInputs.object(in, "DestinationConfig");
    if (destinations != null) {
      if (destinations.containsKey("OnSuccess")) onSuccess = destination(destinations, "OnSuccess", f);
      if (destinations.containsKey("OnFailure")) onFailure = destination(destinations, "OnFailure", f);
    }
    EventInvokeConfig next = new EventInvokeConfig(retries, age, onSuccess, onFailure, clock.millis());
    return functions.putInvokeConfig(f, next).map(v -> next.output(f.arn()));
  }

  Future<JsonObject> get(Function f) {
    EventInvokeConfig c = functions.invokeConfig(f);
    if (c == null) throw notFound(f);
    return Future.succeededFuture(c.output(f.arn()));
  }

  Future<JsonObject> delete(Function f) {
    if (functions.invokeConfig(f) == null) throw notFound(f);
    return functions.putInvokeConfig(f, null).map(v -> new JsonObject());
  }

  Future<JsonObject> list(Function f) {
    EventInvokeConfig c = functions.invokeConfig(f);
    JsonArray items = new JsonArray();
    if (c != null) items.add(c.output(f.arn()));
    return Future.succeededFuture(new JsonObject().put("FunctionEventInvokeConfigs", items));
  }

  private static String destination(JsonObject destinations, String member, Function f) {
    JsonObject d = FunctionInputs.object(destinations, member);
    String arn = d == null ? null : FunctionInputs.string(d, "Destination");
    if (arn == null || arn.isEmpty()) return null;
    if (!DESTINATION.matcher(arn).matches()) {
      throw FunctionErrors.invalid("The destination ARN " + arn + " is invalid: it must be an SQS queue, SNS topic, "
          + "Lambda function or EventBridge event bus ARN.");
    }
    if (arn.split(":")[2].equals("events")) {
      throw FunctionErrors.invalid("EventBridge destinations are not available in Eventplane yet: " + arn);
    }
    if (arn.equals(f.arn())) {
      throw FunctionErrors.invalid("You can't specify the function as a destination for itself.");
    }
    return arn;
  }

  private static ServiceException notFound(Function f) {
    return new ServiceException("ResourceNotFoundException",
        "The function " + f.arn() + " doesn't have an EventInvokeConfig");
  }
}
