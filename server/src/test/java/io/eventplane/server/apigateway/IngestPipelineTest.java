package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The seed's pattern 8 end to end: an HTTP API route {@code POST /events} with a Kinesis-PutRecord
 * integration, a Firehose delivery stream reading the stream (KinesisStreamAsSource, no buffering
 * interval) into a bucket; records POSTed to the invoke URL with a plain HTTP client, spread over
 * every node (in the three-node run most land on nodes that do not own the API), each found
 * exactly once in the bucket's objects.
 */
class IngestPipelineTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final String ROLE = "arn:aws:iam::000000000000:role/ingest";
  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);

  @AfterEach
  void close() {
    v2.close();
  }

  @Test
  void everyPostedRecordLandsInTheBucketOnce() throws Exception {
    server.kinesis().createStream(b -> b.streamName("ingest").shardCount(2));
    await().atMost(Duration.ofSeconds(20)).until(() -> server.kinesis()
        .describeStreamSummary(b -> b.streamName("ingest")).streamDescriptionSummary().streamStatusAsString().equals("ACTIVE"));
    server.s3().createBucket(b -> b.bucket("ingest-archive"));
    server.firehose().createDeliveryStream(b -> b.deliveryStreamName("ingest-to-s3")
        .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
        .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN("arn:aws:kinesis:us-east-1:000000000000:stream/ingest").roleARN(ROLE))
        .extendedS3DestinationConfiguration(d -> d.roleARN(ROLE).bucketARN("arn:aws:s3:::ingest-archive")
            .bufferingHints(h -> h.sizeInMBs(1).intervalInSeconds(0))));

    String apiId = v2.createApi(b -> b.name("ingest").protocolType(ProtocolType.HTTP)).apiId();
    String integrationId = v2.createIntegration(b -> b.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
        .integrationSubtype("Kinesis-PutRecord").credentialsArn(ROLE).payloadFormatVersion("1.0")
        .requestParameters(Map.of("StreamName", "ingest", "Data", "$request.body.data", "PartitionKey", "$context.requestId")))
        .integrationId();
    v2.createRoute(b -> b.apiId(apiId).routeKey("POST /events").target("integrations/" + integrationId));
    v2.createStage(b -> b.apiId(apiId).stageName("$default").autoDeploy(true));

    int n = 60;
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String record = "event-" + i + "\n";
      sent.add(record.trim());
      String body = new JsonObject().put("data", Base64.getEncoder().encodeToString(record.getBytes(StandardCharsets.UTF_8))).encode();
      HttpResponse<byte[]> r = send(server.endpoint(i % EmbeddedServer.nodes()), apiId, "POST", "/events", body,
          "Content-Type", "application/json");
      assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
      JsonObject out = new JsonObject(text(r));
      assertThat(out.getString("SequenceNumber")).isNotEmpty();
      assertThat(out.getString("ShardId")).startsWith("shardId-");
    }

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      server.advance(Duration.ofSeconds(1));
      return lines().size() >= n;
    });
    Map<String, Integer> counts = new HashMap<>();
    for (String line : lines()) counts.merge(line, 1, Integer::sum);
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(counts.values()).allMatch(c -> c == 1);
  }

  private List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (S3Object o : server.s3().listObjectsV2Paginator(b -> b.bucket("ingest-archive")).contents()) {
      String body = server.s3().getObjectAsBytes(b -> b.bucket("ingest-archive").key(o.key())).asString(StandardCharsets.UTF_8);
      for (String line : body.split("\n")) if (!line.isEmpty()) lines.add(line);
    }
    return lines;
  }
}
