package io.eventplane.functions.bootstrap;

import com.amazonaws.services.lambda.runtime.api.client.logging.FramedTelemetryLogSink;
import com.amazonaws.services.lambda.runtime.api.client.logging.LambdaContextLogger;
import com.amazonaws.services.lambda.runtime.api.client.logging.LogSink;
import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.LambdaError;
import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.LambdaRuntimeApiClient;
import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.dto.InvocationRequest;
import java.io.IOException;
import java.io.OutputStream;

/**
 * AWS's Runtime API client with one addition: when the runtime loop asks for its next invocation,
 * it first writes the {@link EndMarker} of the invocation it answered last, after flushing
 * {@code System.out} and {@code System.err}. Not at the answer itself: the loop logs an uncaught
 * exception after posting {@code /error}, and on Lambda that trace is still the invocation's (its
 * END comes when the runtime asks for more). Per thread, for the client's multi-concurrent mode.
 */
final class MarkingRuntimeClient implements LambdaRuntimeApiClient {
  private final LambdaRuntimeApiClient delegate;
  private final LogSink telemetry;
  private final OutputStream stdout;
  private final ThreadLocal<String> answered = new ThreadLocal<>();

  /**
   * @param telemetry the sink of LambdaLogger records; marked only when it is the telemetry descriptor's
   * @param stdout the process's standard output itself (file descriptor 1), whatever System.out has become
   */
  MarkingRuntimeClient(LambdaRuntimeApiClient delegate, LogSink telemetry, OutputStream stdout) {
    this.delegate = delegate;
    this.telemetry = telemetry instanceof FramedTelemetryLogSink ? telemetry : null;
    this.stdout = stdout;
  }

  @Override
  public InvocationRequest nextInvocation() throws IOException {
    markAnswered();
    return delegate.nextInvocation();
  }

  @Override
  public InvocationRequest nextInvocationWithExponentialBackoff(LambdaContextLogger logger) throws Exception {
    markAnswered();
    return delegate.nextInvocationWithExponentialBackoff(logger);
  }

  @Override
  public void reportInvocationSuccess(String requestId, byte[] response) throws IOException {
    answered.set(requestId);
    delegate.reportInvocationSuccess(requestId, response);
  }

  @Override
  public void reportInvocationError(String requestId, LambdaError error) throws IOException {
    answered.set(requestId);
    delegate.reportInvocationError(requestId, error);
  }

  @Override
  public void reportInitError(LambdaError error) throws IOException {
    delegate.reportInitError(error);
  }

  @Override
  public void restoreNext() throws IOException {
    delegate.restoreNext();
  }

  @Override
  public void reportRestoreError(LambdaError error) throws IOException {
    delegate.reportRestoreError(error);
  }

  private void markAnswered() {
    String requestId = answered.get();
    if (requestId == null) return;
    answered.remove();
    System.out.flush();
    System.err.flush();
    try {
      stdout.write(EndMarker.line(requestId));
      stdout.flush();
    } catch (IOException e) {
      // Standard output is closed: the worker stops waiting for the marker after its cap.
    }
    if (telemetry != null) telemetry.log(EndMarker.record(requestId));
  }
}
