package io.eventplane.functions;

import java.nio.file.Path;

/**
 * How a node runs functions.
 *
 * @param dataDir where packages are unpacked, log streams are written and the java runtime's jars live
 * @param endpointUrl what instances get as AWS_ENDPOINT_URL (this node's gateway)
 * @param maxInstances the instances this node runs at once, all functions together
 * @param idleMillis how long an instance may wait for work before it is ended
 * @param asyncFirstRetryMillis the delay before an Event invocation's first retry (AWS: about a minute)
 */
public record FunctionSettings(Path dataDir, String endpointUrl, int maxInstances, long idleMillis,
    long asyncFirstRetryMillis) {
  public static FunctionSettings defaults(Path dataDir, String endpointUrl) {
    return new FunctionSettings(dataDir, endpointUrl, 64, 600_000, 60_000);
  }
}
