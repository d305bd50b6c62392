package io.eventplane.server;

import io.eventplane.common.cluster.ClusterSettings;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.config.FunctionLimits;
import io.eventplane.common.store.Durability;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings from, in increasing precedence: defaults, a JSON config file ({@code --config} or
 * EVENTPLANE_CONFIG), environment variables (EVENTPLANE_PORT, ...), command-line flags.
 */
final class ConfigLoader {
  static final String USAGE = """
      usage: java -jar eventplane.jar [options]
        --port N                 HTTP port (default 4566; 0 = any free port)        env EVENTPLANE_PORT
        --bind ADDR              address to listen on (default 127.0.0.1)           env EVENTPLANE_BIND
        --data-dir PATH          where the store lives (default ./data)             env EVENTPLANE_DATA_DIR
        --durability MODE        fsync (default) | interval | none                 env EVENTPLANE_DURABILITY
        --sync-interval-ms N     fsync period in interval mode (default 100)        env EVENTPLANE_SYNC_INTERVAL_MS
        --dev-mode BOOL          enable POST /_eventplane/reset (default true)      env EVENTPLANE_DEV_MODE
        --max-request-bytes N    largest request body accepted (default 8388608)    env EVENTPLANE_MAX_REQUEST_BYTES
        --service-threads N      contexts per partitioned service (default: cores)  env EVENTPLANE_SERVICE_THREADS
        --external-url URL       base URL for queue URLs instead of the Host header env EVENTPLANE_EXTERNAL_URL
        --queue-url-style STYLE  path (default): http://host:port/account/queue;    env EVENTPLANE_QUEUE_URL_STYLE
                                 region: http://sqs.<region>.host:port/account/queue
        --account-id ID          account of every resource (default 000000000000)   env EVENTPLANE_ACCOUNT_ID
        --region NAME            region in ARNs (default us-east-1)                 env EVENTPLANE_REGION
        --cluster                join a cluster (default: standalone)                env EVENTPLANE_CLUSTER
        --node-id ID             this node's name (default host:cluster-port)         env EVENTPLANE_NODE_ID
        --cluster-host ADDR      address for cluster traffic (default 127.0.0.1)     env EVENTPLANE_CLUSTER_HOST
        --cluster-port N         membership port (default 5701)                     env EVENTPLANE_CLUSTER_PORT
        --cluster-bus-port N     event-bus port (default 0 = any free port)         env EVENTPLANE_CLUSTER_BUS_PORT
        --cluster-members LIST   other members, host:port,host:port                 env EVENTPLANE_CLUSTER_MEMBERS
        --replication-factor N   copies of each partition, 1-3 (default 2)          env EVENTPLANE_REPLICATION_FACTOR
        --function-instances N   function worker processes at once (default 64)     env EVENTPLANE_FUNCTION_INSTANCES
        --function-idle-seconds N  end an idle function instance after (default 600) env EVENTPLANE_FUNCTION_IDLE_SECONDS
        --function-async-retry-ms N  first retry of a failed Event invoke (default 60000) env EVENTPLANE_FUNCTION_ASYNC_RETRY_MS
        --s3-restore-delay-ms N  how long a RestoreObject takes (default 5000)      env EVENTPLANE_S3_RESTORE_DELAY_MS
        --s3-day-length-ms N     length of a restore/lifecycle day (default 86400000) env EVENTPLANE_S3_DAY_LENGTH_MS
        --s3-lifecycle-interval-ms N  how often lifecycle rules run (default 60000) env EVENTPLANE_S3_LIFECYCLE_INTERVAL_MS
        --s3-replication-delay-ms N  wait before replicating a write (default 0) env EVENTPLANE_S3_REPLICATION_DELAY_MS
        --audit-trail on|off     record API calls for CloudTrail (default on)       env EVENTPLANE_AUDIT_TRAIL
        --metrics on|off|detailed  Prometheus metrics at GET /metrics (default on;  env EVENTPLANE_METRICS
                                 detailed adds Vert.x's per-request HTTP and event-bus meters)
        --kinesis-shard-limits on|off  AWS's per-shard Kinesis throughput limits (default off)
                                                                   env EVENTPLANE_KINESIS_SHARD_LIMITS
        --apigateway-throttle RATE:BURST|off  HTTP APIs' account-level throttle per node
                                 (default 10000:5000, AWS's quota)                env EVENTPLANE_APIGATEWAY_THROTTLE
        --auth MODE              off | sigv4 | iam (default: off when bound to loopback and
                                 not clustered, else sigv4)                       env EVENTPLANE_AUTH
        --admin-access-key-id ID      the admin key (the default account's root)    env EVENTPLANE_ADMIN_ACCESS_KEY_ID
        --admin-secret-access-key S   its secret (never logged)           env EVENTPLANE_ADMIN_SECRET_ACCESS_KEY
        --credentials-key BASE64  32-byte key encrypting stored secrets and sealing session tokens
                                 (default: derived from the admin secret)          env EVENTPLANE_CREDENTIALS_KEY
        --config FILE            JSON file with the same keys in camelCase (port, bind, dataDir, ...)
      """;

