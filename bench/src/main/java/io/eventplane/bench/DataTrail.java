package io.eventplane.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * A CloudTrail trail that logs every SQS data event (SendMessage, ReceiveMessage, DeleteMessage ...)
 * of the server under test into a bucket: the audit trail's most expensive setting for an SQS load,
 * where every call builds a record that the server stores. Made with the same unchecked
 * SigV4-shaped Authorization header as the bench's other calls.
 */
final class DataTrail {
  private static final String AUTH = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLEBENCH0000/20260101/us-east-1/%s/aws4_request, "
      + "SignedHeaders=content-type;host;x-amz-date, Signature=" + "0123456789abcdef".repeat(4);
  static final String BUCKET = "bench-trail-logs";
  static final String TRAIL = "bench-sqs-data";

  private DataTrail() {}

  /** Creates the bucket and the trail, selects SQS data events and starts logging. */
  static void start(HttpClient http, int port) throws Exception {
    RequestOptions bucket = new RequestOptions().setMethod(HttpMethod.PUT).setHost("127.0.0.1").setPort(port)
        .setURI("/" + BUCKET).putHeader("X-Amz-Date", "20260101T000000Z").putHeader("Authorization", String.format(AUTH, "s3"));
    http.request(bucket).compose(r -> r.send()).compose(r -> r.body().compose(b -> r.statusCode() == 200
        ? Future.succeededFuture() : Future.failedFuture("CreateBucket -> " + r.statusCode() + " " + b)))
        .await(60, TimeUnit.SECONDS);
    cloudTrail(http, port, "CreateTrail", new JsonObject().put("Name", TRAIL).put("S3BucketName", BUCKET));
    cloudTrail(http, port, "PutEventSelectors", new JsonObject().put("TrailName", TRAIL).put("AdvancedEventSelectors",
        new JsonArray().add(new JsonObject().put("Name", "sqs-data").put("FieldSelectors", new JsonArray()
            .add(new JsonObject().put("Field", "eventCategory").put("Equals", new JsonArray().add("Data")))
            .add(new JsonObject().put("Field", "resources.type").put("Equals", new JsonArray().add("AWS::SQS::Queue")))))));
    cloudTrail(http, port, "StartLogging", new JsonObject().put("Name", TRAIL));
  }

  private static void cloudTrail(HttpClient http, int port, String action, JsonObject body) throws Exception {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/")
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101." + action)
        .putHeader("X-Amz-Date", "20260101T000000Z").putHeader("Authorization", String.format(AUTH, "cloudtrail"));
    http.request(o).compose(r -> r.send(Buffer.buffer(body.encode()))).compose(r -> r.body().compose(b -> r.statusCode() == 200
        ? Future.succeededFuture() : Future.failedFuture(action + " -> " + r.statusCode() + " " + b)))
        .await(60, TimeUnit.SECONDS);
  }
}
