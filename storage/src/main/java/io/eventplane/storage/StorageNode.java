package io.eventplane.storage;

import io.eventplane.common.authz.DeliveryAuthorization;
import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.config.StorageSettings;
import io.eventplane.common.partition.PartitionWriter;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.store.Store;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every S3 lane of a node shares: the node's store and its replicated writer, the placement
 * view, the clock, the node's blob files (thread-safe: the gateway's event loops write them too),
 * where they live, this node's HTTP endpoint for other nodes (null standalone), S3's settings and
 * what signs the blob copies to other nodes (null when the auth mode verifies no signatures), and
 * whether notifications' destinations' policies allow S3 to send there (judged only in {@code --auth iam}),
 * the node's metrics, and where the lanes publish AWS/S3 metrics (CloudWatch's sampler, or {@code AwsMetrics.NONE}).
 */
record StorageNode(Store store, PartitionWriter writer, Placement placement, Clock clock, BlobStore blobs, Path blobRoot,
    String endpointUrl, StorageSettings settings, io.eventplane.common.secret.NodeRequestSigner nodeSigner,
    DeliveryAuthorization deliveries, io.eventplane.common.metrics.NodeMetrics metrics,
    io.eventplane.common.cloudwatch.AwsMetrics awsMetrics) {}
