package io.eventplane.firehose.delivery;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.eventplane.firehose.store.FirehoseStore.Buffered;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Data transformation with a Lambda processor: the records of a flush go to the function in
 * invocations of at most BufferSizeInMBs (default 1 MB), each a RequestResponse Invoke through the
 * Lambda service on the bus with AWS's request ({@code invocationId, deliveryStreamArn, region,
 * records[recordId, approximateArrivalTimestamp, data]}). The response's records decide: Ok (its
 * data is written), Dropped (nothing), ProcessingFailed (to the error prefix). An invocation that
 * fails (an error, a function error, an answer that is not a valid response) is tried again
 * NumberOfRetries times (default 3); then all its records fail with the error's code, as the
 * developer guide's "Handle failure in data transformation" describes.
 */
final class LambdaProcessor {
  private static final long INVOKE_TIMEOUT_MILLIS = 330_000;

  /**
   * What came of the records: data to write, and failures as the error objects' JSON lines;
   * {@code invocationFailed} when the invocation itself failed (all records failed with it).
   */
  record Outcome(List<byte[]> ok, List<byte[]> failed, boolean invocationFailed) {}

  private final Vertx vertx;
  private final Clock clock;

  LambdaProcessor(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /** The Lambda processor of a destination, or null when it has none enabled. */
  static JsonObject lambdaParameters(JsonObject destination) {
    JsonObject processing = destination.getJsonObject("ProcessingConfiguration");
    if (processing == null || !processing.getBoolean("Enabled", false)) return null;
    for (Object o : processing.getJsonArray("Processors", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      if (!"Lambda".equals(p.getString("Type"))) continue;
      JsonObject params = new JsonObject();
      for (Object q : p.getJsonArray("Parameters", new JsonArray())) {
        JsonObject param = (JsonObject) q;
        params.put(param.getString("ParameterName"), param.getString("ParameterValue"));
      }
      if (params.getString("LambdaArn") != null) return params;
    }
    return null;
  }

  Future<Outcome> process(JsonObject params, String streamArn, String region, List<Buffered> records) {
    String lambdaArn = params.getString("LambdaArn");
    int retries = intParam(params, "NumberOfRetries", 3);
    long chunkBytes = (long) (doubleParam(params, "BufferSizeInMBs", 1) * 1024 * 1024);
    List<List<Buffered>> chunks = new ArrayList<>();
    List<Buffered> chunk = new ArrayList<>();
    long size = 0;
    for (Buffered r : records) {
      if (!chunk.isEmpty() && size + r.data().length > chunkBytes) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
        size = 0;
      }
      chunk.add(r);
      size += r.data().length;
    }
    if (!chunk.isEmpty()) chunks.add(chunk);
    List<byte[]> ok = new ArrayList<>();
    List<byte[]> failed = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (List<Buffered> c : chunks) {
      chain = chain.compose(v -> invoke(lambdaArn, streamArn, region, c, retries, 1).map(result -> {
        ok.addAll(result.ok());
        failed.addAll(result.failed());
        return null;
      }));
    }
    return chain.map(v -> new Outcome(ok, failed, false));
  }

  private Future<Outcome> invoke(String lambdaArn, String streamArn, String region, List<Buffered> records, int retries, int attempt) {
    JsonArray items = new JsonArray();
    for (Buffered r : records) {
      items.add(new JsonObject().put("recordId", String.valueOf(r.seq())).put("approximateArrivalTimestamp", r.arrival())
          .put("data", Base64.getEncoder().encodeToString(r.data())));
    }
    JsonObject event = new JsonObject().put("invocationId", Ids.uuid()).put("deliveryStreamArn", streamArn).put("region", region)
        .put("records", items);
    String[] arn = lambdaArn.split(":", 7);
    String account = arn.length > 4 ? arn[4] : "";
    String fnRegion = arn.length > 3 ? arn[3] : region;
    JsonObject input = new JsonObject().put("FunctionName", lambdaArn).put("InvocationType", "RequestResponse")
        .put("Payload", event.encode().getBytes(StandardCharsets.UTF_8));
    RequestContext context = new RequestContext(account, fnRegion, Ids.uuid(), "http://eventplane.internal");
    return vertx.eventBus().<ApiReply>request(Contracts.LAMBDA, new ApiRequest("Invoke", input, context),
            new DeliveryOptions().setSendTimeout(INVOKE_TIMEOUT_MILLIS))
        .map(m -> answer(m.body(), records, lambdaArn, attempt))
        .otherwise(e -> failure("Lambda.FunctionError", String.valueOf(e.getMessage()), records, lambdaArn, attempt))
        .compose(outcome -> outcome.invocationFailed() && attempt <= retries
            ? invoke(lambdaArn, streamArn, region, records, retries, attempt + 1) : Future.succeededFuture(outcome));
  }

  private Outcome answer(ApiReply reply, List<Buffered> records, String lambdaArn, int attempt) {
    if (!reply.succeeded()) {
      String code = switch (reply.error().code()) {
        case "ResourceNotFoundException" -> "Lambda.FunctionNotFound";
        case "TooManyRequestsException" -> "Lambda.InvokeLimitExceeded";
        case "AccessDeniedException" -> "Lambda.InvokeAccessDenied";
        default -> "Lambda.FunctionError";
      };
      return failure(code, reply.error().message(), records, lambdaArn, attempt);
    }
    JsonObject out = reply.output();
    String payload = new String(out.getBinary("Payload", new byte[0]), StandardCharsets.UTF_8);
    if (out.getString("FunctionError") != null) {
      return failure("Lambda.FunctionError", "The Lambda function was successfully invoked but it returned an error result.",
          records, lambdaArn, attempt);
    }
    JsonArray results;
    try {
      results = new JsonObject(payload).getJsonArray("records");
    } catch (RuntimeException e) {
      results = null;
    }
    if (results == null) {
      return failure("Lambda.InvalidReturnedData", "The Lambda function returned a response that is not valid JSON with records.",
          records, lambdaArn, attempt);
    }
    Map<String, JsonObject> byId = new HashMap<>();
    for (Object o : results) {
      if (o instanceof JsonObject r && r.getString("recordId") != null) byId.put(r.getString("recordId"), r);
    }
    List<byte[]> ok = new ArrayList<>();
    List<byte[]> failed = new ArrayList<>();
    for (Buffered r : records) {
      JsonObject result = byId.get(String.valueOf(r.seq()));
      if (result == null) {
        failed.add(error("Lambda.MissingRecordId", "Record ID " + r.seq() + " was missing from the Lambda function's response.",
            r, lambdaArn, attempt));
        continue;
      }
      switch (result.getString("result", "")) {
        case "Ok" -> {
          try {
            ok.add(Base64.getDecoder().decode(result.getString("data", "")));
          } catch (IllegalArgumentException e) {
            failed.add(error("Lambda.InvalidReturnedData", "The data of record " + r.seq() + " is not valid base64.", r, lambdaArn,
                attempt));
          }
        }
        case "Dropped" -> { }
        case "ProcessingFailed" -> failed.add(error("Lambda.ProcessingFailed",
            "The Lambda function reported the record as failed (result ProcessingFailed).", r, lambdaArn, attempt));
        default -> failed.add(error("Lambda.InvalidRecordResult", "Invalid result " + result.getString("result")
            + " for record " + r.seq() + ": expected Ok, Dropped or ProcessingFailed.", r, lambdaArn, attempt));
      }
    }
    return new Outcome(ok, failed, false);
  }

  private Outcome failure(String code, String message, List<Buffered> records, String lambdaArn, int attempt) {
    List<byte[]> failed = new ArrayList<>();
    for (Buffered r : records) failed.add(error(code, message, r, lambdaArn, attempt));
    return new Outcome(List.of(), failed, true);
  }

  /** A failed record as Firehose writes it under the error prefix: one JSON object per line. */
  private byte[] error(String code, String message, Buffered r, String lambdaArn, int attempt) {
    return (new JsonObject().put("attemptsMade", attempt).put("arrivalTimestamp", r.arrival()).put("errorCode", code)
        .put("errorMessage", message).put("attemptEndingTimestamp", clock.millis())
        .put("rawData", Base64.getEncoder().encodeToString(r.data())).put("lambdaArn", lambdaArn).encode() + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static int intParam(JsonObject params, String name, int fallback) {
    try {
      return params.getString(name) == null ? fallback : Integer.parseInt(params.getString(name));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static double doubleParam(JsonObject params, String name, double fallback) {
    try {
      return params.getString(name) == null ? fallback : Double.parseDouble(params.getString(name));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
