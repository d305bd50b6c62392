package io.eventplane.functions.bootstrap;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import com.amazonaws.services.lambda.runtime.api.client.LambdaEnvironment;
import com.amazonaws.services.lambda.runtime.api.client.LambdaRequestHandler;
import com.amazonaws.services.lambda.runtime.api.client.logging.LambdaContextLogger;
import com.amazonaws.services.lambda.runtime.api.client.logging.LogSink;
import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.LambdaRuntimeApiClient;
import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.LambdaRuntimeApiClientImpl;
import com.amazonaws.services.lambda.runtime.api.client.util.ConcurrencyConfig;
import com.amazonaws.services.lambda.runtime.logging.LogFormat;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The entry point of a java instance ({@code EventplaneLambda <handler>}): AWS's runtime interface
 * client's own {@code AWSLambda.main}, step for step, with its Runtime API client wrapped in a
 * {@link MarkingRuntimeClient} so that each invocation's end is marked in the instance's output.
 * Loading the handler, serialization and the runtime loop stay AWS's code; the two private steps
 * of {@code main} it reuses are reached by reflection (the client is pinned at 2.10.1 in the pom,
 * and a java function's every invocation goes through here, so a change shows at once).
 * Runs inside the function's JVM, never in the server: it needs only the client's jars.
 */
public final class EventplaneLambda extends AWSLambda {
  private EventplaneLambda() {}

  public static void main(String[] args) throws Throwable {
    try {
      LogSink sink = (LogSink) awsLambda("createLogSink", new Class<?>[0]);
      try (LambdaContextLogger logger = new LambdaContextLogger(sink, LogLevel.fromString(LambdaEnvironment.LAMBDA_LOG_LEVEL),
          LogFormat.fromString(LambdaEnvironment.LAMBDA_LOG_FORMAT))) {
        LambdaRuntimeApiClient client = new MarkingRuntimeClient(new LambdaRuntimeApiClientImpl(LambdaEnvironment.RUNTIME_API),
            sink, new FileOutputStream(FileDescriptor.out));
        LambdaRequestHandler handler = (LambdaRequestHandler) awsLambda("getLambdaRequestHandlerObject",
            new Class<?>[] {String.class, LambdaContextLogger.class, LambdaRuntimeApiClient.class}, args[0], logger, client);
        startRuntimeLoops(handler, logger, new ConcurrencyConfig(logger), client);
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new Error(e);
    }
  }

  private static Object awsLambda(String method, Class<?>[] types, Object... args) throws Throwable {
    Method m = AWSLambda.class.getDeclaredMethod(method, types);
    m.setAccessible(true);
    try {
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
