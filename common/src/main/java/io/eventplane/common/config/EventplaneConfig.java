package io.eventplane.common.config;

import io.eventplane.common.cluster.ClusterSettings;
import io.eventplane.common.store.Durability;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A node's settings. Defaults are the embedded single-node developer setup: 127.0.0.1:4566, data
 * under ./data, fsync durability, dev mode on (which enables the reset endpoint).
 *
 * @param externalBaseUrl when set, URLs handed back to clients (queue URLs) use it instead of the
 *     request's Host header
 * @param serviceThreads the lanes of each partitioned service: contexts per node among which its
 *     partitions are split (partition p on lane p % N); the same on every node of a cluster
 * @param queueUrlStyle the form of the queue URLs handed out ({@link QueueUrlStyle})
 * @param auditTrail whether the gateway records API calls for CloudTrail (off: no record is built,
 *     LookupEvents and trails find none; CloudTrail's API still answers)
 * @param kinesisShardLimits whether Kinesis enforces AWS's per-shard throughput limits (1 MiB or
 *     1,000 records per second written, 2 MiB and 5 GetRecords calls per second read; off by default)
 * @param apiGatewayThrottle the account-level throttle of HTTP APIs' invoke requests, per node (AWS's
 *     10,000 requests/s, burst 5,000, by default)
 * @param auth how requests are authenticated and authorized, the admin key and the credentials key
 *     ({@link AuthSettings})
 * @param metrics what the node measures for Prometheus at {@code GET /metrics} ({@link MetricsLevel}; off:
 *     no registry, no Vert.x metrics, {@code /metrics} answers 404)
 */
public record EventplaneConfig(
    int port,
    String bind,
    Path dataDir,
    Durability durability,
    long syncIntervalMillis,
    boolean devMode,
    int maxRequestBytes,
    String accountId,
    String region,
    String externalBaseUrl,
    ClusterSettings cluster,
    FunctionLimits functions,
    StorageSettings s3,
    int serviceThreads,
    QueueUrlStyle queueUrlStyle,
    boolean auditTrail,
    boolean kinesisShardLimits,
    ApiGatewayThrottle apiGatewayThrottle,
    AuthSettings auth,
    MetricsLevel metrics) {

  public static final int DEFAULT_PORT = 4566;
  public static final int DEFAULT_MAX_REQUEST_BYTES = 8 * 1024 * 1024;

  public EventplaneConfig {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0-65535: " + port);
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(durability, "durability");
    if (syncIntervalMillis < 1) throw new IllegalArgumentException("sync interval must be >= 1 ms");
    if (maxRequestBytes < 1024) throw new IllegalArgumentException("max request bytes must be >= 1024");
    if (accountId == null || !accountId.matches("\\d{12}")) {
      throw new IllegalArgumentException("account id must be 12 digits: " + accountId);
    }
    Objects.requireNonNull(region, "region");
    cluster = cluster == null ? ClusterSettings.standalone() : cluster;
    functions = functions == null ? FunctionLimits.defaults() : functions;
    s3 = s3 == null ? StorageSettings.defaults() : s3;
    if (serviceThreads < 1) throw new IllegalArgumentException("service threads must be >= 1: " + serviceThreads);
    queueUrlStyle = queueUrlStyle == null ? QueueUrlStyle.PATH : queueUrlStyle;
    apiGatewayThrottle = apiGatewayThrottle == null ? ApiGatewayThrottle.AWS_DEFAULT : apiGatewayThrottle;
    auth = auth == null ? AuthSettings.defaults() : auth;
    metrics = metrics == null ? MetricsLevel.ON : metrics;
  }

  public static EventplaneConfig defaults() {
    return new EventplaneConfig(
        DEFAULT_PORT, "127.0.0.1", Path.of("data"), Durability.FSYNC, 100, true,
        DEFAULT_MAX_REQUEST_BYTES, "000000000000", "us-east-1", null, ClusterSettings.standalone(),
        FunctionLimits.defaults(), StorageSettings.defaults(), Math.max(1, Runtime.getRuntime().availableProcessors()),
        QueueUrlStyle.PATH, true, false, ApiGatewayThrottle.AWS_DEFAULT, AuthSettings.defaults(), MetricsLevel.ON);
  }

  public EventplaneConfig withPort(int p) {
    return new EventplaneConfig(p, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withBind(String b) {
    return new EventplaneConfig(port, b, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withDataDir(Path d) {
    return new EventplaneConfig(port, bind, d, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withDurability(Durability d) {
    return new EventplaneConfig(port, bind, dataDir, d, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withSyncIntervalMillis(long ms) {
    return new EventplaneConfig(port, bind, dataDir, durability, ms, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withDevMode(boolean dev) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, dev, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withMaxRequestBytes(int max) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, max, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withAccountId(String a) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, a, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withRegion(String r) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, r, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withExternalBaseUrl(String url) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, url, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withCluster(ClusterSettings c) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, c, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withFunctions(FunctionLimits f) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, f, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withServiceThreads(int n) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, n, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withS3(StorageSettings s) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withQueueUrlStyle(QueueUrlStyle style) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, style, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withAuditTrail(boolean on) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, on, kinesisShardLimits, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withKinesisShardLimits(boolean on) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, on, apiGatewayThrottle, auth, metrics);
  }

  public EventplaneConfig withApiGatewayThrottle(ApiGatewayThrottle t) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, t, auth, metrics);
  }

  public EventplaneConfig withAuth(AuthSettings a) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, a, metrics);
  }

  public EventplaneConfig withMetrics(boolean on) {
    return withMetrics(on ? MetricsLevel.ON : MetricsLevel.OFF);
  }

  public EventplaneConfig withMetrics(MetricsLevel level) {
    return new EventplaneConfig(port, bind, dataDir, durability, syncIntervalMillis, devMode, maxRequestBytes, accountId, region, externalBaseUrl, cluster, functions, s3, serviceThreads, queueUrlStyle, auditTrail, kinesisShardLimits, apiGatewayThrottle, auth, level);
  }

  /** The auth mode in force: the configured one, else {@link AuthSettings#effectiveMode}'s default for this bind and cluster. */
  public AuthMode authMode() {
    return auth.effectiveMode(bind, cluster.enabled());
  }
}
