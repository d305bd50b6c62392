package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;

/**
 * An SNS-triggered notifier: logs a notice for each notification. A notification whose message
 * is "fail" makes the invocation fail, so that asynchronous retries and the function's
 * dead-letter queue can be seen at work.
 */
public class SnsNotifier implements RequestHandler<SNSEvent, String> {
  @Override
  public String handleRequest(SNSEvent event, Context context) {
    int n = 0;
    for (SNSEvent.SNSRecord r : event.getRecords()) {
      SNSEvent.SNS sns = r.getSNS();
      context.getLogger().log("NOTIFY " + sns.getTopicArn() + " " + sns.getMessageId() + " subject=" + sns.getSubject()
          + " message=" + sns.getMessage() + "\n");
      if ("fail".equals(sns.getMessage())) throw new IllegalStateException("cannot notify: " + sns.getMessageId());
      n++;
    }
    return "notified " + n;
  }
}
