package io.eventplane.gateway.lambda;

import io.eventplane.common.bus.Contracts;
import io.eventplane.gateway.binding.RestJsonBinding;
import io.eventplane.gateway.error.ErrorTable;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lambda's REST-JSON protocol: finds the operation from the method and path, gathers its input
 * members from the path labels, the query string, the headers and the JSON body (Invoke's body is
 * the raw payload), and renders outputs and errors as the service does: the error code in the
 * {@code x-amzn-ErrorType} header and a JSON body with {@code Type} and {@code message}.
 */
public final class LambdaRestProtocol {
  private static final String JSON = "application/json";
  private static final List<LambdaRoute> ROUTES = List.of(
      LambdaRoute.of("CreateFunction", "POST", "/2015-03-31/functions", 201, LambdaRoute.CODE_BODY),
      LambdaRoute.of("ListFunctions", "GET", "/2015-03-31/functions", 200, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("GetFunction", "GET", "/2015-03-31/functions/{FunctionName}", 200, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("DeleteFunction", "DELETE", "/2015-03-31/functions/{FunctionName}", 204, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("GetFunctionConfiguration", "GET", "/2015-03-31/functions/{FunctionName}/configuration", 200,
          LambdaRoute.SMALL_BODY),
      LambdaRoute.of("UpdateFunctionConfiguration", "PUT", "/2015-03-31/functions/{FunctionName}/configuration", 200,
          LambdaRoute.SMALL_BODY),
      LambdaRoute.of("UpdateFunctionCode", "PUT", "/2015-03-31/functions/{FunctionName}/code", 200, LambdaRoute.CODE_BODY),
      LambdaRoute.of("Invoke", "POST", "/2015-03-31/functions/{FunctionName}/invocations", 200, LambdaRoute.INVOKE_BODY),
      LambdaRoute.of("PublishVersion", "POST", "/2015-03-31/functions/{FunctionName}/versions", 201, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("ListVersionsByFunction", "GET", "/2015-03-31/functions/{FunctionName}/versions", 200,
          LambdaRoute.SMALL_BODY),
      LambdaRoute.of("CreateAlias", "POST", "/2015-03-31/functions/{FunctionName}/aliases", 201, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("ListAliases", "GET", "/2015-03-31/functions/{FunctionName}/aliases", 200, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("GetAlias", "GET", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", 200, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("UpdateAlias", "PUT", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", 200, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("DeleteAlias", "DELETE", "/2015-03-31/functions/{FunctionName}/aliases/{Name}", 204,
          LambdaRoute.SMALL_BODY),
      LambdaRoute.of("PutFunctionConcurrency", "PUT", "/2017-10-31/functions/{FunctionName}/concurrency", 200,
          LambdaRoute.SMALL_BODY),
      LambdaRoute.of("DeleteFunctionConcurrency", "DELETE", "/2017-10-31/functions/{FunctionName}/concurrency", 204,
          LambdaRoute.SMALL_BODY),
      LambdaRoute.of("GetFunctionConcurrency", "GET", "/2019-09-30/functions/{FunctionName}/concurrency", 200,
          LambdaRoute.SMALL_BODY),
      LambdaRoute.of("ListFunctionEventInvokeConfigs", "GET", "/2019-09-25/functions/{FunctionName}/event-invoke-config/list",
          200, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("PutFunctionEventInvokeConfig", "PUT", "/2019-09-25/functions/{FunctionName}/event-invoke-config", 200,
          LambdaRoute.SMALL_BODY),
      LambdaRoute.of("UpdateFunctionEventInvokeConfig", "POST", "/2019-09-25/functions/{FunctionName}/event-invoke-config", 200,
          LambdaRoute.SMALL_BODY),
      LambdaRoute.of("GetFunctionEventInvokeConfig", "GET", "/2019-09-25/functions/{FunctionName}/event-invoke-config", 200,
          LambdaRoute.SMALL_BODY),
      LambdaRoute.of("DeleteFunctionEventInvokeConfig", "DELETE", "/2019-09-25/functions/{FunctionName}/event-invoke-config",
          204, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("CreateEventSourceMapping", "POST", "/2015-03-31/event-source-mappings", 202, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("ListEventSourceMappings", "GET", "/2015-03-31/event-source-mappings", 200, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("GetEventSourceMapping", "GET", "/2015-03-31/event-source-mappings/{UUID}", 200, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("UpdateEventSourceMapping", "PUT", "/2015-03-31/event-source-mappings/{UUID}", 202, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("DeleteEventSourceMapping", "DELETE", "/2015-03-31/event-source-mappings/{UUID}", 202, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("AddPermission", "POST", "/2015-03-31/functions/{FunctionName}/policy", 201, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("GetPolicy", "GET", "/2015-03-31/functions/{FunctionName}/policy", 200, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("RemovePermission", "DELETE", "/2015-03-31/functions/{FunctionName}/policy/{StatementId}", 204,
          LambdaRoute.SMALL_BODY),
      LambdaRoute.of("TagResource", "POST", "/2017-03-31/tags/{Resource}", 204, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("UntagResource", "DELETE", "/2017-03-31/tags/{Resource}", 204, LambdaRoute.SMALL_BODY),
      LambdaRoute.of("ListTags", "GET", "/2017-03-31/tags/{Resource}", 200, LambdaRoute.SMALL_BODY));
  /** Query parameters and the members they fill. */
  private static final Map<String, String> QUERY = Map.of("Qualifier", "Qualifier", "Marker", "Marker",
      "MaxItems", "MaxItems", "FunctionVersion", "FunctionVersion", "MasterRegion", "MasterRegion",
      "FunctionName", "FunctionName", "EventSourceArn", "EventSourceArn");
  /** Invoke's headers and the members they fill. */
  private static final Map<String, String> HEADERS = Map.of("X-Amz-Invocation-Type", "InvocationType",
      "X-Amz-Log-Type", "LogType", "X-Amz-Client-Context", "ClientContext");
  /** Lambda's error codes and their status; the common ones are ServiceException. */
  static final ErrorTable ERRORS = ErrorTable.builder("")
      .code("ResourceNotFoundException", 404).code("ResourceConflictException", 409)
      .code("InvalidParameterValueException", 400).code("ValidationException", 400)
      .code("InvalidRequestContentException", 400).code("RequestTooLargeException", 413)
      .code("RequestEntityTooLargeException", 413).code("TooManyRequestsException", 429)
      .code("PreconditionFailedException", 412).code("ResourceInUseException", 400)
      .code("CodeStorageExceededException", 400).code("UnsupportedMediaTypeException", 415)
      .code("UnknownOperationException", 404).code("AccessDeniedException", 403)
      .code("ServiceException", 500)
      .renamed("InternalFailure", 500, "ServiceException")
      .renamed("ServiceUnavailable", 503, "ServiceException")
      // botocore's Lambda model (2015-03-31): these shapes spell it "Message", the others "message".
      .capitalMessage("ResourceNotFoundException", "ServiceException", "ResourceInUseException",
          "CodeSigningConfigNotFoundException", "NoPublishedVersionException", "RecursiveInvocationException",
          "InvalidZipFileException", "InvalidRuntimeException")
      .build();
  /**
   * A synchronous Invoke runs a function for up to 15 minutes; a package deployed from S3 (up to
   * 250 MB) is read, checked and stored before CreateFunction or UpdateFunctionCode answers.
   */
  public static final RestJsonBinding BINDING = new RestJsonBinding("lambda", Contracts.LAMBDA, ERRORS,
      LambdaRestProtocol::isLambdaPath, LambdaRestProtocol::route,
      Map.of("Invoke", java.time.Duration.ofMillis(io.eventplane.common.partition.NodeCalls.INVOKE_TIMEOUT_MILLIS),
          "CreateFunction", java.time.Duration.ofMillis(io.eventplane.common.partition.NodeCalls.DEPLOY_TIMEOUT_MILLIS),
          "UpdateFunctionCode", java.time.Duration.ofMillis(io.eventplane.common.partition.NodeCalls.DEPLOY_TIMEOUT_MILLIS)));

  private LambdaRestProtocol() {}

  /** The names of the operations this protocol routes. */
  public static java.util.Set<String> operations() {
    return ROUTES.stream().map(LambdaRoute::operation).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** Whether the path belongs to Lambda's API (its dated prefixes). */
  public static boolean isLambdaPath(String path) {
    return path.startsWith("/2015-03-31/") || path.startsWith("/2017-10-31/") || path.startsWith("/2019-09-30/")
        || path.startsWith("/2017-03-31/tags/") || path.startsWith("/2019-09-25/") || path.startsWith("/2020-");
  }

  /** The request's operation and path labels, or null when no operation has this method and path. */
  public static Call route(String method, String path) {
    for (LambdaRoute r : ROUTES) {
      Map<String, String> labels = r.match(method, path);
      if (labels != null) return new Call(r, labels);
    }
    return null;
  }

  /** A request matched to its operation. */
  public record Call(LambdaRoute route, Map<String, String> labels) implements RestJsonBinding.Call {
    @Override
    public String operation() {
      return route.operation();
    }

    @Override
    public int maxBodyBytes() {
      return route.maxBodyBytes();
    }

    /** The error for a body over the limit, as Lambda words it. */
    @Override
    public ServiceError tooLarge() {
      if (route.operation().equals("Invoke")) {
        return ServiceError.sender("RequestTooLargeException",
            "Request must be smaller than " + route.maxBodyBytes() + " bytes for the InvokeFunction operation");
      }
      return ServiceError.sender("RequestEntityTooLargeException",
          "Request must be smaller than " + route.maxBodyBytes() + " bytes for the " + route.operation() + " operation");
    }

    /** The operation's input members. */
    @Override
    public JsonObject input(MultiMap query, MultiMap headers, Buffer body) {
      JsonObject in;
      if (route.operation().equals("Invoke")) {
        in = new JsonObject().put("Payload", body.getBytes());
        HEADERS.forEach((header, member) -> {
          String v = headers.get(header);
          if (v != null) in.put(member, v);
        });
      } else if (body.length() == 0) {
        in = new JsonObject();
      } else {
        if (!startsWithBrace(body)) {
          throw new io.eventplane.common.error.ServiceException("InvalidRequestContentException",
              "Could not parse request body into json: the body is not a JSON object");
        }
        try {
          in = new JsonObject(body);
        } catch (DecodeException e) {
          throw new io.eventplane.common.error.ServiceException("InvalidRequestContentException",
              "Could not parse request body into json: " + firstLine(e.getMessage()));
        }
      }
      QUERY.forEach((param, member) -> {
        String v = query.get(param);
        if (v != null) in.put(member, v);
      });
      labels.forEach((label, raw) -> in.put(label, URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8)));
      if (route.operation().equals("UntagResource")) in.put("TagKeys", new JsonArray(query.getAll("tagKeys")));
      return in;
    }

    /** The success response: Invoke's payload and headers, a JSON body for the others. */
    @Override
    public WireResponse success(JsonObject output, String requestId) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("x-amzn-RequestId", requestId);
      if (route.operation().equals("Invoke")) {
        int status = output.getInteger("StatusCode", 200);
        if (output.getString("FunctionError") != null) headers.put("X-Amz-Function-Error", output.getString("FunctionError"));
        if (output.getString("LogResult") != null) headers.put("X-Amz-Log-Result", output.getString("LogResult"));
        if (output.getString("ExecutedVersion") != null && status == 200) {
          headers.put("X-Amz-Executed-Version", output.getString("ExecutedVersion"));
        }
        return WireResponse.ofBytes(status, JSON, output.getBinary("Payload", new byte[0]), headers);
      }
      int status = route.successStatus();
      return new WireResponse(status, JSON, status == 204 ? "" : output.encode(), headers);
    }
  }

  public static WireResponse error(ServiceError error, String requestId) {
    return BINDING.error(error, requestId);
  }

  private static boolean startsWithBrace(Buffer body) {
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n') continue;
      return b == '{';
    }
    return false;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.split("\n")[0];
  }
}
