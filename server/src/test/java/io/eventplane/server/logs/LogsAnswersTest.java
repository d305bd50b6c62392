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

  /** One PutLogEvents batch (timestamps as offsets from now, in ms) and what CloudWatch Logs answers and keeps of it. */
  record Batch(String call, String stream, long[] offsets, Integer tooNewStart, Integer tooOldEnd, Integer expiredEnd,
      List<String> kept) {}

  /**
   * PutLogEvents takes events up to 14 days old and 2 hours ahead and refuses the others with
   * rejectedLogEventsInfo (recorded against AWS: a batch of one event 30 days old or one day ahead
   * answers 200 with tooOldLogEventEndIndex or tooNewLogEventStartIndex); events older than the
   * group's retention are expiredLogEventEndIndex. The indexes are as the model documents them:
   * tooNewLogEventStartIndex inclusive, the end indexes exclusive.
   */
  @Test
  void putLogEventsRejectsEventsOutsideWhatTheGroupTakes() {
    long h = 3_600_000L;
    long d = 24 * h;
    logs().createLogGroup(b -> b.logGroupName("/app/batches"));
    logs().createLogGroup(b -> b.logGroupName("/app/short"));
    logs().putRetentionPolicy(b -> b.logGroupName("/app/short").retentionInDays(1));
    List<Batch> table = List.of(
        new Batch("one event 30 days old", "old", new long[] {-30 * d}, null, 1, null, List.of()),
        new Batch("one event a day ahead", "new", new long[] {d}, 0, null, null, List.of()),
        new Batch("too old, kept, too new", "mixed", new long[] {-20 * d, -15 * d, -h, 0, 3 * h}, 4, 2, null,
            List.of("2", "3")),
        new Batch("older than the group's retention", "short", new long[] {-30 * h, -28 * h, -10 * h}, null, null, 2,
            List.of("2")));
    for (Batch row : table) {
      String group = row.stream().equals("short") ? "/app/short" : "/app/batches";
      logs().createLogStream(b -> b.logGroupName(group).logStreamName(row.stream()));
      long now = System.currentTimeMillis();
      List<InputLogEvent> events = new java.util.ArrayList<>();
      for (int i = 0; i < row.offsets().length; i++) {
        events.add(InputLogEvent.builder().timestamp(now + row.offsets()[i]).message(String.valueOf(i)).build());
      }
      var put = logs().putLogEvents(b -> b.logGroupName(group).logStreamName(row.stream()).logEvents(events));
      assertThat(put.nextSequenceToken()).as(row.call()).isNotNull();
      var rejected = put.rejectedLogEventsInfo();
      assertThat(rejected).as(row.call()).isNotNull();
      assertThat(rejected.tooNewLogEventStartIndex()).as(row.call() + ": tooNewLogEventStartIndex").isEqualTo(row.tooNewStart());
      assertThat(rejected.tooOldLogEventEndIndex()).as(row.call() + ": tooOldLogEventEndIndex").isEqualTo(row.tooOldEnd());
      assertThat(rejected.expiredLogEventEndIndex()).as(row.call() + ": expiredLogEventEndIndex").isEqualTo(row.expiredEnd());
      assertThat(logs().getLogEvents(b -> b.logGroupName(group).logStreamName(row.stream()).startFromHead(true)).events())
          .as(row.call() + ": what was kept").extracting(OutputLogEvent::message).containsExactlyElementsOf(row.kept());
    }
    logs().createLogStream(b -> b.logGroupName("/app/batches").logStreamName("s"));
    long t = System.currentTimeMillis();
    List<Refusal> refusals = List.of(
        new Refusal("a batch spanning more than 24 hours", l -> l.putLogEvents(b -> b.logGroupName("/app/batches")
            .logStreamName("s").logEvents(InputLogEvent.builder().timestamp(t - 3 * d).message("a").build(),
                InputLogEvent.builder().timestamp(t).message("b").build())), 400, "InvalidParameterException",
            "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."),
        new Refusal("out of order and spanning two days: the order is what AWS names",
            l -> l.putLogEvents(b -> b.logGroupName("/app/batches").logStreamName("s").logEvents(
                InputLogEvent.builder().timestamp(t).message("a").build(),
                InputLogEvent.builder().timestamp(t - 2 * d).message("b").build())), 400, "InvalidParameterException",
            "Log events in a single PutLogEvents request must be in chronological order."),
        new Refusal("a batch over 1 MiB counting 26 bytes an event", l -> l.putLogEvents(b -> b.logGroupName("/app/batches")
            .logStreamName("s").logEvents(InputLogEvent.builder().timestamp(t).message("x".repeat(1_048_576 - 26 - 10)).build(),
                InputLogEvent.builder().timestamp(t).message("y".repeat(11)).build())), 400,
            "InvalidParameterException", "Upload too large: 1048603 bytes exceeds limit of 1048576"));
    for (Refusal row : refusals) {
      assertThatThrownBy(() -> row.request().accept(logs())).as(row.call()).isInstanceOf(CloudWatchLogsException.class)
          .satisfies(e -> {
            CloudWatchLogsException c = (CloudWatchLogsException) e;
            assertThat(c.statusCode()).as(row.call()).isEqualTo(row.status());
            assertThat(c.awsErrorDetails().errorCode()).as(row.call()).isEqualTo(row.code());
            assertThat(c.awsErrorDetails().errorMessage()).as(row.call()).isEqualTo(row.message());
          });
    }
    // Exactly at the limit is taken.
    assertThat(logs().putLogEvents(b -> b.logGroupName("/app/batches").logStreamName("s").logEvents(
        InputLogEvent.builder().timestamp(t).message("x".repeat(1_048_576 - 26)).build())).rejectedLogEventsInfo()).isNull();
  }

  /** A retention policy hides older events from every read at once and removes them from what the group stores. */
  @Test
  void retentionIsEnforced() {
    long d = 86_400_000L;
    logs().createLogGroup(b -> b.logGroupName("/app/expiring"));
    logs().createLogStream(b -> b.logGroupName("/app/expiring").logStreamName("s"));
    long now = System.currentTimeMillis();
    logs().putLogEvents(b -> b.logGroupName("/app/expiring").logStreamName("s")
        .logEvents(InputLogEvent.builder().timestamp(now - 5 * d).message("five days old").build()));
    logs().putLogEvents(b -> b.logGroupName("/app/expiring").logStreamName("s")
        .logEvents(InputLogEvent.builder().timestamp(now - 1000).message("fresh").build()));
    assertThat(messages()).containsExactly("five days old", "fresh");
    long before = logs().describeLogGroups(b -> b.logGroupNamePrefix("/app/expiring")).logGroups().get(0).storedBytes();
    logs().putRetentionPolicy(b -> b.logGroupName("/app/expiring").retentionInDays(3));
    assertThat(messages()).containsExactly("fresh");
    assertThat(logs().filterLogEvents(b -> b.logGroupName("/app/expiring")).events()).extracting(e -> e.message())
        .containsExactly("fresh");
    assertThat(logs().describeLogGroups(b -> b.logGroupNamePrefix("/app/expiring")).logGroups().get(0).storedBytes())
        .as("the expired event is removed from the stored files").isLessThan(before);
    logs().deleteRetentionPolicy(b -> b.logGroupName("/app/expiring"));
    assertThat(messages()).as("removed, not hidden").containsExactly("fresh");
  }

  private List<String> messages() {
    return logs().getLogEvents(b -> b.logGroupName("/app/expiring").logStreamName("s").startFromHead(true)).events().stream()
        .map(OutputLogEvent::message).toList();
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
