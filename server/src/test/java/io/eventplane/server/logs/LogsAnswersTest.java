package io.eventplane.server.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * CloudWatch Logs' write calls a deployment and a function's own SDK make (CreateLogGroup,
 * CreateLogStream, PutLogEvents) and the read calls' answers, as recorded against AWS
 * (LocalStack's test_logs_groups and test_logs_events snapshots).
 */
class LogsAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private CloudWatchLogsClient logs() {
    return server.logs();
  }

  @Test
  void groupsStreamsAndEventsWrittenThroughTheApi() {
    logs().createLogGroup(b -> b.logGroupName("/app/orders"));
    logs().createLogStream(b -> b.logGroupName("/app/orders").logStreamName("web-1"));
    long t = System.currentTimeMillis() - 1000;
    var put = logs().putLogEvents(b -> b.logGroupName("/app/orders").logStreamName("web-1").logEvents(
        InputLogEvent.builder().timestamp(t).message("order 17 shipped").build(),
        InputLogEvent.builder().timestamp(t + 1).message("order 18 failed").build()));
    assertThat(put.nextSequenceToken()).matches("\\d{56}");
    assertThat(put.rejectedLogEventsInfo()).isNull();

    LogGroup group = logs().describeLogGroups(b -> b.logGroupNamePrefix("/app/")).logGroups().get(0);
    assertThat(group.logGroupName()).isEqualTo("/app/orders");
    assertThat(group.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/app/orders:*");
    assertThat(group.logGroupArn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:/app/orders");
    assertThat(group.logGroupClassAsString()).isEqualTo("STANDARD");
    assertThat(group.metricFilterCount()).isZero();
    assertThat(group.deletionProtectionEnabled()).isFalse();
    assertThat(group.storedBytes()).isNotNull();
    assertThat(logs().describeLogStreams(b -> b.logGroupName("/app/orders")).logStreams())
        .extracting(s -> s.logStreamName() + " " + s.firstEventTimestamp() + " " + s.lastEventTimestamp())
        .containsExactly("web-1 " + t + " " + (t + 1));
    assertThat(logs().getLogEvents(b -> b.logGroupName("/app/orders").logStreamName("web-1").startFromHead(true)).events())
        .extracting(OutputLogEvent::message).containsExactly("order 17 shipped", "order 18 failed");
    assertThat(logs().filterLogEvents(b -> b.logGroupName("/app/orders").filterPattern("failed")).events())
        .extracting(e -> e.message()).containsExactly("order 18 failed");
    // An empty group and an empty stream are shown too.
    logs().createLogGroup(b -> b.logGroupName("/app/empty"));
    logs().createLogStream(b -> b.logGroupName("/app/empty").logStreamName("nothing-yet"));
    assertThat(logs().describeLogStreams(b -> b.logGroupName("/app/empty")).logStreams())
        .extracting(s -> s.logStreamName() + " " + s.firstEventTimestamp()).containsExactly("nothing-yet null");
    assertThat(logs().describeLogGroups(b -> b.logGroupNamePrefix("/app/")).logGroups()).extracting(LogGroup::logGroupName)
        .containsExactly("/app/empty", "/app/orders");
  }

  @Test
  void retentionIsRecordedAndShown() {
    logs().createLogGroup(b -> b.logGroupName("/app/kept"));
    assertThat(logs().describeLogGroups(b -> b.logGroupNamePrefix("/app/kept")).logGroups().get(0).retentionInDays()).isNull();
    logs().putRetentionPolicy(b -> b.logGroupName("/app/kept").retentionInDays(14));
    assertThat(logs().describeLogGroups(b -> b.logGroupNamePrefix("/app/kept")).logGroups().get(0).retentionInDays())
        .isEqualTo(14);
    logs().deleteRetentionPolicy(b -> b.logGroupName("/app/kept"));
    assertThat(logs().describeLogGroups(b -> b.logGroupNamePrefix("/app/kept")).logGroups().get(0).retentionInDays()).isNull();
    List<Refusal> table = List.of(
        new Refusal("PutRetentionPolicy with days not in the set", l -> l.putRetentionPolicy(b -> b.logGroupName("/app/kept")
            .retentionInDays(2)), 400, "InvalidParameterException", "1 validation error detected: Value '2' at 'retentionInDays' "
                + "failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, "
                + "365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]"),
        new Refusal("PutRetentionPolicy of a missing group", l -> l.putRetentionPolicy(b -> b.logGroupName("absent")
            .retentionInDays(7)), 400, "ResourceNotFoundException", "The specified log group does not exist."));
    for (Refusal row : table) {
      assertThatThrownBy(() -> row.request().accept(logs())).as(row.call()).isInstanceOf(CloudWatchLogsException.class)
          .satisfies(e -> {
            CloudWatchLogsException c = (CloudWatchLogsException) e;
            assertThat(c.statusCode()).as(row.call()).isEqualTo(row.status());
            assertThat(c.awsErrorDetails().errorCode()).as(row.call()).isEqualTo(row.code());
            assertThat(c.awsErrorDetails().errorMessage()).as(row.call()).isEqualTo(row.message());
          });
    }
  }

  /** One refused call: how CloudWatch Logs answers it. */
  record Refusal(String call, Consumer<CloudWatchLogsClient> request, int status, String code, String message) {}

  @Test
  void refusedCallsGetCloudWatchLogsAnswers() {
    logs().createLogGroup(b -> b.logGroupName("taken"));
    logs().createLogStream(b -> b.logGroupName("taken").logStreamName("s"));
    long t = System.currentTimeMillis();
    List<Refusal> table = List.of(
        new Refusal("CreateLogGroup of a taken name", l -> l.createLogGroup(b -> b.logGroupName("taken")),
            400, "ResourceAlreadyExistsException", "The specified log group already exists"),
        new Refusal("CreateLogGroup with a name too long", l -> l.createLogGroup(b -> b.logGroupName("g".repeat(513))),
            400, "InvalidParameterException", "Invalid LogGroup or LogStream, both must have length less than or equal to 512."),
        new Refusal("CreateLogStream of a taken name", l -> l.createLogStream(b -> b.logGroupName("taken").logStreamName("s")),
            400, "ResourceAlreadyExistsException", "The specified log stream already exists"),
        new Refusal("CreateLogStream in a missing group", l -> l.createLogStream(b -> b.logGroupName("absent").logStreamName("s")),
            400, "ResourceNotFoundException", "The specified log group does not exist."),
        new Refusal("PutLogEvents to a missing stream", l -> l.putLogEvents(b -> b.logGroupName("taken").logStreamName("absent")
            .logEvents(e -> e.timestamp(t).message("x"))), 400, "ResourceNotFoundException",
            "The specified log stream does not exist."),
        new Refusal("PutLogEvents out of order", l -> l.putLogEvents(b -> b.logGroupName("taken").logStreamName("s").logEvents(
            InputLogEvent.builder().timestamp(t).message("later").build(),
            InputLogEvent.builder().timestamp(t - 1000).message("earlier").build())),
            400, "InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order."),
        new Refusal("GetLogEvents of a missing group", l -> l.getLogEvents(b -> b.logGroupName("absent").logStreamName("s")),
            400, "ResourceNotFoundException", "The specified log group does not exist."),
        new Refusal("GetLogEvents of a missing stream", l -> l.getLogEvents(b -> b.logGroupName("taken").logStreamName("absent")),
            400, "ResourceNotFoundException", "The specified log stream does not exist."),
        new Refusal("GetLogEvents with a limit too high",
            l -> l.getLogEvents(b -> b.logGroupName("taken").logStreamName("s").limit(10001)), 400, "InvalidParameterException",
            "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less "
                + "than or equal to 10000"),
        new Refusal("DescribeLogGroups with prefix and pattern",
            l -> l.describeLogGroups(b -> b.logGroupNamePrefix("a").logGroupNamePattern("b")), 400, "InvalidParameterException",
            "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters."));
    for (Refusal row : table) {
      assertThatThrownBy(() -> row.request().accept(logs())).as(row.call()).isInstanceOf(CloudWatchLogsException.class)
          .satisfies(e -> {
            CloudWatchLogsException c = (CloudWatchLogsException) e;
            assertThat(c.statusCode()).as(row.call()).isEqualTo(row.status());
            assertThat(c.awsErrorDetails().errorCode()).as(row.call()).isEqualTo(row.code());
            assertThat(c.awsErrorDetails().errorMessage()).as(row.call()).isEqualTo(row.message());
          });
    }
    assertThat(logs().getLogEvents(b -> b.logGroupName("taken").logStreamName("s")).events()).as("nothing refused was kept")
        .isEmpty();
  }
}
