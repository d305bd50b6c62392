package io.eventplane.examples;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function for trying out a Lambda runtime: does what the event asks and reports what it saw.
 * Event members, all optional: {@code log} (a line to log), {@code records} (texts to log as they
 * are, one LambdaLogger call each: no newline added), {@code print} (a line for standard output),
 * {@code sleepMillis}, {@code env} (names
 * of environment variables to report), {@code fail} (a message to throw with), {@code exit} (a
 * status to end the process with, as a crashing runtime would).
 */
public class Diagnostics implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private static final long STARTED = System.currentTimeMillis();
  private static int invocations;

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    invocations++;
    if (event == null) event = Map.of();
    if (event.get("log") != null) context.getLogger().log(event.get("log") + "\n");
    if (event.get("records") instanceof List<?> records) {
      for (Object r : records) context.getLogger().log(String.valueOf(r));
    }
    if (event.get("print") != null) System.out.println(event.get("print"));
    if (event.get("sleepMillis") instanceof Number n) {
      try {
        Thread.sleep(n.longValue());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (event.get("exit") instanceof Number status) {
      System.out.println("exiting with " + status);
      System.exit(status.intValue());
    }
    if (event.get("fail") != null) throw new IllegalStateException(String.valueOf(event.get("fail")));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requestId", context.getAwsRequestId());
    out.put("functionName", context.getFunctionName());
    out.put("functionArn", context.getInvokedFunctionArn());
    out.put("memoryLimitInMB", context.getMemoryLimitInMB());
    out.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
    out.put("logGroupName", context.getLogGroupName());
    out.put("logStreamName", context.getLogStreamName());
    out.put("invocationsOfThisInstance", invocations);
    out.put("instanceStartedAt", STARTED);
    out.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    out.put("javaVersion", System.getProperty("java.version"));
    if (event.get("env") instanceof List<?> names) {
      Map<String, String> env = new LinkedHashMap<>();
      for (Object name : names) env.put(String.valueOf(name), System.getenv(String.valueOf(name)));
      out.put("env", env);
    }
    return out;
  }
}
