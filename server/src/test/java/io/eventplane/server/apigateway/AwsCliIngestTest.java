package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eventplane.server.AwsCli;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's "HTTP ingest routes" commands, run by the real `aws` command against a real server. */
class AwsCliIngestTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  @BeforeAll
  static void cliPresent() throws Exception {
    assumeTrue(AwsCli.present(), "the aws command is not on the PATH");
  }

  private static String aws(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("aws", "--endpoint-url", server.endpoint().toString()));
    cmd.addAll(List.of(args));
    AwsCli.Result r = AwsCli.run(cmd, 180);
    assertThat(r.exitCode()).as("aws %s failed: %s", String.join(" ", args), r.err()).isZero();
    return r.out();
  }

  @Test
  void readmeIngestCommandsWork() throws Exception {
    aws("kinesis", "create-stream", "--stream-name", "events", "--shard-count", "1");
    aws("s3", "mb", "s3://events-archive");
    aws("firehose", "create-delivery-stream", "--delivery-stream-name", "events-to-s3",
        "--delivery-stream-type", "KinesisStreamAsSource",
        "--kinesis-stream-source-configuration",
        "KinesisStreamARN=arn:aws:kinesis:us-east-1:000000000000:stream/events,RoleARN=arn:aws:iam::000000000000:role/fh",
        "--extended-s3-destination-configuration",
        "{\"BucketARN\":\"arn:aws:s3:::events-archive\",\"RoleARN\":\"arn:aws:iam::000000000000:role/fh\","
            + "\"BufferingHints\":{\"IntervalInSeconds\":0,\"SizeInMBs\":1}}");
    JsonObject api = new JsonObject(aws("apigatewayv2", "create-api", "--name", "ingest", "--protocol-type", "HTTP"));
    String apiId = api.getString("ApiId");
    assertThat(api.getString("ApiEndpoint")).isEqualTo("http://" + apiId + ".execute-api.localhost:" + server.endpoint().getPort());
    String integrationId = new JsonObject(aws("apigatewayv2", "create-integration", "--api-id", apiId,
        "--integration-type", "AWS_PROXY", "--integration-subtype", "Kinesis-PutRecord", "--payload-format-version", "1.0",
        "--credentials-arn", "arn:aws:iam::000000000000:role/apigw",
        "--request-parameters", "StreamName=events,Data=$request.body.data,PartitionKey=$context.requestId"))
        .getString("IntegrationId");
    aws("apigatewayv2", "create-route", "--api-id", apiId, "--route-key", "POST /events", "--target", "integrations/" + integrationId);
    aws("apigatewayv2", "create-stage", "--api-id", apiId, "--stage-name", "$default", "--auto-deploy");

    // curl -X POST http://<ApiId>.execute-api.localhost:4566/events ..., in its path form.
    HttpResponse<byte[]> r = Invocations.send(server.endpoint(), apiId, "POST", "/events", "{\"data\":\"aGVsbG8K\"}",
        "Content-Type", "application/json");
    assertThat(r.statusCode()).as(Invocations.text(r)).isEqualTo(200);

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
      server.advance(Duration.ofSeconds(1));
      return aws("s3", "ls", "s3://events-archive", "--recursive").contains("events-to-s3-1-");
    });
    String key = aws("s3", "ls", "s3://events-archive", "--recursive").trim().split("\\s+")[3];
    assertThat(server.s3().getObjectAsBytes(b -> b.bucket("events-archive").key(key)).asString(StandardCharsets.UTF_8))
        .isEqualTo("hello\n");
  }

  @Test
  void readmeRestApiCommandsWork() throws Exception {
    aws("kinesis", "create-stream", "--stream-name", "events", "--shard-count", "1");
    String apiId = new JsonObject(aws("apigateway", "create-rest-api", "--name", "ingest-rest")).getString("id");
    String rootId = new JsonObject(aws("apigateway", "get-resources", "--rest-api-id", apiId))
        .getJsonArray("items").getJsonObject(0).getString("id");
    String resourceId = new JsonObject(aws("apigateway", "create-resource", "--rest-api-id", apiId, "--parent-id", rootId,
        "--path-part", "events")).getString("id");
    aws("apigateway", "put-method", "--rest-api-id", apiId, "--resource-id", resourceId, "--http-method", "POST",
        "--authorization-type", "NONE");
    aws("apigateway", "put-integration", "--rest-api-id", apiId, "--resource-id", resourceId, "--http-method", "POST",
        "--type", "AWS", "--integration-http-method", "POST", "--uri", "arn:aws:apigateway:us-east-1:kinesis:action/PutRecord",
        "--credentials", "arn:aws:iam::000000000000:role/apigw", "--request-templates",
        "{\"application/json\":\"{\\\"StreamName\\\":\\\"events\\\",\\\"Data\\\":\\\"$util.base64Encode($input.body)\\\","
            + "\\\"PartitionKey\\\":\\\"$context.requestId\\\"}\"}");
    aws("apigateway", "put-method-response", "--rest-api-id", apiId, "--resource-id", resourceId, "--http-method", "POST",
        "--status-code", "200");
    aws("apigateway", "put-integration-response", "--rest-api-id", apiId, "--resource-id", resourceId, "--http-method", "POST",
        "--status-code", "200");
    aws("apigateway", "create-deployment", "--rest-api-id", apiId, "--stage-name", "prod");

    // curl -X POST http://<id>.execute-api.localhost:4566/prod/events ..., in its path form.
    HttpResponse<byte[]> r = Invocations.send(server.endpoint(), apiId, "POST", "/prod/events", "{\"hello\":\"world\"}",
        "Content-Type", "application/json");
    assertThat(r.statusCode()).as(Invocations.text(r)).isEqualTo(200);
    assertThat(new JsonObject(Invocations.text(r)).getString("SequenceNumber")).isNotEmpty();
    String shard = server.kinesis().listShards(b -> b.streamName("events")).shards().get(0).shardId();
    String iterator = server.kinesis().getShardIterator(b -> b.streamName("events").shardId(shard)
        .shardIteratorType(software.amazon.awssdk.services.kinesis.model.ShardIteratorType.TRIM_HORIZON)).shardIterator();
    assertThat(server.kinesis().getRecords(b -> b.shardIterator(iterator)).records())
        .extracting(rec -> rec.data().asUtf8String()).containsExactly("{\"hello\":\"world\"}");
  }
}
