package io.eventplane.server.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CloudWatch's other two wire protocols, as older SDKs and CLIs send them: AWS JSON 1.0
 * ({@code X-Amz-Target: GraniteServiceVersion20100801.<Op>}) and Query ({@code Action=} form posts,
 * XML answers), their error shapes, a gzip-encoded body (the SDKs compress PutMetricData past 10 KiB),
 * and a Smithy RPC v2 call whose body is not CBOR.
 */
class CloudWatchProtocolsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static HttpResponse<String> json(String operation, JsonObject body, boolean gzip) throws Exception {
    byte[] bytes = body.encode().getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder b = HttpRequest.newBuilder(server.endpoint().resolve("/"))
        .header("X-Amz-Target", "GraniteServiceVersion20100801." + operation)
        .header("Content-Type", "application/x-amz-json-1.0");
    if (gzip) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream z = new GZIPOutputStream(out)) {
        z.write(bytes);
      }
      bytes = out.toByteArray();
      b.header("Content-Encoding", "gzip");
    }
    return HTTP.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> query(String form) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/"))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(form + "&Version=2010-08-01")).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  long minuteSeconds() {
    long now = server.clock().millis() / 1000;
    return now - now % 60 - 120;
  }

  @Test
  void awsJsonPutAndGetWithEpochSecondTimestamps() throws Exception {
    long t = minuteSeconds();
    HttpResponse<String> put = json("PutMetricData", new JsonObject().put("Namespace", "Json").put("MetricData", new JsonArray()
        .add(new JsonObject().put("MetricName", "M").put("Value", 2.5).put("Timestamp", t).put("Unit", "Count")
            .put("Dimensions", new JsonArray().add(new JsonObject().put("Name", "D").put("Value", "x"))))), false);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    HttpResponse<String> get = json("GetMetricStatistics", new JsonObject().put("Namespace", "Json").put("MetricName", "M")
        .put("Dimensions", new JsonArray().add(new JsonObject().put("Name", "D").put("Value", "x")))
        .put("StartTime", t).put("EndTime", t + 60).put("Period", 60).put("Statistics", new JsonArray().add("Sum")), false);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.0");
    JsonObject out = new JsonObject(get.body());
    assertThat(out.getString("Label")).isEqualTo("M");
    JsonObject point = out.getJsonArray("Datapoints").getJsonObject(0);
    assertThat(point.getLong("Timestamp")).isEqualTo(t);
    assertThat(point.getDouble("Sum")).isEqualTo(2.5);
    assertThat(point.getString("Unit")).isEqualTo("Count");
  }

  @Test
  void awsJsonErrorsCarryTheShapeAndTheQueryCode() throws Exception {
    HttpResponse<String> r = json("PutMetricData", new JsonObject().put("Namespace", "AWS/Lambda")
        .put("MetricData", new JsonArray().add(new JsonObject().put("MetricName", "M").put("Value", 1))), false);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("__type")).isEqualTo("com.amazonaws.cloudwatch#InvalidParameterValueException");
    assertThat(new JsonObject(r.body()).getString("message")).isEqualTo("The value AWS/ for parameter Namespace is invalid.");
    assertThat(r.headers().firstValue("x-amzn-query-error")).hasValue("InvalidParameterValue;Sender");
    HttpResponse<String> missing = json("ListMetrics", new JsonObject().put("RecentlyActive", "P1D"), false);
    assertThat(missing.headers().firstValue("x-amzn-query-error")).hasValue("InvalidParameterValue;Sender");
  }

  @Test
  void aGzippedBodyIsReadAsItsContent() throws Exception {
    JsonArray data = new JsonArray();
    for (int i = 0; i < 300; i++) {
      data.add(new JsonObject().put("MetricName", "Big").put("Value", 1).put("Dimensions",
          new JsonArray().add(new JsonObject().put("Name", "N").put("Value", "value-" + i))));
    }
    HttpResponse<String> put = json("PutMetricData", new JsonObject().put("Namespace", "Zipped").put("MetricData", data), true);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    HttpResponse<String> list = json("ListMetrics", new JsonObject().put("Namespace", "Zipped"), false);
    assertThat(new JsonObject(list.body()).getJsonArray("Metrics")).hasSize(300);
  }

  @Test
  void queryPutAndGetAnswerInXml() throws Exception {
    long t = minuteSeconds();
    String at = java.time.Instant.ofEpochSecond(t).toString();
    HttpResponse<String> put = query("Action=PutMetricData&Namespace=Form&MetricData.member.1.MetricName=M"
        + "&MetricData.member.1.Value=3&MetricData.member.1.Unit=Count&MetricData.member.1.Timestamp=" + enc(at)
        + "&MetricData.member.1.Dimensions.member.1.Name=D&MetricData.member.1.Dimensions.member.1.Value=y"
        + "&MetricData.member.2.MetricName=M&MetricData.member.2.Values.member.1=4&MetricData.member.2.Values.member.2=5"
        + "&MetricData.member.2.Counts.member.1=1&MetricData.member.2.Counts.member.2=2&MetricData.member.2.Unit=Count"
        + "&MetricData.member.2.Timestamp=" + enc(at)
        + "&MetricData.member.2.Dimensions.member.1.Name=D&MetricData.member.2.Dimensions.member.1.Value=y");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(put.body()).contains("<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">")
        .contains("<RequestId>").doesNotContain("PutMetricDataResult");
    HttpResponse<String> get = query("Action=GetMetricStatistics&Namespace=Form&MetricName=M"
        + "&Dimensions.member.1.Name=D&Dimensions.member.1.Value=y&StartTime=" + enc(at)
        + "&EndTime=" + enc(java.time.Instant.ofEpochSecond(t + 60).toString()) + "&Period=60"
        + "&Statistics.member.1=Sum&Statistics.member.2=SampleCount");
    assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
    assertThat(get.body()).contains("<GetMetricStatisticsResult><Label>M</Label><Datapoints><member><Timestamp>" + at
        + "</Timestamp><SampleCount>4.0</SampleCount><Sum>17.0</Sum><Unit>Count</Unit></member></Datapoints>");
    HttpResponse<String> list = query("Action=ListMetrics&Namespace=Form");
    assertThat(list.body()).contains("<Metrics><member><Namespace>Form</Namespace><MetricName>M</MetricName>"
        + "<Dimensions><member><Name>D</Name><Value>y</Value></member></Dimensions></member></Metrics>");
  }

  @Test
  void queryErrorsAreXmlErrorResponses() throws Exception {
    HttpResponse<String> r = query("Action=GetMetricStatistics&Namespace=Form&MetricName=M&StartTime=2026-01-01T00:00:00Z"
        + "&EndTime=2026-01-01T01:00:00Z&Statistics.member.1=Sum");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("<ErrorResponse").contains("<Type>Sender</Type>").contains("<Code>MissingParameter</Code>")
        .contains("<Message>The parameter Period is required.</Message>");
  }

  @Test
  void anRpcV2CallWhoseBodyIsNotCborIsRefusedInCbor() throws Exception {
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve(
            "/service/GraniteServiceVersion20100801/operation/ListMetrics"))
        .header("smithy-protocol", "rpc-v2-cbor").header("Content-Type", "application/cbor").header("Accept", "application/cbor")
        .POST(HttpRequest.BodyPublishers.ofString("{not cbor")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/cbor");
    assertThat(r.headers().firstValue("smithy-protocol")).hasValue("rpc-v2-cbor");
    HttpResponse<byte[]> unknown = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve(
            "/service/GraniteServiceVersion20100801/operation/DescribeAlarmsNope"))
        .header("smithy-protocol", "rpc-v2-cbor").header("Content-Type", "application/cbor")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0xa0})).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(unknown.statusCode()).isEqualTo(400);
  }
}