  /** Flag name to config-file key; the environment variable is EVENTPLANE_ + upper snake case. */
  private static final Map<String, String> KEYS = new LinkedHashMap<>();

  static {
    KEYS.put("port", "port");
    KEYS.put("bind", "bind");
    KEYS.put("data-dir", "dataDir");
    KEYS.put("durability", "durability");
    KEYS.put("sync-interval-ms", "syncIntervalMs");
    KEYS.put("dev-mode", "devMode");
    KEYS.put("max-request-bytes", "maxRequestBytes");
    KEYS.put("service-threads", "serviceThreads");
    KEYS.put("external-url", "externalUrl");
    KEYS.put("queue-url-style", "queueUrlStyle");
    KEYS.put("account-id", "accountId");
    KEYS.put("region", "region");
    KEYS.put("s3-restore-delay-ms", "s3RestoreDelayMs");
    KEYS.put("s3-day-length-ms", "s3DayLengthMs");
    KEYS.put("s3-lifecycle-interval-ms", "s3LifecycleIntervalMs");
    KEYS.put("s3-replication-delay-ms", "s3ReplicationDelayMs");
    KEYS.put("cluster", "cluster");
    KEYS.put("node-id", "nodeId");
    KEYS.put("cluster-host", "clusterHost");
    KEYS.put("cluster-port", "clusterPort");
    KEYS.put("cluster-bus-port", "clusterBusPort");
    KEYS.put("cluster-members", "clusterMembers");
    KEYS.put("replication-factor", "replicationFactor");
    KEYS.put("function-instances", "functionInstances");
    KEYS.put("function-idle-seconds", "functionIdleSeconds");
    KEYS.put("function-async-retry-ms", "functionAsyncRetryMs");
    KEYS.put("audit-trail", "auditTrail");
    KEYS.put("kinesis-shard-limits", "kinesisShardLimits");
    KEYS.put("metrics", "metrics");
    KEYS.put("apigateway-throttle", "apiGatewayThrottle");
    KEYS.put("auth", "auth");
    KEYS.put("admin-access-key-id", "adminAccessKeyId");
    KEYS.put("admin-secret-access-key", "adminSecretAccessKey");
    KEYS.put("credentials-key", "credentialsKey");
  }

  private ConfigLoader() {}

