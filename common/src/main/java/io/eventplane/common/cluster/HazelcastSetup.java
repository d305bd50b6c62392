package io.eventplane.common.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;

/**
 * The Hazelcast configuration of a node: TCP-IP join with the listed members only, bound to the
 * cluster host (not 0.0.0.0), no multicast, no phone-home, and failure detection tuned so that a
 * dead member is noticed within about five seconds.
 */
public final class HazelcastSetup {
  private HazelcastSetup() {}

  public static Config config(ClusterSettings s) {
    Config config = new Config();
    config.setClusterName("eventplane");
    config.setInstanceName("eventplane-" + s.nodeId().replaceAll("[^A-Za-z0-9_.-]", "-"));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    // Nobody reads Hazelcast's metrics (no Management Center, no JMX); collecting them every 5 s
    // was a steady share of an idle node's CPU (docs/benchmarks.md, "Idle cluster").
    config.getMetricsConfig().setEnabled(false);
    // What an idle node spends besides heartbeats (docs/benchmarks.md, issue 12: three idle nodes).
    // Hazelcast holds only the bus's subscriptions and the small placement maps here, so 31
    // partitions (not 271) are plenty for the clusters Eventplane runs, and its partition
    // threads' periodic work is per partition. Every member must use the same count.
    config.setProperty("hazelcast.partition.count", "31");
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    config.setProperty("hazelcast.slow.operation.detector.enabled", "false");
    // No map entry here has a time to live: the expiry task need not visit every partition each 5 s.
    config.setProperty("hazelcast.internal.map.expiration.task.period.seconds", "60");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.heartbeat.failuredetector.type", "deadline");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "2");
    config.getMemberAttributeConfig().setAttribute("eventplane.node-id", s.nodeId());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(s.port()).setPortAutoIncrement(false);
    network.setPublicAddress(s.host() + ":" + s.port());
    network.getInterfaces().setEnabled(true).addInterface(s.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    join.getTcpIpConfig().addMember(s.host() + ":" + s.port());
    for (String m : s.members()) join.getTcpIpConfig().addMember(m);
    return config;
  }
}
