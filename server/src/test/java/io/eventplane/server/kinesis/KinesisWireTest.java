package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JSON wire as AWS JSON 1.1 clients see it: malformed bodies, wrong member types, unknown operations. */
class KinesisWireTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static HttpResponse<String> call(String operation, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", "Kinesis_20131202." + operation)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).isEqualTo(status);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("__type")).isEqualTo(code);
    assertThat(body.getString("message")).isNotEmpty();
  }

  @Test
  void malformedAndMistypedInputs() throws Exception {
    assertError(call("CreateStream", "{not json"), 400, "SerializationException");
    assertError(call("CreateStream", "[]"), 400, "SerializationException");
    assertError(call("CreateStream", "{\"StreamName\":\"s\",\"ShardCount\":\"two\"}"), 400, "SerializationException");
    assertError(call("CreateStream", "{\"StreamName\":7,\"ShardCount\":1}"), 400, "SerializationException");
    assertError(call("CreateStream", "{}"), 400, "ValidationException");
    assertError(call("DescribeStream", "{}"), 400, "ValidationException");
    assertError(call("NoSuchOperation", "{}"), 400, "UnknownOperationException");
    assertThat(call("CreateStream", "{\"StreamName\":\"w\",\"ShardCount\":1}").statusCode()).isEqualTo(200);
    assertError(call("PutRecord", "{\"StreamName\":\"w\",\"PartitionKey\":\"k\",\"Data\":\"***\"}"), 400, "SerializationException");
    assertError(call("PutRecord", "{\"StreamName\":\"w\",\"PartitionKey\":\"k\"}"), 400, "ValidationException");
    assertError(call("GetRecords", "{\"ShardIterator\":\"AAAA\"}"), 400, "InvalidArgumentException");
  }

  @Test
  void timestampsAreEpochSeconds() throws Exception {
    call("CreateStream", "{\"StreamName\":\"t\",\"ShardCount\":1}");
    JsonObject summary = new JsonObject(call("DescribeStreamSummary", "{\"StreamName\":\"t\"}").body())
        .getJsonObject("StreamDescriptionSummary");
    double created = summary.getDouble("StreamCreationTimestamp");
    assertThat(created).isCloseTo(server.clock().millis() / 1000.0, org.assertj.core.data.Offset.offset(5.0));
    assertThat(summary.containsKey("KeyId")).isFalse();
  }
}
