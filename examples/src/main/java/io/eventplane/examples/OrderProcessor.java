package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * An SQS-triggered order processor. Each message body is an order; an order whose body contains
 * "poison" cannot be processed. Such a message is reported as a batch item failure (with
 * ReportBatchItemFailures the others of the batch are deleted); every message is logged with its
 * queue and group, so the order of processing can be read from the log.
 */
public class OrderProcessor implements RequestHandler<SQSEvent, SQSBatchResponse> {
  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage m : event.getRecords()) {
      String group = m.getAttributes() == null ? null : m.getAttributes().get("MessageGroupId");
      if (m.getBody() != null && m.getBody().contains("poison")) {
        context.getLogger().log("FAILED order " + m.getMessageId() + " from " + m.getEventSourceArn()
            + (group == null ? "" : " group " + group) + ": " + m.getBody() + "\n");
        failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
      } else {
        context.getLogger().log("PROCESSED order " + m.getMessageId() + " from " + m.getEventSourceArn()
            + (group == null ? "" : " group " + group) + ": " + m.getBody() + "\n");
      }
    }
    return new SQSBatchResponse(failures);
  }
}
