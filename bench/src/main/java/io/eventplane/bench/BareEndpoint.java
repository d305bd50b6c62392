package io.eventplane.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The ceiling of the HTTP path: a Vert.x server with no queue behind it, answering every POST
 * with a canned SQS answer picked by {@code X-Amz-Target} (SendMessage's for anything unknown).
 * It reads the whole request body, as a real server must, but never parses it. Receive answers
 * carry messages of the benchmark's body size so response sizes match a real server's.
 *
 * <p>Run in its own JVM by the benchmark: {@code java -cp eventplane-bench.jar
 * io.eventplane.bench.BareEndpoint PORT}. One server verticle instance per core, like a tuned
 * Vert.x service.
 */
public final class BareEndpoint extends VerticleBase {

  static final int BODY_BYTES = 256;

  private final int port;
  private final Canned canned;

  BareEndpoint(int port) {
    this.port = port;
    this.canned = new Canned(port);
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new BareEndpoint(port), new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare endpoint on 127.0.0.1:" + port))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .requestHandler(this::handle)
        .listen();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> request.response()
        .putHeader("Content-Type", "application/x-amz-json-1.0")
        .end(canned.answer(request.getHeader("X-Amz-Target"), body)));
  }

  /** Pre-encoded answers; nothing is built per request. */
  private static final class Canned {
    private final Buffer send;
    private final Buffer sendBatch;
    private final Buffer receiveOne;
    private final Buffer receiveTen;
    private final Buffer deleteBatch;
    private final Buffer empty = Buffer.buffer("{}");
    private final Buffer createQueue;
    private final Buffer listQueues = Buffer.buffer("{\"QueueUrls\":[]}");

    Canned(int port) {
      String md5 = "0123456789abcdef0123456789abcdef";
      String id = "4f0c1ab5-0000-4000-8000-000000000000";
      send = new JsonObject().put("MD5OfMessageBody", md5).put("MessageId", id).toBuffer();
      JsonArray sent = new JsonArray();
      JsonArray deleted = new JsonArray();
      JsonArray messages = new JsonArray();
      for (int i = 0; i < 10; i++) {
        sent.add(new JsonObject().put("Id", "m" + i).put("MD5OfMessageBody", md5).put("MessageId", id));
        deleted.add(new JsonObject().put("Id", "d" + i));
        messages.add(new JsonObject().put("MessageId", id).put("ReceiptHandle", id + "#" + i)
            .put("MD5OfBody", md5).put("Body", "x".repeat(BODY_BYTES)));
      }
      sendBatch = new JsonObject().put("Successful", sent).put("Failed", new JsonArray()).toBuffer();
      deleteBatch = new JsonObject().put("Successful", deleted).put("Failed", new JsonArray()).toBuffer();
      receiveTen = new JsonObject().put("Messages", messages).toBuffer();
      receiveOne = new JsonObject().put("Messages", new JsonArray().add(messages.getJsonObject(0))).toBuffer();
      createQueue = new JsonObject()
          .put("QueueUrl", "http://127.0.0.1:" + port + "/000000000000/bench").toBuffer();
    }

    Buffer answer(String target, Buffer request) {
      if (target == null) {
        return send;
      }
      return switch (target) {
        case "AmazonSQS.SendMessageBatch" -> sendBatch;
        case "AmazonSQS.ReceiveMessage" ->
            request.toString().contains("\"MaxNumberOfMessages\":1,") ? receiveOne : receiveTen;
        case "AmazonSQS.DeleteMessage" -> empty;
        case "AmazonSQS.DeleteMessageBatch" -> deleteBatch;
        case "AmazonSQS.CreateQueue" -> createQueue;
        case "AmazonSQS.ListQueues" -> listQueues;
        default -> send;
      };
    }
  }
}
