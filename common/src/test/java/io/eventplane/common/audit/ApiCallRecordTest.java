package io.eventplane.common.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Records name what a call asked for, never what it carried. */
class ApiCallRecordTest {
  private static final RequestContext CONTEXT = new RequestContext("111122223333", "eu-west-1", "req-1", "http://localhost");
  private static final AuditCaller CALLER = new AuditCaller("AKIDEXAMPLE", "10.0.0.1", "aws-cli/2");
  private static final Instant TIME = Instant.parse("2026-01-02T03:04:05.678Z");

  private static JsonObject record(String service, String op, JsonObject in, JsonObject out) {
    return ApiCallRecord.of(service, op, in, out, null, CONTEXT, CALLER, TIME, "event-1").getJsonObject("record");
  }

  @Test
  void bodiesOfDataCallsAreLeftOutAtEveryDepth() {
    JsonObject batch = record("sqs", "SendMessageBatch", new JsonObject().put("QueueUrl", "http://h/111122223333/q")
        .put("Entries", new JsonArray().add(new JsonObject().put("Id", "1").put("MessageBody", "secret")
            .put("MessageAttributes", new JsonObject().put("a", new JsonObject().put("StringValue", "v"))))), null);
    assertThat(batch.encode()).doesNotContain("secret");
    assertThat(batch.getJsonObject("requestParameters").getJsonArray("entries").getJsonObject(0).getString("id")).isEqualTo("1");
    JsonObject invoke = record("lambda", "Invoke", new JsonObject().put("FunctionName", "f").put("Payload", "secret".getBytes()),
        new JsonObject().put("StatusCode", 200).put("Payload", "secret".getBytes()));
    assertThat(invoke.getJsonObject("requestParameters")).isEqualTo(new JsonObject().put("functionName", "f"));
    assertThat(invoke.getString("eventCategory")).isEqualTo("Data");
    assertThat(invoke.getJsonArray("resources").getJsonObject(0).getString("ARN"))
        .isEqualTo("arn:aws:lambda:eu-west-1:111122223333:function:f");
    JsonObject publish = record("sns", "Publish", new JsonObject().put("TopicArn", "arn:aws:sns:eu-west-1:111122223333:t")
        .put("Message", "secret").put("Subject", "s"), new JsonObject().put("MessageId", "m"));
    assertThat(publish.encode()).doesNotContain("secret");
    JsonObject code = record("lambda", "CreateFunction", new JsonObject().put("FunctionName", "f")
        .put("Code", new JsonObject().put("ZipFile", "UEsDBA==")), new JsonObject().put("FunctionName", "f"));
    assertThat(code.encode()).doesNotContain("UEsDBA");
    JsonObject records = record("firehose", "PutRecordBatch", new JsonObject().put("DeliveryStreamName", "s")
        .put("Records", new JsonArray().add(new JsonObject().put("Data", "c2VjcmV0"))), new JsonObject().put("FailedPutCount", 0));
    assertThat(records.encode()).doesNotContain("c2VjcmV0");
    assertThat(records.getJsonObject("requestParameters").getString("deliveryStreamName")).isEqualTo("s");
  }

  @Test
  void secretsHandedOutAreNeverRecorded() {
    JsonObject r = record("iam", "CreateAccessKey", new JsonObject().put("UserName", "alice"),
        new JsonObject().put("AccessKey", new JsonObject().put("UserName", "alice").put("AccessKeyId", "AKIAAAAAAAAAAAAAAAAA")
            .put("Status", "Active").put("SecretAccessKey", "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY")));
    assertThat(r.encode()).doesNotContain("wJalrXUtnFEMI");
    assertThat(r.getJsonObject("responseElements").getJsonObject("accessKey").getString("AccessKeyId"))
        .isEqualTo("AKIAAAAAAAAAAAAAAAAA");
  }

