package io.eventplane.server.apigateway;

import static io.eventplane.server.apigateway.Invocations.send;
import static io.eventplane.server.apigateway.Invocations.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * AWS's "Tutorial: Create a REST API as an Amazon Kinesis proxy", end to end on the invoke URL: the
 * tutorial's resources, AWS integrations and mapping templates; a stream created, records put one at a
 * time (PUT /record) and in batches (PUT /records, the #foreach template), then read back through the API
 * (GET /sharditerator, GET /records with the Shard-Iterator header) and with the Kinesis SDK, from every node.
 */
class RestInvokeKinesisProxyTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  static final String ROLE = "arn:aws:iam::000000000000:role/apigAwsProxyRole";
  static final String KINESIS = "arn:aws:apigateway:us-east-1:kinesis:action/";
  static final String PUT_RECORD = """
      {
          "StreamName": "$input.params('stream-name')",
          "Data": "$util.base64Encode($input.json('$.Data'))",
          "PartitionKey": "$input.path('$.PartitionKey')"
      }""";
  static final String PUT_RECORDS = """
      {
          "StreamName": "$input.params('stream-name')",
          "Records": [
             #foreach($elem in $input.path('$.records'))
                {
                  "Data": "$util.base64Encode($elem.data)",
                  "PartitionKey": "$elem.partition-key"
                }#if($foreach.hasNext),#end
              #end
          ]
      }""";

  private final ApiGatewayClient apigw = RestApiClients.v1(server);

  @AfterEach
  void close() {
    apigw.close();
  }

  private void method(String apiId, String resourceId, String httpMethod, String action, String template,
      Map<String, Boolean> parameters) {
    apigw.putMethod(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod).authorizationType("NONE")
        .requestParameters(parameters));
    apigw.putIntegration(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod).type(IntegrationType.AWS)
        .integrationHttpMethod("POST").uri(KINESIS + action).credentials(ROLE)
        .requestParameters(Map.of("integration.request.header.Content-Type", "'application/x-amz-json-1.1'"))
        .requestTemplates(Map.of("application/json", template)).passthroughBehavior("WHEN_NO_TEMPLATES"));
    apigw.putMethodResponse(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod).statusCode("200")
        .responseModels(Map.of("application/json", "Empty")));
    apigw.putIntegrationResponse(b -> b.restApiId(apiId).resourceId(resourceId).httpMethod(httpMethod).statusCode("200")
        .selectionPattern("").responseTemplates(Map.of("application/json", "")));
  }

  private String kinesisProxy() {
    var api = apigw.createRestApi(b -> b.name("KinesisProxy").endpointConfiguration(e -> e.typesWithStrings("REGIONAL")));
    String apiId = api.id();
    String streams = apigw.createResource(b -> b.restApiId(apiId).parentId(api.rootResourceId()).pathPart("streams")).id();
    String stream = apigw.createResource(b -> b.restApiId(apiId).parentId(streams).pathPart("{stream-name}")).id();
    String record = apigw.createResource(b -> b.restApiId(apiId).parentId(stream).pathPart("record")).id();
    String records = apigw.createResource(b -> b.restApiId(apiId).parentId(stream).pathPart("records")).id();
    String iterator = apigw.createResource(b -> b.restApiId(apiId).parentId(stream).pathPart("sharditerator")).id();
    method(apiId, streams, "GET", "ListStreams", "{}", Map.of());
    method(apiId, stream, "GET", "DescribeStream", "{\n    \"StreamName\": \"$input.params('stream-name')\"\n}", Map.of());
    method(apiId, stream, "POST", "CreateStream",
        "{\n    \"ShardCount\": 5,\n    \"StreamName\": \"$input.params('stream-name')\"\n}", Map.of());
    method(apiId, stream, "DELETE", "DeleteStream", "{\n    \"StreamName\": \"$input.params('stream-name')\"\n}", Map.of());
    method(apiId, record, "PUT", "PutRecord", PUT_RECORD, Map.of());
    method(apiId, records, "PUT", "PutRecords", PUT_RECORDS, Map.of());
    method(apiId, records, "GET", "GetRecords", "{\n    \"ShardIterator\": \"$input.params('Shard-Iterator')\"\n}",
        Map.of("method.request.header.Shard-Iterator", false));
    method(apiId, iterator, "GET", "GetShardIterator", "{\n    \"ShardId\": \"$input.params('shard-id')\",\n"
        + "    \"ShardIteratorType\": \"TRIM_HORIZON\",\n    \"StreamName\": \"$input.params('stream-name')\"\n}",
        Map.of("method.request.querystring.shard-id", false));
    apigw.createDeployment(b -> b.restApiId(apiId).stageName("test"));
    return apiId;
  }

  private static JsonObject ok(HttpResponse<byte[]> response) {
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    return new JsonObject(text(response));
  }

  @Test
  void theTutorialsStreamIsCreatedWrittenAndReadThroughTheApi() throws Exception {
    String apiId = kinesisProxy();
    ok(send(server.endpoint(), apiId, "POST", "/test/streams/myStream", "{}", "Content-Type", "application/json"));
    await().atMost(Duration.ofSeconds(30)).until(() -> server.kinesis().describeStream(b -> b.streamName("myStream"))
        .streamDescription().streamStatus() == StreamStatus.ACTIVE);
    JsonObject listed = ok(send(server.endpoint(), apiId, "GET", "/test/streams", null));
    assertThat(listed.getJsonArray("StreamNames").getList()).contains("myStream");
    JsonObject described = ok(send(server.endpoint(), apiId, "GET", "/test/streams/myStream", null));
    assertThat(described.getJsonObject("StreamDescription").getJsonArray("Shards")).hasSize(5);

    List<String> sent = new ArrayList<>();
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      JsonObject put = ok(send(server.endpoint(node), apiId, "PUT", "/test/streams/myStream/record",
          "{\"Data\": \"some data " + node + "\", \"PartitionKey\": \"some key\"}", "Content-Type", "application/json"));
      assertThat(put.getString("SequenceNumber")).isNotEmpty();
      assertThat(put.getString("ShardId")).startsWith("shardId-");
      sent.add("\"some data " + node + "\"");
      JsonObject batch = ok(send(server.endpoint(node), apiId, "PUT", "/test/streams/myStream/records", """
          {"records": [{"data": "batch %d a", "partition-key": "k1"}, {"data": "batch %d b", "partition-key": "k2"}]}"""
          .formatted(node, node), "Content-Type", "application/json"));
      assertThat(batch.getInteger("FailedRecordCount")).isZero();
      assertThat(batch.getJsonArray("Records")).hasSize(2);
      sent.add("batch " + node + " a");
      sent.add("batch " + node + " b");
    }

    List<String> readThroughApi = new ArrayList<>();
    for (int shard = 0; shard < 5; shard++) {
      String shardId = "shardId-00000000000" + shard;
      JsonObject iterator = ok(send(server.endpoint(), apiId, "GET", "/test/streams/myStream/sharditerator?shard-id=" + shardId, null));
      JsonObject records = ok(send(server.endpoint(), apiId, "GET", "/test/streams/myStream/records", null,
          "Shard-Iterator", iterator.getString("ShardIterator")));
      for (Object r : records.getJsonArray("Records", new JsonArray())) {
        readThroughApi.add(new String(Base64.getDecoder().decode(((JsonObject) r).getString("Data")), StandardCharsets.UTF_8));
      }
    }
    assertThat(readThroughApi).containsExactlyInAnyOrderElementsOf(sent);

    List<String> readWithSdk = new ArrayList<>();
    for (var shard : server.kinesis().listShards(b -> b.streamName("myStream")).shards()) {
      String it = server.kinesis().getShardIterator(b -> b.streamName("myStream").shardId(shard.shardId())
          .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      server.kinesis().getRecords(b -> b.shardIterator(it)).records()
          .forEach(r -> readWithSdk.add(r.data().asUtf8String()));
    }
    assertThat(readWithSdk).containsExactlyInAnyOrderElementsOf(sent);
  }

  @Test
  void kinesisErrorsReachTheIntegrationResponsesAndUnknownPathsAreMissingAuthenticationToken() throws Exception {
    String apiId = kinesisProxy();
    // The tutorial maps only 200, with no pattern: that default answers any status no pattern matches, so
    // Kinesis's 400 reaches the client as a 200 carrying Kinesis's error body, as on AWS.
    HttpResponse<byte[]> missing = send(server.endpoint(), apiId, "PUT", "/test/streams/nope/record",
        "{\"Data\": \"x\", \"PartitionKey\": \"k\"}", "Content-Type", "application/json");
    assertThat(missing.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(text(missing)).getString("__type")).isEqualTo("ResourceNotFoundException");

    HttpResponse<byte[]> unknown = send(server.endpoint(), apiId, "GET", "/test/nothing/here", null);
    assertThat(unknown.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(text(unknown))).isEqualTo(new JsonObject().put("message", "Missing Authentication Token"));
    assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
    HttpResponse<byte[]> wrongMethod = send(server.endpoint(), apiId, "PATCH", "/test/streams", null);
    assertThat(wrongMethod.statusCode()).isEqualTo(403);
    HttpResponse<byte[]> unsupported = send(server.endpoint(), apiId, "PUT", "/test/streams/s/record", "a=b",
        "Content-Type", "application/x-www-form-urlencoded");
    assertThat(unsupported.statusCode()).isEqualTo(415);
    assertThat(new JsonObject(text(unsupported)).getString("message")).isEqualTo("Unsupported Media Type");
  }

  @Test
  void aLargeBatchRendersOffTheEventLoop() throws Exception {
    String apiId = kinesisProxy();
    server.kinesis().createStream(b -> b.streamName("big").shardCount(1));
    await().atMost(Duration.ofSeconds(30)).until(() -> server.kinesis().describeStream(b -> b.streamName("big"))
        .streamDescription().streamStatus() == StreamStatus.ACTIVE);
    JsonArray records = new JsonArray();
    for (int i = 0; i < 500; i++) records.add(new JsonObject().put("data", "record " + i + " " + "x".repeat(150)).put("partition-key", "k" + i));
    String body = new JsonObject().put("records", records).encode();
    assertThat(body.length()).isGreaterThan(64 * 1024);
    JsonObject batch = ok(send(server.endpoint(), apiId, "PUT", "/test/streams/big/records", body, "Content-Type", "application/json"));
    assertThat(batch.getInteger("FailedRecordCount")).isZero();
    assertThat(batch.getJsonArray("Records")).hasSize(500);
  }

  @Test
  void aPathStyleUriNamesTheOperationByXAmzTarget() throws Exception {
    var api = apigw.createRestApi(b -> b.name("path-style"));
    String resource = apigw.createResource(b -> b.restApiId(api.id()).parentId(api.rootResourceId()).pathPart("put")).id();
    apigw.putMethod(b -> b.restApiId(api.id()).resourceId(resource).httpMethod("POST").authorizationType("NONE"));
    apigw.putIntegration(b -> b.restApiId(api.id()).resourceId(resource).httpMethod("POST").type(IntegrationType.AWS)
        .integrationHttpMethod("POST").uri("arn:aws:apigateway:us-east-1:kinesis:path//").credentials(ROLE)
        .requestParameters(Map.of("integration.request.header.X-Amz-Target", "'Kinesis_20131202.PutRecord'",
            "integration.request.header.Content-Type", "'application/x-amz-json-1.1'"))
        .requestTemplates(Map.of("application/json",
            "{\"StreamName\": \"paths\", \"Data\": \"$util.base64Encode($input.body)\", \"PartitionKey\": \"k\"}")));
    apigw.putMethodResponse(b -> b.restApiId(api.id()).resourceId(resource).httpMethod("POST").statusCode("200"));
    apigw.putIntegrationResponse(b -> b.restApiId(api.id()).resourceId(resource).httpMethod("POST").statusCode("200"));
    apigw.createDeployment(b -> b.restApiId(api.id()).stageName("test"));
    server.kinesis().createStream(b -> b.streamName("paths").shardCount(1));
    await().atMost(Duration.ofSeconds(30)).until(() -> server.kinesis().describeStream(b -> b.streamName("paths"))
        .streamDescription().streamStatus() == StreamStatus.ACTIVE);

    JsonObject put = ok(send(server.endpoint(), api.id(), "POST", "/test/put", "{\"v\": 1}", "Content-Type", "application/json"));
    assertThat(put.getString("SequenceNumber")).isNotEmpty();
    String shard = server.kinesis().listShards(b -> b.streamName("paths")).shards().get(0).shardId();
    String it = server.kinesis().getShardIterator(b -> b.streamName("paths").shardId(shard)
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    assertThat(server.kinesis().getRecords(b -> b.shardIterator(it)).records())
        .extracting(r -> r.data().asUtf8String()).containsExactly("{\"v\": 1}");
  }
}
