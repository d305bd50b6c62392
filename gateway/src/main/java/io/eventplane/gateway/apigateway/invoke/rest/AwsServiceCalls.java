package io.eventplane.gateway.apigateway.invoke.rest;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.JsonBinding;
import io.eventplane.gateway.binding.QueryBinding;
import io.eventplane.gateway.events.EventBridgeJsonProtocol;
import io.eventplane.gateway.kinesis.KinesisJsonProtocol;
import io.eventplane.gateway.query.FormDecoder;
import io.eventplane.gateway.sns.SnsQueryProtocol;
import io.eventplane.gateway.sqs.SqsQueryProtocol;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A REST API's AWS integration ({@code type: AWS}) as a call to one of this server's services. The
 * integration URI names the service and the action, {@code arn:aws:apigateway:<region>:<service>:action/<Action>},
 * or a path, {@code ...:<service>:path/<path>} (SQS's {@code path/<account>/<queue>}, whose action comes
 * from the form body as in the SQS tutorial; a JSON service's, whose operation the integration request's
 * {@code X-Amz-Target} header names; Lambda's {@code path/2015-03-31/functions/<arn>/invocations}).
 * The mapped request body is the service's request in its own protocol, read by the gateway's protocol
 * bindings: JSON for Kinesis and EventBridge, a form-encoded Query request for SQS and SNS. The answer
 * is the service's wire answer (status, content type, body) as AWS's endpoint would send it, for the
 * integration responses to map; Query services answer in JSON, as they do to API Gateway
 * ({@code {"SendMessageResponse": {"SendMessageResult": {...}, "ResponseMetadata": {...}}}}).
 */
public final class AwsServiceCalls {
  private static final Pattern URI = Pattern.compile("arn:[^:]+:apigateway:([^:]*):([^:]+):(action|path)/(.*)");
  private static final Pattern FUNCTION = Pattern.compile("[^/]+/functions/(.+)/invocations");
  private static final Pattern LAMBDA_ARN = Pattern.compile("arn:[^:]+:lambda:([^:]+):(\\d{12}):function:.+");
  private static final Map<String, JsonBinding> JSON = Map.of(
      "kinesis", KinesisJsonProtocol.BINDING,
      "events", EventBridgeJsonProtocol.BINDING);
  private static final Map<String, QueryBinding> QUERY = Map.of(
      "sqs", SqsQueryProtocol.BINDING,
      "sns", SnsQueryProtocol.BINDING);

  /** The backend's answer; for Lambda, whether the function failed and its errorMessage. */
  public record Answer(int status, String contentType, String body, Map<String, String> headers, boolean functionError,
      String errorMessage) {
    public Answer {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public Answer(int status, String contentType, String body, boolean functionError, String errorMessage) {
      this(status, contentType, body, Map.of(), functionError, errorMessage);
    }

    static Answer of(WireResponse wire) {
      String body = wire.binary() != null ? new String(wire.binary(), StandardCharsets.UTF_8) : wire.body();
      Map<String, String> headers = new java.util.HashMap<>();
      if (wire.headers() != null) wire.headers().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
      if (wire.contentType() != null) headers.put("content-type", wire.contentType());
      return new Answer(wire.status(), wire.contentType(), body == null ? "" : body, headers, false, null);
    }
  }

  private final BiFunction<String, ApiRequest, Future<ApiReply>> bus;

  public AwsServiceCalls(BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    this.bus = bus;
  }

  /**
   * Calls the service the URI names with the mapped body, in the API owner's account and the URI's region.
   *
   * @return the answer; a failed future with {@link IllegalArgumentException} when the URI names no service here
   */
  public Future<Answer> call(String uri, String body, RequestContext owner) {
    return call(uri, body, owner, Map.of());
  }

  /**
   * As {@link #call(String, String, RequestContext)}, with the integration request's headers (lower-case
   * names): a path-style URI to a JSON service names its operation by {@code X-Amz-Target}, as AWS's do.
   */
  public Future<Answer> call(String uri, String body, RequestContext owner, Map<String, String> headers) {
    Matcher m = URI.matcher(uri == null ? "" : uri);
    if (!m.matches()) return Future.failedFuture(new IllegalArgumentException("not an AWS integration URI: " + uri));
    String region = m.group(1).isEmpty() ? owner.region() : m.group(1);
    String service = m.group(2);
    boolean action = m.group(3).equals("action");
    String rest = m.group(4);
    RequestContext context = new RequestContext(owner.accountId(), region, owner.requestId(), owner.baseUrl());
    String requestId = owner.requestId();
    JsonBinding json = JSON.get(service);
    if (json != null) {
      String target = headers.get("x-amz-target");
      String operation = action ? rest.split("[&?]", 2)[0]
          : json.isTarget(target) ? target.substring(target.indexOf('.') + 1) : null;
      if (operation == null || !json.operations().contains(operation)) {
        return Future.failedFuture(new IllegalArgumentException(service + " has no action " + rest));
      }
      JsonObject input;
      try {
        input = JsonBinding.input(Buffer.buffer(body));
      } catch (ServiceException e) {
        return Future.succeededFuture(Answer.of(json.error(e.error(), requestId)));
      }
      return bus.apply(json.address(), new ApiRequest(operation, input, context)).map(reply -> Answer.of(
          reply.succeeded() ? json.success(reply.output(), requestId) : json.error(reply.error(), requestId)));
    }
    QueryBinding query = QUERY.get(service);
    if (query != null) return query(query, action, rest, body, context);
    if (service.equals("lambda")) return lambda(rest, body, context);
    return Future.failedFuture(new IllegalArgumentException("no service " + service + " here"));
  }

  private Future<Answer> query(QueryBinding binding, boolean actionStyle, String rest, String body, RequestContext context) {
    Map<String, String> params;
    try {
      params = FormDecoder.decode(body.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      params = new java.util.LinkedHashMap<>();
    }
    String path = "/";
    if (actionStyle) {
      int q = rest.indexOf('?');
      String name = q < 0 ? rest : rest.substring(0, q);
      if (q >= 0) params.putAll(FormDecoder.decode(rest.substring(q + 1)));
      params.put("Action", name);
    } else {
      path = "/" + rest;
    }
    String action = params.get("Action");
    String requestId = context.requestId();
    if (action == null || !binding.isOperation(action)) {
      return Future.succeededFuture(Answer.of(binding.error(ServiceError.sender("InvalidAction",
          "The action " + action + " is not valid for this endpoint."), requestId, true)));
    }
    JsonObject input;
    try {
      input = binding.input().decode(action, params, path, context.baseUrl());
    } catch (ServiceException e) {
      return Future.succeededFuture(Answer.of(binding.error(e.error(), requestId, true)));
    }
    return bus.apply(binding.address(), new ApiRequest(action, input, context)).map(reply -> Answer.of(
        reply.succeeded() ? binding.success(action, reply.output(), requestId, true) : binding.error(reply.error(), requestId, true)));
  }

  private Future<Answer> lambda(String rest, String body, RequestContext owner) {
    Matcher f = FUNCTION.matcher(rest);
    if (!f.matches()) return Future.failedFuture(new IllegalArgumentException("not a Lambda invocation path: " + rest));
    String function = f.group(1);
    Matcher arn = LAMBDA_ARN.matcher(function);
    RequestContext context = arn.matches()
        ? new RequestContext(arn.group(2), arn.group(1), owner.requestId(), owner.baseUrl()) : owner;
    JsonObject input = new JsonObject().put("FunctionName", function).put("InvocationType", "RequestResponse")
        .put("Payload", body.getBytes(StandardCharsets.UTF_8));
    return bus.apply(Contracts.LAMBDA, new ApiRequest("Invoke", input, context)).map(reply -> {
      if (!reply.succeeded()) {
        return new Answer(500, "application/json", new JsonObject().put("message", reply.error().message()).encode(), true,
            reply.error().message());
      }
      String payload = new String(reply.output().getBinary("Payload", new byte[0]), StandardCharsets.UTF_8);
      if (reply.output().getString("FunctionError") == null) return new Answer(200, "application/json", payload, false, null);
      String message = null;
      try {
        message = new JsonObject(payload).getString("errorMessage");
      } catch (RuntimeException e) {
        message = payload;
      }
      return new Answer(200, "application/json", payload, true, message);
    });
  }
}
