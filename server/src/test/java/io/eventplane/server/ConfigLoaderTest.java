package io.eventplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.config.ApiGatewayThrottle;
import io.eventplane.common.config.EventplaneConfig;
import io.eventplane.common.store.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void defaultsAreTheEmbeddedSingleNode() {
    EventplaneConfig c = ConfigLoader.load(new String[0], Map.of());
    assertThat(c.port()).isEqualTo(4566);
    assertThat(c.bind()).isEqualTo("127.0.0.1");
    assertThat(c.dataDir()).isEqualTo(Path.of("data"));
    assertThat(c.durability()).isEqualTo(Durability.FSYNC);
    assertThat(c.devMode()).isTrue();
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFile() throws Exception {
    Path file = dir.resolve("eventplane.json");
    Files.writeString(file, "{\"port\": 5000, \"bind\": \"0.0.0.0\", \"dataDir\": \"/var/ep\", \"durability\": \"interval\", \"devMode\": false}");
    EventplaneConfig c = ConfigLoader.load(new String[] {"--config", file.toString(), "--port", "6000"},
        Map.of("EVENTPLANE_PORT", "5500", "EVENTPLANE_DURABILITY", "none"));
    assertThat(c.port()).isEqualTo(6000);
    assertThat(c.durability()).isEqualTo(Durability.NONE);
    assertThat(c.bind()).isEqualTo("0.0.0.0");
    assertThat(c.dataDir()).isEqualTo(Path.of("/var/ep"));
    assertThat(c.devMode()).isFalse();
  }

  @Test
  void equalsFormAndBadValues() {
    assertThat(ConfigLoader.load(new String[] {"--data-dir=/tmp/x", "--durability=none"}, Map.of()).dataDir()).isEqualTo(Path.of("/tmp/x"));
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--port", "nope"}, Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--durability", "maybe"}, Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--bogus", "1"}, Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--port"}, Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThat(ConfigLoader.load(new String[] {"--help"}, Map.of())).isNull();
  }

  @Test
  void metricsAreOnByDefaultAndTurnOffByFlagEnvironmentOrFile() throws Exception {
    assertThat(ConfigLoader.load(new String[0], Map.of()).metrics().enabled()).isTrue();
    assertThat(ConfigLoader.load(new String[] {"--metrics", "off"}, Map.of()).metrics().enabled()).isFalse();
    assertThat(ConfigLoader.load(new String[] {"--metrics=on"}, Map.of("EVENTPLANE_METRICS", "off")).metrics().enabled()).isTrue();
    assertThat(ConfigLoader.load(new String[0], Map.of("EVENTPLANE_METRICS", "OFF")).metrics().enabled()).isFalse();
    Path file = dir.resolve("metrics.json");
    Files.writeString(file, "{\"metrics\": false}");
    assertThat(ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()).metrics().enabled()).isFalse();
    Files.writeString(file, "{\"metrics\": \"off\"}");
    assertThat(ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()).metrics().enabled()).isFalse();
    assertThat(ConfigLoader.load(new String[] {"--metrics", "detailed"}, Map.of()).metrics())
        .isEqualTo(io.eventplane.common.config.MetricsLevel.DETAILED);
    assertThat(ConfigLoader.load(new String[0], Map.of("EVENTPLANE_METRICS", "Detailed")).metrics())
        .isEqualTo(io.eventplane.common.config.MetricsLevel.DETAILED);
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--metrics", "maybe"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void auditTrailIsOnByDefaultAndTurnsOffByFlagEnvironmentOrFile() throws Exception {
    assertThat(ConfigLoader.load(new String[0], Map.of()).auditTrail()).isTrue();
    assertThat(ConfigLoader.load(new String[] {"--audit-trail", "off"}, Map.of()).auditTrail()).isFalse();
    assertThat(ConfigLoader.load(new String[] {"--audit-trail=on"}, Map.of("EVENTPLANE_AUDIT_TRAIL", "off")).auditTrail()).isTrue();
    assertThat(ConfigLoader.load(new String[0], Map.of("EVENTPLANE_AUDIT_TRAIL", "OFF")).auditTrail()).isFalse();
    Path file = dir.resolve("audit.json");
    Files.writeString(file, "{\"auditTrail\": false}");
    assertThat(ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()).auditTrail()).isFalse();
    Files.writeString(file, "{\"auditTrail\": \"off\"}");
    assertThat(ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()).auditTrail()).isFalse();
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--audit-trail", "maybe"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void kinesisShardLimitsAreOffByDefaultAndTurnOnByFlagEnvironmentOrFile() throws Exception {
    assertThat(ConfigLoader.load(new String[0], Map.of()).kinesisShardLimits()).isFalse();
    assertThat(ConfigLoader.load(new String[] {"--kinesis-shard-limits", "on"}, Map.of()).kinesisShardLimits()).isTrue();
    assertThat(ConfigLoader.load(new String[0], Map.of("EVENTPLANE_KINESIS_SHARD_LIMITS", "on")).kinesisShardLimits()).isTrue();
    assertThat(ConfigLoader.load(new String[] {"--kinesis-shard-limits=off"}, Map.of("EVENTPLANE_KINESIS_SHARD_LIMITS", "on"))
        .kinesisShardLimits()).isFalse();
    Path file = dir.resolve("kinesis.json");
    Files.writeString(file, "{\"kinesisShardLimits\": true}");
    assertThat(ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()).kinesisShardLimits()).isTrue();
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--kinesis-shard-limits", "maybe"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void apiGatewayThrottleIsAwsQuotaByDefaultAndSetByFlagEnvironmentOrFile() throws Exception {
    assertThat(ConfigLoader.load(new String[0], Map.of()).apiGatewayThrottle()).isEqualTo(ApiGatewayThrottle.AWS_DEFAULT);
    assertThat(ConfigLoader.load(new String[] {"--apigateway-throttle", "off"}, Map.of()).apiGatewayThrottle().enabled()).isFalse();
    assertThat(ConfigLoader.load(new String[0], Map.of("EVENTPLANE_APIGATEWAY_THROTTLE", "20000:8000")).apiGatewayThrottle())
        .isEqualTo(new ApiGatewayThrottle(true, 20_000, 8_000));
    Path file = dir.resolve("apigateway.json");
    Files.writeString(file, "{\"apiGatewayThrottle\": \"50:10\"}");
    assertThat(ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()).apiGatewayThrottle())
        .isEqualTo(new ApiGatewayThrottle(true, 50, 10));
    for (String bad : new String[] {"fast", "100", "0:10", "100:-1", "x:y"}) {
      assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--apigateway-throttle", bad}, Map.of()))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void authModeDefaultsByBindAndClusterAndAdminKeyComesFromFlagsEnvironmentOrFile() throws Exception {
    io.eventplane.common.config.EventplaneConfig laptop = ConfigLoader.load(new String[0], Map.of());
    assertThat(laptop.authMode()).isEqualTo(io.eventplane.common.config.AuthMode.OFF);
    assertThat(laptop.auth().modeDefaulted()).isTrue();
    assertThat(ConfigLoader.load(new String[] {"--bind", "0.0.0.0"}, Map.of()).authMode())
        .isEqualTo(io.eventplane.common.config.AuthMode.SIGV4);
    assertThat(ConfigLoader.load(new String[] {"--bind", "::1"}, Map.of()).authMode())
        .isEqualTo(io.eventplane.common.config.AuthMode.OFF);
    assertThat(ConfigLoader.load(new String[] {"--cluster"}, Map.of()).authMode())
        .isEqualTo(io.eventplane.common.config.AuthMode.SIGV4);
    assertThat(ConfigLoader.load(new String[] {"--bind", "0.0.0.0", "--auth", "off"}, Map.of()).authMode())
        .isEqualTo(io.eventplane.common.config.AuthMode.OFF);
    assertThat(ConfigLoader.load(new String[0], Map.of("EVENTPLANE_AUTH", "IAM")).authMode())
        .isEqualTo(io.eventplane.common.config.AuthMode.IAM);
    io.eventplane.common.config.EventplaneConfig keyed = ConfigLoader.load(new String[] {"--admin-access-key-id",
        "ADMINKEY00000001"}, Map.of("EVENTPLANE_ADMIN_SECRET_ACCESS_KEY", "s3cret-s3cret-s3cret"));
    assertThat(keyed.auth().adminAccessKeyId()).isEqualTo("ADMINKEY00000001");
    assertThat(keyed.auth().adminSecretAccessKey()).isEqualTo("s3cret-s3cret-s3cret");
    assertThat(keyed.toString()).doesNotContain("s3cret");
    assertThat(keyed.auth().credentialsKey()).hasSize(32).isNotEqualTo(laptop.auth().credentialsKey());
    Path file = dir.resolve("auth.json");
    String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    Files.writeString(file, "{\"auth\": \"sigv4\", \"credentialsKey\": \"" + key + "\"}");
    io.eventplane.common.config.EventplaneConfig fromFile = ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of());
    assertThat(fromFile.authMode()).isEqualTo(io.eventplane.common.config.AuthMode.SIGV4);
    assertThat(fromFile.auth().credentialsKey()).isEqualTo(new byte[32]);
    for (String[] bad : new String[][] {{"--auth", "maybe"}, {"--admin-access-key-id", "ADMINKEY00000001"},
        {"--credentials-key", "c2hvcnQ="}, {"--admin-access-key-id", "short", "--admin-secret-access-key", "s3cret-s3cret-s3cret"}}) {
      assertThatThrownBy(() -> ConfigLoader.load(bad, Map.of())).as(String.join(" ", bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void queueUrlStyle() {
    assertThat(ConfigLoader.load(new String[0], Map.of()).queueUrlStyle()).isEqualTo(io.eventplane.common.config.QueueUrlStyle.PATH);
    assertThat(ConfigLoader.load(new String[] {"--queue-url-style", "region"}, Map.of()).queueUrlStyle())
        .isEqualTo(io.eventplane.common.config.QueueUrlStyle.REGION);
    assertThat(ConfigLoader.load(new String[0], Map.of("EVENTPLANE_QUEUE_URL_STYLE", "Region")).queueUrlStyle())
        .isEqualTo(io.eventplane.common.config.QueueUrlStyle.REGION);
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--queue-url-style", "domain"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void s3TimeSettings() throws Exception {
    EventplaneConfig defaults = ConfigLoader.load(new String[0], Map.of());
    assertThat(defaults.s3().restoreDelayMillis()).isEqualTo(5_000);
    assertThat(defaults.s3().dayLengthMillis()).isEqualTo(86_400_000L);
    assertThat(defaults.s3().replicationDelayMillis()).isZero();
    Path file = dir.resolve("s3.json");
    Files.writeString(file, "{\"s3DayLengthMs\": 60000}");
    EventplaneConfig c = ConfigLoader.load(new String[] {"--config", file.toString(), "--s3-restore-delay-ms", "250"},
        Map.of("EVENTPLANE_S3_LIFECYCLE_INTERVAL_MS", "1000", "EVENTPLANE_S3_REPLICATION_DELAY_MS", "700"));
    assertThat(c.s3().restoreDelayMillis()).isEqualTo(250);
    assertThat(c.s3().dayLengthMillis()).isEqualTo(60_000);
    assertThat(c.s3().lifecycleIntervalMillis()).isEqualTo(1_000);
    assertThat(c.s3().replicationDelayMillis()).isEqualTo(700);
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--s3-day-length-ms", "0"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serviceThreadsDefaultToTheCoresAndComeFromFlagEnvironmentOrFile() throws Exception {
    assertThat(ConfigLoader.load(new String[0], Map.of()).serviceThreads())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    Path file = dir.resolve("threads.json");
    Files.writeString(file, "{\"serviceThreads\": 3}");
    assertThat(ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()).serviceThreads()).isEqualTo(3);
    assertThat(ConfigLoader.load(new String[0], Map.of("EVENTPLANE_SERVICE_THREADS", "5")).serviceThreads()).isEqualTo(5);
    assertThat(ConfigLoader.load(new String[] {"--service-threads", "1"}, Map.of("EVENTPLANE_SERVICE_THREADS", "5"))
        .serviceThreads()).isEqualTo(1);
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--service-threads", "0"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clusterFlags() {
    EventplaneConfig standalone = ConfigLoader.load(new String[0], Map.of());
    assertThat(standalone.cluster().enabled()).isFalse();
    EventplaneConfig c = ConfigLoader.load(new String[] {"--cluster", "--node-id", "a", "--cluster-port", "6000",
        "--cluster-members", "127.0.0.1:6000, 127.0.0.1:6002"}, Map.of("EVENTPLANE_CLUSTER_HOST", "127.0.0.2"));
    assertThat(c.cluster().enabled()).isTrue();
    assertThat(c.cluster().nodeId()).isEqualTo("a");
    assertThat(c.cluster().host()).isEqualTo("127.0.0.2");
    assertThat(c.cluster().port()).isEqualTo(6000);
    assertThat(c.cluster().busPort()).isZero();
    assertThat(c.cluster().members()).containsExactly("127.0.0.1:6000", "127.0.0.1:6002");
    assertThat(ConfigLoader.load(new String[] {"--cluster", "false"}, Map.of()).cluster().enabled()).isFalse();
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--cluster", "--cluster-members", "nohost"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clusterBusPortFromFlagEnvironmentAndFile() throws Exception {
    assertThat(ConfigLoader.load(new String[] {"--cluster", "--cluster-bus-port", "7001"}, Map.of()).cluster().busPort())
        .isEqualTo(7001);
    assertThat(ConfigLoader.load(new String[] {"--cluster"}, Map.of("EVENTPLANE_CLUSTER_BUS_PORT", "7002")).cluster().busPort())
        .isEqualTo(7002);
    Path file = dir.resolve("bus.json");
    Files.writeString(file, "{\"cluster\": true, \"clusterBusPort\": 7003}");
    assertThat(ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of()).cluster().busPort()).isEqualTo(7003);
    assertThat(ConfigLoader.USAGE).contains("--cluster-bus-port").contains("EVENTPLANE_CLUSTER_BUS_PORT");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--cluster-bus-port", "70000"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster bus port must be 0-65535");
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--cluster-port", "6000", "--cluster-bus-port", "6000"}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ from the cluster port");
  }
}
