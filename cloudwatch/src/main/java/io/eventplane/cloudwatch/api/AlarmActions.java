package io.eventplane.cloudwatch.api;

import io.eventplane.cloudwatch.store.AlarmStore;
import io.eventplane.cloudwatch.store.CloudWatchStore;
import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.eventplane.common.store.Batch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the actions of alarms' state changes from the outbox ({@link AlarmStore}): an SNS topic gets
 * the notification's Subject and Message by an internal Publish to this node's SNS service (which
 * runs it at the topic's owner); a Lambda function the alarm's event by an asynchronous Invoke. With
 * {@code --auth iam} the topic's policy must allow {@code cloudwatch.amazonaws.com} {@code sns:Publish},
 * the function's policy {@code lambda.alarms.cloudwatch.amazonaws.com} {@code lambda:InvokeFunction},
 * for the alarm ({@code aws:SourceArn}). An action
 * that ran, or failed for good (no such topic, refused), leaves the outbox with an Action history
 * item in the same batch; one that failed otherwise (no answer, a throttle) is tried again
 * {@value #RETRY_MILLIS} ms later, and after a restart. Confined to the lane's context.
 */
public final class AlarmActions {
  private static final Logger LOG = Logger.getLogger(AlarmActions.class.getName());
  static final String PRINCIPAL = "cloudwatch.amazonaws.com";
  /** The principal a function's policy must allow for alarms' Lambda actions. */
  static final String LAMBDA_PRINCIPAL = "lambda.alarms.cloudwatch.amazonaws.com";
  private static final long RETRY_MILLIS = 10_000;
  private static final long TIMEOUT_MILLIS = 15_000;
  private static final Set<String> CLIENT_ERRORS = Set.of("NotFound", "InvalidParameter", "InvalidParameterValue",
      "AuthorizationError", "KMSAccessDenied", "KMSDisabled", "KMSNotFound", "KMSInvalidState", "EndpointDisabled");
  private static final Set<String> FUNCTION_CLIENT_ERRORS = Set.of("ResourceNotFoundException", "InvalidParameterValueException",
      "ValidationException", "InvalidRequestContentException", "RequestTooLargeException", "AccessDeniedException");

  private final Vertx vertx;
  private final Context context;
  private final CloudWatchStore metrics;
  private final AlarmStore store;
  private final Clock clock;
  private final DeliveryAuthorization authorization;
  private final Set<String> running = new HashSet<>();
  private boolean stopped;

  public AlarmActions(Vertx vertx, Context context, CloudWatchStore metrics, AlarmStore store, Clock clock,
      DeliveryAuthorization authorization) {
    this.vertx = vertx;
    this.context = context;
    this.metrics = metrics;
    this.store = store;
    this.clock = clock;
    this.authorization = authorization;
  }

  public void stop() {
    stopped = true;
  }

  /** Runs an action of the outbox unless it is running already. */
  void run(int partition, AlarmStore.Entry entry) {
    String key = HexFormat.of().formatHex(entry.key());
    if (stopped || !running.add(key)) return;
    JsonObject action = entry.value();
    attempt(action).onComplete(ar -> {
      Outcome outcome = ar.succeeded() ? ar.result() : new Outcome(false, true, String.valueOf(ar.cause()));
      if (outcome.retry()) {
        LOG.log(Level.INFO, "Alarm action " + action.getString("Arn") + " failed, tried again later: " + outcome.error());
        vertx.setTimer(RETRY_MILLIS, t -> {
          running.remove(key);
          run(partition, entry);
        });
        return;
      }
      Batch b = metrics.batch();
      store.delete(b, entry.key());
      store.putHistory(b, partition, action.getLong("AlarmId"), clock.millis(),
          AlarmViews.action(action.getString("AlarmName"), Instant.ofEpochMilli(action.getLong("At")), action.getString("Arn"),
              outcome.done(), outcome.error(), action.getString("Message")));
      metrics.commit(partition, b, context).onComplete(done -> {
        running.remove(key);
        if (done.failed()) LOG.log(Level.WARNING, "Recording alarm action " + action.getString("Arn") + " failed", done.cause());
      });
    });
  }

  /** How an attempt ended: done, failed for good, or to try again. */
  private record Outcome(boolean done, boolean retry, String error) {}

  private Future<Outcome> attempt(JsonObject action) {
    String arn = action.getString("Arn");
    boolean function = action.containsKey("Payload");
    Future<Outcome> refusal = !authorization.judges() ? Future.succeededFuture()
        : authorization.authorize(function
                ? new DeliveryAuthorization.Delivery(LAMBDA_PRINCIPAL, "lambda:InvokeFunction", arn, action.getString("AlarmArn"),
                    action.getString("Account"))
                : new DeliveryAuthorization.Delivery(PRINCIPAL, "sns:Publish", arn, action.getString("AlarmArn"),
                    action.getString("Account")))
            .map(v -> v.allowed() ? null : new Outcome(false, v.unavailable(), v.reason()));
    return refusal.compose(refused -> refused != null ? Future.succeededFuture(refused) : function ? invoke(action) : publish(action));
  }

  /** An asynchronous (Event) invocation with the alarm's event: done once the function's queue has it. */
  private Future<Outcome> invoke(JsonObject action) {
    String arn = action.getString("Arn");
    String[] parts = arn.split(":", 7);
    JsonObject in = new JsonObject().put("FunctionName", arn).put("InvocationType", "Event")
        .put("Payload", action.getString("Payload").getBytes(StandardCharsets.UTF_8));
    return call(Contracts.LAMBDA, "Invoke", in, parts[4], parts[3], FUNCTION_CLIENT_ERRORS);
  }

  private Future<Outcome> publish(JsonObject action) {
    String arn = action.getString("Arn");
    String[] parts = arn.split(":", 6);
    JsonObject in = new JsonObject().put("TopicArn", arn).put("Subject", action.getString("Subject"))
        .put("Message", action.getString("Message"));
    if (arn.endsWith(".fifo")) {
      in.put("MessageGroupId", action.getString("AlarmName")).put("MessageDeduplicationId", Ids.uuid());
    }
    return call(Contracts.SNS, "Publish", in, parts[4], parts[3], CLIENT_ERRORS);
  }

  private Future<Outcome> call(String address, String operation, JsonObject in, String account, String region,
      Set<String> clientErrors) {
    RequestContext ctx = new RequestContext(account, region, Ids.uuid(), "http://eventplane.internal");
    return vertx.eventBus().<ApiReply>request(address, new ApiRequest(operation, in, ctx),
            new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS))
        .map(m -> {
          ApiReply reply = m.body();
          if (reply.succeeded()) return new Outcome(true, false, null);
          String code = reply.error().code();
          return new Outcome(false, !clientErrors.contains(code), code + ": " + reply.error().message());
        });
  }
}
