package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisTimeWindowEvent;
import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tumbling-window aggregator for a Kinesis mapping (TumblingWindowInSeconds): it counts the
 * records of each window and sums their data (read as integers), carrying {@code count} and
 * {@code sum} in the window's state, and logs one {@code WINDOW} line per invocation with every
 * tumbling-window member of the event as {@code aws-lambda-java-events} reads it, so a test can
 * follow the aggregation in the function's log.
 *
 * <p>Knobs for tests: a record whose data is "poison" fails the invocation (with
 * {@code ON_POISON=report} it is reported as a batch item failure instead); a record "big" pads the
 * state with {@code PAD_BYTES} characters; with {@code FAIL_FINAL_ONCE} set to a file path, the
 * first final invocation fails (and creates the file).
 */
public class WindowCounter implements RequestHandler<KinesisTimeWindowEvent, TimeWindowEventResponse> {
  @Override
  public TimeWindowEventResponse handleRequest(KinesisTimeWindowEvent event, Context context) {
    Map<String, String> state = new HashMap<>(event.getState() == null ? Map.of() : event.getState());
    List<String> data = new ArrayList<>();
    List<TimeWindowEventResponse.BatchItemFailure> failures = new ArrayList<>();
    boolean report = "report".equals(System.getenv("ON_POISON"));
    long count = Long.parseLong(state.getOrDefault("count", "0"));
    long sum = Long.parseLong(state.getOrDefault("sum", "0"));
    String before = count + ":" + sum;
    for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
      String text = StandardCharsets.UTF_8.decode(r.getKinesis().getData()).toString();
      if (text.equals("poison")) {
        if (!report) throw new IllegalStateException("poison record in window " + event.getWindow().getStart());
        failures.add(new TimeWindowEventResponse.BatchItemFailure(r.getKinesis().getSequenceNumber()));
        break;
      }
      data.add(text);
      count++;
      sum += text.matches("-?\\d+") ? Long.parseLong(text) : 0;
      if (text.equals("big")) state.put("pad", "x".repeat(Integer.parseInt(System.getenv("PAD_BYTES"))));
    }
    context.getLogger().log("WINDOW " + event.getShardId() + " start=" + event.getWindow().getStart()
        + " end=" + event.getWindow().getEnd() + " final=" + event.getIsFinalInvokeForWindow()
        + " early=" + event.getIsWindowTerminatedEarly() + " arn=" + event.getEventSourceArn()
        + " state=" + before + " records=" + String.join(",", data) + "\n");
    String failOnce = System.getenv("FAIL_FINAL_ONCE");
    if (Boolean.TRUE.equals(event.getIsFinalInvokeForWindow()) && failOnce != null) {
      try {
        Files.writeString(Path.of(failOnce), "failed once", java.nio.file.StandardOpenOption.CREATE_NEW);
        throw new IllegalStateException("the first final invocation fails");
      } catch (java.nio.file.FileAlreadyExistsException done) {
        // failed once already
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    state.put("count", Long.toString(count));
    state.put("sum", Long.toString(sum));
    return new TimeWindowEventResponse(state, failures);
  }
}
