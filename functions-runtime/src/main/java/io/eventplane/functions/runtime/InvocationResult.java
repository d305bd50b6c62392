package io.eventplane.functions.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * What an invocation returned.
 *
 * @param payload the response, or the error document when it failed
 * @param functionError null on success, else what X-Amz-Function-Error says ({@value #UNHANDLED})
 * @param log the invocation's log lines, START to REPORT
 */
public record InvocationResult(byte[] payload, String functionError, String log) {
  public static final String UNHANDLED = "Unhandled";
  private static final int TAIL_BYTES = 4096;

  public boolean failed() {
    return functionError != null;
  }

  /** X-Amz-Log-Result: the last 4 KB of the log, base64. */
  public String logTail() {
    byte[] all = log.getBytes(StandardCharsets.UTF_8);
    byte[] tail = all.length <= TAIL_BYTES ? all : Arrays.copyOfRange(all, all.length - TAIL_BYTES, all.length);
    return Base64.getEncoder().encodeToString(tail);
  }
}
