package io.eventplane.server.lambda;

import io.eventplane.server.EmbeddedServer;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Deploys the examples jar as the tests' functions. */
public final class Functions {
  public static final String ROLE = "arn:aws:iam::000000000000:role/lambda-role";
  public static final String DIAGNOSTICS = "io.eventplane.examples.Diagnostics::handleRequest";
  private static SdkBytes jar;

  private Functions() {}

  static synchronized SdkBytes jar() {
    if (jar == null) jar = SdkBytes.fromByteArray(EmbeddedServer.examplesJar());
    return jar;
  }

  public static CreateFunctionResponse create(LambdaClient lambda, String name, String handler) {
    return create(lambda, name, handler, 10, Map.of());
  }

  static CreateFunctionResponse create(LambdaClient lambda, String name, String handler, int timeout,
      Map<String, String> env) {
    return lambda.createFunction(b -> b.functionName(name).runtime(Runtime.JAVA17).role(ROLE).handler(handler)
        .timeout(timeout).memorySize(256).code(c -> c.zipFile(jar()))
        .environment(e -> e.variables(env)));
  }

  /**
   * Everything the function's instances logged, read back with CloudWatch Logs' FilterLogEvents
   * over its log group (all instances, on every node, in time order): one line per event.
   */
  static String logText(EmbeddedServer server, String function) {
    StringBuilder all = new StringBuilder();
    try {
      for (FilteredLogEvent e : server.logs().filterLogEventsPaginator(b -> b.logGroupName("/aws/lambda/" + function)).events()) {
        all.append(e.message()).append('\n');
      }
    } catch (ResourceNotFoundException noLogsYet) {
      return "";
    }
    return all.toString();
  }
}
