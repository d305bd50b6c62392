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
 * @param credentialsKey the 32-byte key instances' execution-role credentials are sealed with
 *     ({@code config.auth().credentialsKey()}: the gateway opens them with the same)
 */
public record FunctionSettings(Path dataDir, String endpointUrl, int maxInstances, long idleMillis,
    long asyncFirstRetryMillis, byte[] credentialsKey,
    io.eventplane.common.secret.GatewaySigner gatewaySigner) {
  public static FunctionSettings defaults(Path dataDir, String endpointUrl) {
    return new FunctionSettings(dataDir, endpointUrl, 64, 600_000, 60_000,
        io.eventplane.common.config.AuthSettings.defaults().credentialsKey(),
        io.eventplane.common.secret.GatewaySigner.unverified("000000000000", "us-east-1"));
  }

  /** Never the key: settings get logged. */
  @Override
  public String toString() {
    return "FunctionSettings[dataDir=" + dataDir + ", endpointUrl=" + endpointUrl + ", maxInstances=" + maxInstances
        + ", idleMillis=" + idleMillis + ", asyncFirstRetryMillis=" + asyncFirstRetryMillis + "]";
  }
}
