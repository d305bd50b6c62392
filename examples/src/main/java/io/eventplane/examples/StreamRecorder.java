package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kinesis-triggered handler that logs what it gets, so a test can read the deliveries back from
 * the function's log: one {@code BATCH} line per invocation (shard, size, the records' data in
 * order) and one {@code RECORD} line per record with every member of the event as the
 * {@code aws-lambda-java-events} classes read it. A record whose data contains "poison" cannot be
 * processed: with {@code ON_POISON=report} it is reported as a batch item failure (its sequence
 * number), otherwise the invocation fails.
 */
public class StreamRecorder implements RequestHandler<KinesisEvent, StreamsEventResponse> {
  @Override
  public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
    boolean report = "report".equals(System.getenv("ON_POISON"));
    List<String> data = new ArrayList<>();
    List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
    String shard = "";
    for (KinesisEvent.KinesisEventRecord r : event.getRecords()) {
      String text = StandardCharsets.UTF_8.decode(r.getKinesis().getData()).toString();
      data.add(text);
      shard = r.getEventID().substring(0, r.getEventID().indexOf(':'));
      context.getLogger().log("RECORD " + r.getEventID() + " seq=" + r.getKinesis().getSequenceNumber()
          + " key=" + r.getKinesis().getPartitionKey() + " data=" + text
          + " arrival=" + r.getKinesis().getApproximateArrivalTimestamp().getTime()
          + " schema=" + r.getKinesis().getKinesisSchemaVersion() + " source=" + r.getEventSource()
          + " version=" + r.getEventVersion() + " name=" + r.getEventName() + " role=" + r.getInvokeIdentityArn()
          + " region=" + r.getAwsRegion() + " arn=" + r.getEventSourceARN() + "\n");
      if (text.contains("poison") && report) failures.add(new StreamsEventResponse.BatchItemFailure(r.getKinesis().getSequenceNumber()));
    }
    context.getLogger().log("BATCH " + shard + " " + data.size() + " " + String.join(",", data) + "\n");
    if (!report && data.stream().anyMatch(d -> d.contains("poison"))) {
      throw new IllegalStateException("poison record in " + data);
    }
    return new StreamsEventResponse(failures);
  }
}
