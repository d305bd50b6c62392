package io.eventplane.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SQS over AWS JSON 1.0 (POST /, {@code X-Amz-Target: AmazonSQS.<Action>}) on one keep-alive
 * Vert.x client. Requests carry a SigV4-shaped Authorization header; none of the servers under
 * test verify signatures, but a real SDK would send one and its size is part of the HTTP cost.
 */
final class SqsCalls {

  /** A non-200 answer, with the action and the body the server sent. */
  static final class SqsError extends RuntimeException {
    SqsError(String action, int status, String body) {
      super(action + " -> HTTP " + status + ": " + body);
    }
  }

  private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 "
      + "Credential=AKIDEXAMPLEBENCH0000/20260101/us-east-1/sqs/aws4_request, "
      + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
      + "Signature=" + "0123456789abcdef".repeat(4);

  private final HttpClient http;
  private final int port;
  private final Map<String, MultiMap> headers = new ConcurrentHashMap<>();

  SqsCalls(HttpClient http, int port) {
    this.http = http;
    this.port = port;
  }

  /** Posts one action; fails with {@link SqsError} unless the answer is 200. */
  Future<Buffer> call(String action, Buffer body) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost("127.0.0.1")
        .setPort(port)
        .setURI("/")
        .setConnectTimeout(10_000)
        .setIdleTimeout(30_000)
        .setHeaders(headers.computeIfAbsent(action, SqsCalls::headersFor));
    return http.request(options)
        .compose(request -> request.send(body))
        .compose(response -> response.body().compose(answer -> response.statusCode() == 200
            ? Future.succeededFuture(answer)
            : Future.failedFuture(new SqsError(action, response.statusCode(), answer.toString()))));
  }

  Future<JsonObject> callJson(String action, JsonObject body) {
    return call(action, body.toBuffer()).map(Buffer::toJsonObject);
  }

  /** GET of a plain path, e.g. a health endpoint; succeeds with the status code. */
  Future<Integer> get(String path) {
    return http.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(request -> request.send())
        .compose(response -> response.body().map(ignored -> response.statusCode()));
  }

  Future<String> createQueue(String name) {
    return callJson("CreateQueue", new JsonObject().put("QueueName", name))
        .map(answer -> answer.getString("QueueUrl"));
  }

  static Buffer sendBody(String queueUrl, String messageBody) {
    return new JsonObject().put("QueueUrl", queueUrl).put("MessageBody", messageBody).toBuffer();
  }

  static Buffer sendBatchBody(String queueUrl, String messageBody, int size) {
    JsonArray entries = new JsonArray();
    for (int i = 0; i < size; i++) {
      entries.add(new JsonObject().put("Id", "m" + i).put("MessageBody", messageBody));
    }
    return new JsonObject().put("QueueUrl", queueUrl).put("Entries", entries).toBuffer();
  }

  static Buffer receiveBody(String queueUrl, int max) {
    return new JsonObject().put("QueueUrl", queueUrl)
        .put("MaxNumberOfMessages", max)
        .put("WaitTimeSeconds", 0)
        .toBuffer();
  }

  static Buffer deleteBody(String queueUrl, String receiptHandle) {
    return new JsonObject().put("QueueUrl", queueUrl).put("ReceiptHandle", receiptHandle).toBuffer();
  }

  static Buffer deleteBatchBody(String queueUrl, List<String> receiptHandles) {
    JsonArray entries = new JsonArray();
    for (int i = 0; i < receiptHandles.size(); i++) {
      entries.add(new JsonObject().put("Id", "d" + i).put("ReceiptHandle", receiptHandles.get(i)));
    }
    return new JsonObject().put("QueueUrl", queueUrl).put("Entries", entries).toBuffer();
  }

  /** Receipt handles of a ReceiveMessage answer; an absent "Messages" means none. */
  static List<String> receiptHandles(Buffer receiveAnswer) {
    JsonArray messages = receiveAnswer.toJsonObject().getJsonArray("Messages");
    List<String> handles = new ArrayList<>(messages == null ? 0 : messages.size());
    if (messages != null) {
      for (int i = 0; i < messages.size(); i++) {
        handles.add(messages.getJsonObject(i).getString("ReceiptHandle"));
      }
    }
    return handles;
  }

  /** Entries listed under "Failed" in a batch answer. */
  static int failedEntries(Buffer batchAnswer) {
    JsonArray failed = batchAnswer.toJsonObject().getJsonArray("Failed");
    return failed == null ? 0 : failed.size();
  }

  private static MultiMap headersFor(String action) {
    return HttpHeaders.headers()
        .add(HttpHeaders.CONTENT_TYPE, "application/x-amz-json-1.0")
        .add("X-Amz-Target", "AmazonSQS." + action)
        .add("X-Amz-Date", "20260101T000000Z")
        .add(HttpHeaders.AUTHORIZATION, AUTHORIZATION);
  }
}
