package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

/**
 * The logs of function instances through CloudWatch Logs (SDK v2): each LambdaLogger call is one
 * event (AWS's runtime client frames it on the telemetry descriptor), standard output one event
 * per line, and the group /aws/lambda/NAME with one stream per instance can be described, read
 * forward and backward, filtered and deleted.
 */
class FunctionLogsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private static CloudWatchLogsClient logs() {
    return server.logs();
  }

  private static JsonObject invoke(String function, String payload) {
    InvokeResponse r = server.lambda().invoke(b -> b.functionName(function).payload(SdkBytes.fromUtf8String(payload)));
    assertThat(r.functionError()).isNull();
    return new JsonObject(r.payload().asUtf8String());
  }

  private static List<String> messages(List<OutputLogEvent> events) {
    List<String> out = new ArrayList<>();
    for (OutputLogEvent e : events) out.add(e.message());
    return out;
  }

  @Test
  void eachLoggerCallIsOneEventAndTheStreamReadsForwardAndBackward() {
    Functions.create(server.lambda(), "logged", Functions.DIAGNOSTICS);
    InvokeResponse tailed = server.lambda().invoke(b -> b.functionName("logged").logType(LogType.TAIL)
        .payload(SdkBytes.fromUtf8String("{\"records\":[\"no newline\",\"two\\nlines\"],\"print\":\"from stdout\"}")));
    JsonObject out = new JsonObject(tailed.payload().asUtf8String());
    String requestId = out.getString("requestId");
    String stream = out.getString("logStreamName");
    assertThat(stream).matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST\\][0-9a-f]+");
    // Without a newline the record is still in the invocation's tail, not held back until the next output.
    String tail = new String(Base64.getDecoder().decode(tailed.logResult()), StandardCharsets.UTF_8);
    assertThat(tail).contains("no newline").contains("two\nlines").contains("from stdout");

    List<String> all = new ArrayList<>();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      GetLogEventsResponse r = logs().getLogEvents(b -> b.logGroupName("/aws/lambda/logged").logStreamName(stream)
          .startFromHead(true));
      all.clear();
      all.addAll(messages(r.events()));
      assertThat(all).anyMatch(m -> m.startsWith("REPORT RequestId: " + requestId));
    });
    assertThat(all).containsSubsequence("START RequestId: " + requestId + " Version: $LATEST", "no newline", "two\nlines",
        "END RequestId: " + requestId);
    assertThat(all).contains("from stdout");
    assertThat(all.get(all.size() - 1)).startsWith("REPORT RequestId: " + requestId).contains("Init Duration");
    // The end marker the java bootstrap writes on both channels is never an event.
    assertThat(all).noneMatch(m -> m.contains("\u0000") || m.contains("invocation-end"));
    assertThat(tail).doesNotContain("\u0000").doesNotContain("invocation-end");

    // Forward in pages of two until the token comes back unchanged.
    List<String> forward = new ArrayList<>();
    GetLogEventsResponse page = logs().getLogEvents(b -> b.logGroupName("/aws/lambda/logged").logStreamName(stream)
        .startFromHead(true).limit(2));
    while (true) {
      forward.addAll(messages(page.events()));
      String token = page.nextForwardToken();
      GetLogEventsResponse next = logs().getLogEvents(b -> b.logGroupName("/aws/lambda/logged").logStreamName(stream)
          .startFromHead(true).limit(2).nextToken(token));
      if (next.nextForwardToken().equals(token)) {
        assertThat(next.events()).isEmpty();
        break;
      }
      page = next;
    }
    assertThat(forward).isEqualTo(all);

    // Without startFromHead the latest events come first; the backward token pages toward the start.
    GetLogEventsResponse latest = logs().getLogEvents(b -> b.logGroupName("/aws/lambda/logged").logStreamName(stream).limit(2));
    assertThat(messages(latest.events())).isEqualTo(all.subList(all.size() - 2, all.size()));
    GetLogEventsResponse before = logs().getLogEvents(b -> b.logGroupName("/aws/lambda/logged").logStreamName(stream)
        .limit(2).nextToken(latest.nextBackwardToken()));
    assertThat(messages(before.events())).isEqualTo(all.subList(all.size() - 4, all.size() - 2));

    // The group identifier may be the group's ARN (logGroupArn, without :*); a time range keeps events in [start, end).
    OutputLogEvent first = logs().getLogEvents(b -> b.logGroupIdentifier(
        "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/logged").logStreamName(stream).startFromHead(true).limit(1))
        .events().get(0);
    assertThat(first.message()).startsWith("START");
    assertThat(first.ingestionTime()).isGreaterThanOrEqualTo(first.timestamp());
    assertThat(logs().getLogEvents(b -> b.logGroupName("/aws/lambda/logged").logStreamName(stream)
        .endTime(first.timestamp())).events()).isEmpty();
  }

  @Test
  void anUncaughtExceptionIsInItsInvocationsTailBeforeItsEnd() {
    Functions.create(server.lambda(), "thrown", Functions.DIAGNOSTICS);
    InvokeResponse r = server.lambda().invoke(b -> b.functionName("thrown").logType(LogType.TAIL)
        .payload(SdkBytes.fromUtf8String("{\"print\":\"before the throw\",\"fail\":\"bad order 42\"}")));
    assertThat(r.functionError()).isEqualTo("Unhandled");
    String tail = new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
    // AWS's runtime client logs the exception after it posts /error: the invocation ends after that record.
    assertThat(tail).containsSubsequence("START RequestId", "before the throw", "bad order 42",
        "java.lang.IllegalStateException", "END RequestId", "REPORT RequestId");
    assertThat(tail).doesNotContain("\u0000");
  }

  @Test
  void groupsAndStreamsAreDescribedAndEventsFiltered() {
    Functions.create(server.lambda(), "described", Functions.DIAGNOSTICS);
    JsonObject out = invoke("described", "{\"records\":[\"order 17 shipped\",\"order 18 failed: timeout\"]}");
    String stream = out.getString("logStreamName");
    await().atMost(Duration.ofSeconds(10)).until(() -> Functions.logText(server, "described").contains("REPORT"));

    List<LogGroup> groups = logs().describeLogGroups(b -> b.logGroupNamePrefix("/aws/lambda/desc")).logGroups();
    assertThat(groups).extracting(LogGroup::logGroupName).containsExactly("/aws/lambda/described");
    assertThat(groups.get(0).arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/described:*");
    assertThat(groups.get(0).logGroupArn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/described");
    assertThat(groups.get(0).creationTime()).isPositive();
    // The LogGroup shape as recorded against AWS (test_logs_groups): with a prefix (or none),
    // storedBytes and deletionProtectionEnabled=false; with a pattern, neither.
    assertThat(groups.get(0).deletionProtectionEnabled()).isFalse();
    assertThat(groups.get(0).storedBytes()).isNotNull();
    assertThat(groups.get(0).logGroupClassAsString()).isEqualTo("STANDARD");
    assertThat(groups.get(0).metricFilterCount()).isZero();
    assertThat(logs().describeLogGroups(b -> b.logGroupNamePattern("DESCRIBED")).logGroups())
        .extracting(LogGroup::logGroupName).contains("/aws/lambda/described");
    LogGroup byPattern = logs().describeLogGroups(b -> b.logGroupNamePattern("DESCRIBED")).logGroups().get(0);
    assertThat(byPattern.deletionProtectionEnabled()).isNull();
    assertThat(byPattern.storedBytes()).isNull();

    List<LogStream> streams = logs().describeLogStreams(b -> b.logGroupName("/aws/lambda/described")).logStreams();
    assertThat(streams).extracting(LogStream::logStreamName).containsExactly(stream);
    LogStream s = streams.get(0);
    assertThat(s.firstEventTimestamp()).isLessThanOrEqualTo(s.lastEventTimestamp());
    assertThat(s.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/described:log-stream:" + stream);
    assertThat(logs().describeLogStreams(b -> b.logGroupName("/aws/lambda/described").orderBy(OrderBy.LAST_EVENT_TIME)
        .descending(true)).logStreams()).extracting(LogStream::logStreamName).containsExactly(stream);

    assertThat(filter("described", "order")).containsExactly("order 17 shipped", "order 18 failed: timeout");
    assertThat(filter("described", "order -failed")).containsExactly("order 17 shipped");
    assertThat(filter("described", "?shipped ?\"failed: timeout\"")).containsExactly("order 17 shipped", "order 18 failed: timeout");
    assertThat(filter("described", "\"order 18\" timeout")).containsExactly("order 18 failed: timeout");
    assertThat(filter("described", "Order")).isEmpty(); // terms are case sensitive

    // Pages of one event, joined by nextToken, give the whole group in order.
    List<String> paged = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      var r = logs().filterLogEvents(b -> b.logGroupName("/aws/lambda/described").limit(1).nextToken(t));
      r.events().forEach(e -> paged.add(e.message()));
      assertThat(r.events()).allSatisfy(e -> assertThat(e.logStreamName()).isEqualTo(stream));
      token = r.nextToken();
    } while (token != null);
    assertThat(String.join("\n", paged)).isEqualTo(Functions.logText(server, "described").stripTrailing());
  }

  private static List<String> filter(String function, String pattern) {
    List<String> out = new ArrayList<>();
    for (FilteredLogEvent e : logs().filterLogEvents(b -> b.logGroupName("/aws/lambda/" + function).filterPattern(pattern))
        .events()) {
      out.add(e.message());
    }
    return out;
  }

  @Test
  void deletingStreamsAndGroups() {
    Functions.create(server.lambda(), "deleted", Functions.DIAGNOSTICS);
    String stream = invoke("deleted", "{}").getString("logStreamName");
    await().atMost(Duration.ofSeconds(10)).until(() -> Functions.logText(server, "deleted").contains("REPORT"));
    logs().deleteLogStream(b -> b.logGroupName("/aws/lambda/deleted").logStreamName(stream));
    assertThatThrownBy(() -> logs().getLogEvents(b -> b.logGroupName("/aws/lambda/deleted").logStreamName(stream)))
        .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("The specified log stream does not exist.");
    logs().deleteLogGroup(b -> b.logGroupName("/aws/lambda/deleted"));
    assertThat(logs().describeLogGroups(b -> b.logGroupNamePrefix("/aws/lambda/deleted")).logGroups()).isEmpty();
    assertThatThrownBy(() -> logs().deleteLogGroup(b -> b.logGroupName("/aws/lambda/deleted")))
        .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("The specified log group does not exist.");
    assertThatThrownBy(() -> logs().describeLogStreams(b -> b.logGroupName("/aws/lambda/deleted")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void badInputGetsCloudWatchLogsErrors() throws Exception {
    Functions.create(server.lambda(), "edges", Functions.DIAGNOSTICS);
    String stream = invoke("edges", "{}").getString("logStreamName");
    await().atMost(Duration.ofSeconds(10)).until(() -> Functions.logText(server, "edges").contains("REPORT"));
    String group = "/aws/lambda/edges";

    assertThatThrownBy(() -> logs().getLogEvents(b -> b.logGroupName("/aws/lambda/nothing").logStreamName(stream)))
        .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("The specified log group does not exist.")
        .satisfies(e -> assertThat(((ResourceNotFoundException) e).statusCode()).isEqualTo(400));
    assertThatThrownBy(() -> logs().getLogEvents(b -> b.logGroupName(group).logStreamName("no-such-stream")))
        .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("The specified log stream does not exist.");
    invalid(() -> logs().getLogEvents(b -> b.logGroupName(group).logStreamName(stream).limit(0)), "greater than or equal to 1");
    invalid(() -> logs().getLogEvents(b -> b.logGroupName(group).logStreamName(stream).limit(10_001)), "less than or equal to 10000");
    invalid(() -> logs().getLogEvents(b -> b.logGroupName(group).logStreamName(stream).nextToken("x/12")), "nextToken");
    invalid(() -> logs().getLogEvents(b -> b.logGroupName(group).logGroupIdentifier(group).logStreamName(stream)), "mutually exclusive");
    invalid(() -> logs().getLogEvents(b -> b.logGroupName("bad name!").logStreamName(stream)), "regular expression");
    invalid(() -> logs().getLogEvents(b -> b.logGroupName(group).logStreamName("a:b")), "regular expression");
    invalid(() -> logs().getLogEvents(b -> b.logGroupName(group).logStreamName(stream).startTime(-1L)), "greater than or equal to 0");
    invalid(() -> logs().describeLogGroups(b -> b.logGroupNamePrefix("/aws").logGroupNamePattern("x")), "mutually exclusive");
    invalid(() -> logs().describeLogGroups(b -> b.limit(51)), "less than or equal to 50");
    invalid(() -> logs().describeLogGroups(b -> b.nextToken("garbage")), "nextToken");
    invalid(() -> logs().describeLogStreams(b -> b.logGroupName(group).orderBy(OrderBy.LAST_EVENT_TIME).logStreamNamePrefix("2")),
        "Cannot order by LastEventTime");
    invalid(() -> logs().filterLogEvents(b -> b.logGroupName(group).filterPattern("{ $.level = \"ERROR\" }")), "filter pattern");
    invalid(() -> logs().filterLogEvents(b -> b.logGroupName(group).filterPattern("x".repeat(1025))), "1024");
    invalid(() -> logs().filterLogEvents(b -> b.logGroupName(group).filterPattern("\"open")), "not closed");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) many.add("s" + i);
    invalid(() -> logs().filterLogEvents(b -> b.logGroupName(group).logStreamNames(many)), "between 1 and 100");
    invalid(() -> logs().filterLogEvents(b -> b.logGroupName(group).nextToken("%%%")), "nextToken");
    // An operation Eventplane does not offer is refused by name, not with a 500. (PutLogEvents was
    // this example until it was offered: LogsAnswersTest.)
    assertThatThrownBy(() -> logs().listTagsLogGroup(b -> b.logGroupName(group)))
        .isInstanceOfSatisfying(CloudWatchLogsException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
          assertThat(e.statusCode()).isEqualTo(400);
        });

    // Malformed and wrongly typed bodies, as only hand-made requests send them.
    HttpClient http = HttpClient.newHttpClient();
    for (Map.Entry<String, String> c : Map.of(
        "{\"logGroupName\":", "SerializationException",
        "[1,2]", "SerializationException",
        "{\"logGroupName\":\"" + group + "\",\"logStreamName\":\"" + stream + "\",\"limit\":\"ten\"}", "SerializationException",
        "{\"logGroupName\":5,\"logStreamName\":\"" + stream + "\"}", "SerializationException").entrySet()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/"))
          .header("Content-Type", "application/x-amz-json-1.1").header("X-Amz-Target", "Logs_20140328.GetLogEvents")
          .header("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261203/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=x")
          .POST(HttpRequest.BodyPublishers.ofString(c.getKey())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("__type")).as(c.getKey()).isEqualTo(c.getValue());
    }

    // None of it touched what is stored.
    assertThat(Functions.logText(server, "edges")).contains("START RequestId").contains("REPORT RequestId");
  }

  private static void invalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidParameterException.class, e -> {
      assertThat(e.statusCode()).isEqualTo(400);
      assertThat(e.awsErrorDetails().errorMessage()).contains(message);
    });
  }
}