  /** Null when only help was asked for. */
  static EventplaneConfig load(String[] args, Map<String, String> env) {
    Map<String, String> flags = new LinkedHashMap<>();
    String configFile = env.get("EVENTPLANE_CONFIG");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) return null;
      if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
      String name = a.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (name.equals("cluster") && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
        value = "true";
      } else {
        if (i + 1 >= args.length) throw new IllegalArgumentException("missing value for --" + name);
        value = args[++i];
      }
      if (name.equals("config")) configFile = value;
      else if (KEYS.containsKey(name)) flags.put(name, value);
      else throw new IllegalArgumentException("unknown option --" + name);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    if (configFile != null) {
      JsonObject file;
      try {
        file = new JsonObject(Files.readString(Path.of(configFile)));
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException("cannot read config file " + configFile + ": " + e.getMessage());
      }
      KEYS.forEach((flag, key) -> {
        if (file.getValue(key) != null) settings.put(flag, String.valueOf(file.getValue(key)));
      });
    }
    KEYS.keySet().forEach(flag -> {
      String v = env.get("EVENTPLANE_" + flag.toUpperCase().replace('-', '_'));
      if (v != null && !v.isEmpty()) settings.put(flag, v);
    });
    settings.putAll(flags);
    return apply(EventplaneConfig.defaults(), settings);
  }

  private static EventplaneConfig apply(EventplaneConfig c, Map<String, String> s) {
    try {
      c = c.withCluster(cluster(c.cluster(), s));
      FunctionLimits f = c.functions();
      c = c.withFunctions(new FunctionLimits(
          s.containsKey("function-instances") ? Integer.parseInt(s.get("function-instances").trim()) : f.maxInstances(),
          s.containsKey("function-idle-seconds") ? Integer.parseInt(s.get("function-idle-seconds").trim()) : f.idleSeconds(),
          s.containsKey("function-async-retry-ms") ? Long.parseLong(s.get("function-async-retry-ms").trim())
              : f.asyncFirstRetryMillis()));
      io.eventplane.common.config.StorageSettings s3 = c.s3();
      c = c.withS3(new io.eventplane.common.config.StorageSettings(
          s.containsKey("s3-restore-delay-ms") ? Long.parseLong(s.get("s3-restore-delay-ms").trim()) : s3.restoreDelayMillis(),
          s.containsKey("s3-day-length-ms") ? Long.parseLong(s.get("s3-day-length-ms").trim()) : s3.dayLengthMillis(),
          s.containsKey("s3-lifecycle-interval-ms") ? Long.parseLong(s.get("s3-lifecycle-interval-ms").trim())
              : s3.lifecycleIntervalMillis(),
          s.containsKey("s3-replication-delay-ms") ? Long.parseLong(s.get("s3-replication-delay-ms").trim())
              : s3.replicationDelayMillis()));
      io.eventplane.common.config.AuthSettings auth = c.auth();
      c = c.withAuth(new io.eventplane.common.config.AuthSettings(
          s.containsKey("auth") ? io.eventplane.common.config.AuthMode.parse(s.get("auth")) : auth.mode(),
          s.containsKey("admin-access-key-id") ? s.get("admin-access-key-id").trim() : auth.adminAccessKeyId(),
          s.containsKey("admin-secret-access-key") ? s.get("admin-secret-access-key").trim() : auth.adminSecretAccessKey(),
          s.containsKey("credentials-key") ? s.get("credentials-key").trim() : auth.credentialsKeyBase64()));
      for (Map.Entry<String, String> e : s.entrySet()) {
        String v = e.getValue().trim();
        c = switch (e.getKey()) {
          case "port" -> c.withPort(Integer.parseInt(v));
          case "bind" -> c.withBind(v);
          case "data-dir" -> c.withDataDir(Path.of(v));
          case "durability" -> c.withDurability(Durability.parse(v));
          case "sync-interval-ms" -> c.withSyncIntervalMillis(Long.parseLong(v));
          case "dev-mode" -> c.withDevMode(parseBoolean(v));
          case "max-request-bytes" -> c.withMaxRequestBytes(Integer.parseInt(v));
          case "service-threads" -> c.withServiceThreads(Integer.parseInt(v));
          case "external-url" -> c.withExternalBaseUrl(v);
          case "queue-url-style" -> c.withQueueUrlStyle(io.eventplane.common.config.QueueUrlStyle.parse(v));
          case "account-id" -> c.withAccountId(v);
          case "region" -> c.withRegion(v);
          case "audit-trail" -> c.withAuditTrail(onOff(v, "audit-trail"));
          case "kinesis-shard-limits" -> c.withKinesisShardLimits(onOff(v, "kinesis-shard-limits"));
          case "metrics" -> c.withMetrics(io.eventplane.common.config.MetricsLevel.parse(v));
          case "apigateway-throttle" -> c.withApiGatewayThrottle(io.eventplane.common.config.ApiGatewayThrottle.parse(v));
          default -> c;
        };
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + e.getMessage());
    }
    return c;
  }

  private static ClusterSettings cluster(ClusterSettings d, Map<String, String> s) {
    boolean enabled = s.containsKey("cluster") ? parseBoolean(s.get("cluster").trim(), "cluster") : d.enabled();
    String host = s.getOrDefault("cluster-host", d.host()).trim();
    int port = s.containsKey("cluster-port") ? Integer.parseInt(s.get("cluster-port").trim()) : d.port();
    String nodeId = s.getOrDefault("node-id", null);
    List<String> members = s.containsKey("cluster-members")
        ? Arrays.stream(s.get("cluster-members").split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList()
        : d.members();
    int rf = s.containsKey("replication-factor") ? Integer.parseInt(s.get("replication-factor").trim()) : d.replicationFactor();
    int busPort = s.containsKey("cluster-bus-port") ? Integer.parseInt(s.get("cluster-bus-port").trim()) : d.busPort();
    return new ClusterSettings(enabled, nodeId, host, port, members, rf, busPort);
  }

  private static boolean parseBoolean(String v, String name) {
    if (v.equalsIgnoreCase("true")) return true;
    if (v.equalsIgnoreCase("false")) return false;
    throw new IllegalArgumentException(name + " must be true or false: " + v);
  }

  /** on/off, also true/false (a config file's JSON boolean). */
  private static boolean onOff(String v, String name) {
    if (v.equalsIgnoreCase("on") || v.equalsIgnoreCase("true")) return true;
    if (v.equalsIgnoreCase("off") || v.equalsIgnoreCase("false")) return false;
    throw new IllegalArgumentException(name + " must be on or off: " + v);
  }

  private static boolean parseBoolean(String v) {
    if (v.equalsIgnoreCase("true")) return true;
    if (v.equalsIgnoreCase("false")) return false;
    throw new IllegalArgumentException("dev-mode must be true or false: " + v);
  }
}