  @Test
  void theRecordCarriesTheCallerTimeAndClass() {
    JsonObject r = record("events", "PutRule", new JsonObject().put("Name", "r"), new JsonObject().put("RuleArn", "arn"));
    assertThat(r.getString("eventTime")).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(r.getString("eventSource")).isEqualTo("events.amazonaws.com");
    assertThat(r.getString("awsRegion")).isEqualTo("eu-west-1");
    assertThat(r.getString("sourceIPAddress")).isEqualTo("10.0.0.1");
    assertThat(r.getString("userAgent")).isEqualTo("aws-cli/2");
    assertThat(r.getJsonObject("userIdentity").getString("accessKeyId")).isEqualTo("AKIDEXAMPLE");
    assertThat(r.getJsonObject("responseElements")).isEqualTo(new JsonObject().put("ruleArn", "arn"));
    assertThat(r.getBoolean("readOnly")).isFalse();
    assertThat(r.containsKey("resources")).isFalse();
    JsonObject failed = ApiCallRecord.of("sqs", "GetQueueUrl", new JsonObject().put("QueueName", "q"), null,
        ServiceError.sender("AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."), CONTEXT, CALLER,
        TIME, "e").getJsonObject("record");
    assertThat(failed.getString("errorCode")).isEqualTo("AWS.SimpleQueueService.NonExistentQueue");
    assertThat(failed.getBoolean("readOnly")).isTrue();
    assertThat(failed.getValue("responseElements")).isNull();
  }

  @Test
  void s3RecordsNameTheBucketHostAndKeyAndNothingTheGatewayAdded() {
    RequestContext s3 = new RequestContext("111122223333", "eu-west-1", "req-2", "http://photos.s3.localhost:4566");
    JsonObject put = ApiCallRecord.of("s3", "PutObject", new JsonObject().put("Bucket", "photos").put("Key", "a/b.jpg")
        .put("ContentType", "image/jpeg").put("Metadata", new JsonObject().put("owner", "secret-owner"))
        .put("Blob", new JsonObject().put("id", "secret-blob")).put("SourceIp", "10.0.0.1"), new JsonObject().put("ETag", "\"e\""),
        null, s3, CALLER, TIME, "e").getJsonObject("record");
    assertThat(put.getJsonObject("requestParameters")).isEqualTo(new JsonObject().put("bucketName", "photos")
        .put("Host", "photos.s3.localhost:4566").put("key", "a/b.jpg"));
    assertThat(put.encode()).doesNotContain("secret");
    JsonObject part = ApiCallRecord.of("s3", "UploadPart", new JsonObject().put("Bucket", "photos").put("Key", "big")
        .put("UploadId", "u-1").put("PartNumber", 2).put("Blob", new JsonObject()), null, null, s3, CALLER, TIME, "e")
        .getJsonObject("record");
    assertThat(part.getJsonObject("requestParameters")).isEqualTo(new JsonObject().put("bucketName", "photos")
        .put("Host", "photos.s3.localhost:4566").put("key", "big").put("uploadId", "u-1").put("partNumber", 2));
    JsonObject tagging = ApiCallRecord.of("s3", "PutBucketTagging", new JsonObject().put("Bucket", "photos")
        .put("Tagging", new JsonObject().put("TagSet", new JsonArray())).put("SourceIp", "10.0.0.1"), null, null, s3, CALLER, TIME,
        "e").getJsonObject("record");
    assertThat(tagging.getJsonObject("requestParameters")).isEqualTo(new JsonObject()
        .put("tagging", new JsonObject().put("TagSet", new JsonArray())).put("bucketName", "photos")
        .put("Host", "photos.s3.localhost:4566"));
    JsonObject list = ApiCallRecord.of("s3", "ListBuckets", null, null, null, CONTEXT, CALLER, TIME, "e").getJsonObject("record");
    assertThat(list.getJsonObject("requestParameters")).isEqualTo(new JsonObject().put("Host", "localhost"));
  }
}
