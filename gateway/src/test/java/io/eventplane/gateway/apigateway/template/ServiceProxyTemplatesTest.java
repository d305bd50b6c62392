package io.eventplane.gateway.apigateway.template;

import static io.eventplane.gateway.apigateway.template.Requests.map;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The templates of AWS's "Tutorial: Create a REST API as an Amazon Kinesis proxy" and the SQS
 * SendMessage template, rendered to the exact text the Kinesis and SQS integrations then receive.
 */
class ServiceProxyTemplatesTest {
  private final MappingTemplates templates = new MappingTemplates();
  private static final RequestParameters STREAM = new RequestParameters(map(entry("stream-name", "myStream")), Map.of(),
      map(entry("Content-Type", "application/json")));

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void kinesisPutRecord() {
    String template = """
        {
            "StreamName": "$input.params('stream-name')",
            "Data": "$util.base64Encode($input.json('$.Data'))",
            "PartitionKey": "$input.path('$.PartitionKey')"
        }""";
    String body = """
        {
           "Data": "some data",
           "PartitionKey": "some key"
        }""";
    String rendered = templates.render(template, Requests.of(body, STREAM)).body();
    // $input.json keeps the quotes: the record's data is "some data" with them, as on AWS.
    assertThat(rendered).isEqualTo("""
        {
            "StreamName": "myStream",
            "Data": "%s",
            "PartitionKey": "some key"
        }""".formatted(b64("\"some data\"")));
    assertThat(b64("\"some data\"")).isEqualTo("InNvbWUgZGF0YSI=");
  }

  @Test
  void kinesisPutRecordsWithForeach() throws Exception {
    String template = """
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
    String body = """
        {
            "records": [
                {
                    "data": "some data",
                    "partition-key": "some key"
                },
                {
                    "data": "some other data",
                    "partition-key": "some key"
                }
            ]
        }""";
    String rendered = templates.render(template, Requests.of(body, STREAM)).body();
    assertThat(rendered).isEqualTo("""
        {
            "StreamName": "myStream",
            "Records": [
                         {
                    "Data": "c29tZSBkYXRh",
                    "PartitionKey": "some key"
                  },                  {
                    "Data": "c29tZSBvdGhlciBkYXRh",
                    "PartitionKey": "some key"
                  }            ]
        }""");
    // What Kinesis's PutRecords then reads.
    Map<?, ?> input = new ObjectMapper().readValue(rendered, Map.class);
    assertThat(input.get("StreamName")).isEqualTo("myStream");
    assertThat(input.get("Records")).isEqualTo(List.of(
        Map.of("Data", b64("some data"), "PartitionKey", "some key"),
        Map.of("Data", b64("some other data"), "PartitionKey", "some key")));
  }

  @Test
  void kinesisPutRecordsWithNoRecords() {
    String template = "{\"Records\": [#foreach($elem in $input.path('$.records'))\"$elem.data\"#if($foreach.hasNext),#end#end]}";
    assertThat(templates.render(template, Requests.of("{\"records\": []}", STREAM)).body()).isEqualTo("{\"Records\": []}");
    assertThat(templates.render(template, Requests.of("{}", STREAM)).body()).isEqualTo("{\"Records\": []}");
  }

  @Test
  void kinesisGetShardIteratorAndGetRecordsRequests() {
    RequestParameters params = new RequestParameters(map(entry("stream-name", "myStream")),
        map(entry("shard-id", "shardId-000000000004")), map(entry("Shard-Iterator", "AAAAAAAAAAFYVN3VlFy")));
    String shardIterator = """
        {
            "ShardId": "$input.params('shard-id')",
            "ShardIteratorType": "TRIM_HORIZON",
            "StreamName": "$input.params('stream-name')"
        }""";
    assertThat(templates.render(shardIterator, Requests.of("", params)).body()).isEqualTo("""
        {
            "ShardId": "shardId-000000000004",
            "ShardIteratorType": "TRIM_HORIZON",
            "StreamName": "myStream"
        }""");
    String getRecords = """
        {
            "ShardIterator": "$input.params('Shard-Iterator')"
        }""";
    assertThat(templates.render(getRecords, Requests.of("", params)).body()).isEqualTo("""
        {
            "ShardIterator": "AAAAAAAAAAFYVN3VlFy"
        }""");
  }

  @Test
  void kinesisGetRecordsResponseDecodesTheData() {
    // The tutorial shows GetRecords' raw answer; a response template in its style turns the records' base64
    // back into text for the client.
    String template = """
        #set($inputRoot = $input.path('$'))
        {
          "records": [
            #foreach($elem in $inputRoot.Records)
            {
              "data": "$util.escapeJavaScript($util.base64Decode($elem.Data))",
              "partitionKey": "$elem.PartitionKey",
              "sequenceNumber": "$elem.SequenceNumber"
            }#if($foreach.hasNext),#end
            #end
          ],
          "nextShardIterator": "$inputRoot.NextShardIterator",
          "millisBehindLatest": $inputRoot.MillisBehindLatest
        }
        """;
    String kinesisAnswer = """
        {"MillisBehindLatest": 0, "NextShardIterator": "AAAAAAAAAAF",
         "Records": [
           {"Data": "%s", "PartitionKey": "some key", "SequenceNumber": "49559409944537880850133345460167468741933742152373764162",
            "ApproximateArrivalTimestamp": 1.7964614451E9},
           {"Data": "%s", "PartitionKey": "other key", "SequenceNumber": "49559409944537880850133345460168677667753356781548470338",
            "ApproximateArrivalTimestamp": 1.7964614452E9}]}""".formatted(b64("some data"), b64("caf\u00e9 \"quoted\""));
    String rendered = templates.render(template, Requests.body("").withBody(kinesisAnswer)).body();
    assertThat(rendered).isEqualTo("""
        {
          "records": [
                {
              "data": "some data",
              "partitionKey": "some key",
              "sequenceNumber": "49559409944537880850133345460167468741933742152373764162"
            },        {
              "data": "caf\\u00E9 \\"quoted\\"",
              "partitionKey": "other key",
              "sequenceNumber": "49559409944537880850133345460168677667753356781548470338"
            }      ],
          "nextShardIterator": "AAAAAAAAAAF",
          "millisBehindLatest": 0
        }
        """);
  }

  @Test
  void sqsSendMessage() {
    String template = "Action=SendMessage&MessageBody=$util.urlEncode($input.body)";
    assertThat(templates.render(template, Requests.body("{\"order\": 42, \"note\": \"caf\u00e9 & more+1\"}")).body())
        .isEqualTo("Action=SendMessage&MessageBody=%7B%22order%22%3A+42%2C+%22note%22%3A+%22caf%C3%A9+%26+more%2B1%22%7D");
    // An empty body is "{}" to $input.body, so SQS never gets an empty MessageBody (as on AWS).
    assertThat(templates.render(template, Requests.body("")).body()).isEqualTo("Action=SendMessage&MessageBody=%7B%7D");
  }
}
