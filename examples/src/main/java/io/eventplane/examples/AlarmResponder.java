package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * A CloudWatch alarm's Lambda action: logs one line per state change the alarm reports
 * ({@code ALARM <name> from <previous state>: <reason>}), from the event CloudWatch sends a function
 * named in an alarm's actions ({@code source} {@code aws.cloudwatch}, {@code alarmData}).
 */
public class AlarmResponder implements RequestHandler<Map<String, Object>, String> {
  @Override
  @SuppressWarnings("unchecked")
  public String handleRequest(Map<String, Object> event, Context context) {
    Map<String, Object> data = (Map<String, Object>) event.get("alarmData");
    Map<String, Object> state = (Map<String, Object>) data.get("state");
    Map<String, Object> previous = (Map<String, Object>) data.get("previousState");
    String line = state.get("value") + " " + data.get("alarmName") + " from " + previous.get("value") + ": " + state.get("reason")
        + " (" + event.get("source") + " " + event.get("alarmArn") + ")";
    context.getLogger().log(line + "\n");
    return line;
  }
}
