package io.eventplane.server;

import io.eventplane.apigateway.ApiGatewayService;
import io.eventplane.broker.queue.QueueService;
import io.eventplane.broker.topic.TopicService;
import io.eventplane.cloudwatch.CloudWatchService;
import io.eventplane.cloudtrail.CloudTrailService;
import io.eventplane.common.service.ServiceDescriptor;
import io.eventplane.eventbridge.EventBridgeService;
import io.eventplane.firehose.FirehoseService;
import io.eventplane.functions.FunctionService;
import io.eventplane.identity.IamService;
import io.eventplane.kinesis.KinesisService;
import io.eventplane.logs.LogsService;
import io.eventplane.storage.StorageService;
import java.util.List;

/**
 * Every service a node runs, once. The column families the node opens, which of them replicate
 * per partition, the deployment and the dev-mode reset all derive from this list; a new service
 * adds its descriptor here (and its protocol binding to the gateway's list).
 *
 * <p>Services are set up in this order (a service that provides a node resource comes before its
 * users: Logs provides the log streams Lambda writes), then deployed in this order.
 */
final class Services {
  static final List<ServiceDescriptor> ALL = List.of(
      LogsService.DESCRIPTOR,
      QueueService.DESCRIPTOR,
      TopicService.DESCRIPTOR,
      FunctionService.DESCRIPTOR,
      IamService.DESCRIPTOR,
      StorageService.DESCRIPTOR,
      EventBridgeService.DESCRIPTOR,
      CloudTrailService.DESCRIPTOR,
      KinesisService.DESCRIPTOR,
      FirehoseService.DESCRIPTOR,
      ApiGatewayService.DESCRIPTOR,
      CloudWatchService.DESCRIPTOR);

  private Services() {}

  /** The column families of partitioned services: replicated, and copied per partition. */
  static List<String> partitionedFamilies(List<ServiceDescriptor> services) {
    return services.stream().filter(ServiceDescriptor::partitioned).flatMap(s -> s.columnFamilies().stream()).toList();
  }

  static List<String> families(List<ServiceDescriptor> services) {
    return services.stream().flatMap(s -> s.columnFamilies().stream()).toList();
  }
}
