package io.eventplane.broker.topic;

import io.eventplane.broker.topic.domain.MessageSigner;
import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import java.time.Clock;

/**
 * What every SNS lane of a node shares: the node's store and its replicated writer, the placement
 * view, the clock, and the node's signing key (one key per node, loaded once whichever lane needs
 * it first; {@link MessageSigner} is safe to share between threads), and whether destinations'
 * policies let the topics deliver ({@link DeliveryAuthorization}, the node's one, safe to share), the
 * node's metrics, and where the lanes publish AWS/SNS metrics (CloudWatch's sampler, or {@code AwsMetrics.NONE}).
 */
record TopicNode(Store store, PartitionWriter writer, Placement placement, Clock clock, MessageSigner signer,
    DeliveryAuthorization deliveryAuthorization, io.eventplane.common.metrics.NodeMetrics metrics,
    io.eventplane.common.cloudwatch.AwsMetrics awsMetrics) {}
