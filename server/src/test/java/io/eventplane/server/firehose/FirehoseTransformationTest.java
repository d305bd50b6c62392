package io.eventplane.server.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.eventplane.server.lambda.Functions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.firehose.model.ProcessingConfiguration;
import software.amazon.awssdk.services.firehose.model.Processor;
import software.amazon.awssdk.services.firehose.model.ProcessorParameter;
import software.amazon.awssdk.services.firehose.model.ProcessorParameterName;
import software.amazon.awssdk.services.firehose.model.ProcessorType;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Data transformation with a Lambda processor (the examples' FirehoseTransformer, which reads
 * AWS's KinesisFirehoseEvent): Ok records are written as the function returned them, Dropped ones
 * not at all, ProcessingFailed ones go under the error prefix as Firehose's error records.
 */
class FirehoseTransformationTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String HANDLER = "io.eventplane.examples.FirehoseTransformer::handleRequest";

  private void stream(String name, String bucket, String functionArn) {
    server.s3().createBucket(b -> b.bucket(bucket));
    server.firehose().createDeliveryStream(b -> b.deliveryStreamName(name).extendedS3DestinationConfiguration(d -> d
        .roleARN(DeliveryStreamsTest.ROLE).bucketARN("arn:aws:s3:::" + bucket)
        .prefix("ok/!{timestamp:yyyy}/").errorOutputPrefix("errors/!{firehose:error-output-type}/!{timestamp:yyyy}/")
        .bufferingHints(h -> h.intervalInSeconds(0))
        .processingConfiguration(ProcessingConfiguration.builder().enabled(true).processors(Processor.builder()
            .type(ProcessorType.LAMBDA).parameters(
                ProcessorParameter.builder().parameterName(ProcessorParameterName.LAMBDA_ARN).parameterValue(functionArn).build(),
                ProcessorParameter.builder().parameterName(ProcessorParameterName.NUMBER_OF_RETRIES).parameterValue("1").build())
            .build()).build())));
  }

  private void put(String name, String... records) {
    List<Record> batch = new ArrayList<>();
    for (String r : records) batch.add(Record.builder().data(SdkBytes.fromUtf8String(r)).build());
    server.firehose().putRecordBatch(b -> b.deliveryStreamName(name).records(batch));
  }

  private List<S3Object> objects(String bucket, String prefix) {
    return server.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().toList();
  }

  private String read(String bucket, String key) {
    return server.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
  }

  private List<JsonObject> errorRecords(String bucket, String prefix) {
    List<JsonObject> out = new ArrayList<>();
    for (S3Object o : objects(bucket, prefix)) for (String line : read(bucket, o.key()).split("\n")) out.add(new JsonObject(line));
    return out;
  }

  @Test
  void theFunctionDecidesWhatIsWrittenDroppedOrFailed() {
    String arn = Functions.create(server.lambda(), "fh-transform", HANDLER).functionArn();
    stream("transformed", "fh-transformed", arn);
    Instant arrival = server.clock().instant();
    String year = DateTimeFormatter.ofPattern("yyyy").withZone(ZoneOffset.UTC).format(arrival);
    put("transformed", "hello", "drop me", "fail me", "world");
    await().atMost(Duration.ofSeconds(90)).until(() -> !objects("fh-transformed", "ok/").isEmpty()
        && !objects("fh-transformed", "errors/").isEmpty());
    List<S3Object> ok = objects("fh-transformed", "ok/");
    assertThat(ok).hasSize(1);
    assertThat(ok.get(0).key()).startsWith("ok/" + year + "/transformed-1-");
    assertThat(read("fh-transformed", ok.get(0).key())).isEqualTo("HELLO\nWORLD\n");
    List<S3Object> errors = objects("fh-transformed", "errors/");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).key()).startsWith("errors/processing-failed/" + year + "/transformed-1-");
    List<JsonObject> failed = errorRecords("fh-transformed", "errors/");
    assertThat(failed).hasSize(1);
    JsonObject f = failed.get(0);
    assertThat(f.getString("errorCode")).isEqualTo("Lambda.ProcessingFailed");
    assertThat(new String(Base64.getDecoder().decode(f.getString("rawData")), StandardCharsets.UTF_8)).isEqualTo("fail me");
    assertThat(f.getString("lambdaArn")).isEqualTo(arn);
    assertThat(f.getLong("arrivalTimestamp")).isEqualTo(arrival.toEpochMilli());
    assertThat(f.getInteger("attemptsMade")).isEqualTo(1);
    assertThat(f.fieldNames()).contains("errorMessage", "attemptEndingTimestamp");
  }

  @Test
  void recordsOfAFunctionThatCannotBeInvokedGoUnderTheErrorPrefix() {
    String missing = "arn:aws:lambda:us-east-1:000000000000:function:fh-no-such-function";
    stream("no-function", "fh-no-function", missing);
    put("no-function", "a", "b");
    await().atMost(Duration.ofSeconds(30)).until(() -> !objects("fh-no-function", "errors/").isEmpty());
    assertThat(objects("fh-no-function", "ok/")).isEmpty();
    List<JsonObject> failed = errorRecords("fh-no-function", "errors/processing-failed/");
    assertThat(failed).extracting(j -> new String(Base64.getDecoder().decode(j.getString("rawData")), StandardCharsets.UTF_8))
        .containsExactly("a", "b");
    // NumberOfRetries 1: the first attempt and one more.
    assertThat(failed).allSatisfy(j -> {
      assertThat(j.getString("errorCode")).isEqualTo("Lambda.FunctionNotFound");
      assertThat(j.getInteger("attemptsMade")).isEqualTo(2);
    });
  }
}
