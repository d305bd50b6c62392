package io.eventplane.eventbridge.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Connection;
import io.eventplane.eventbridge.domain.ResourceArn;
import io.eventplane.eventbridge.registry.AccountRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The partition an EventBridge request is about: its bus's, named by {@code Name} (the bus calls),
 * {@code EventBusName} (rules and targets; absent means the default bus), {@code ResourceARN}
 * (tags), or by every entry of a PutEvents that names one bus. {@link PartitionRouter#ANY} for
 * ListEventBuses, TestEventPattern, a PutEvents whose entries name several buses (the receiving lane
 * splits it), and requests so malformed that any node answers the error. Cheap, thread-safe, never throws.
 */
public final class EventsRequestPartitions {
  private EventsRequestPartitions() {}

  public static int of(ApiRequest request) {
    JsonObject in = request.input();
    String account = request.context().accountId();
    String region = request.context().region();
    switch (request.operation()) {
      case "CreateEventBus":
      case "DeleteEventBus":
        // The receiving lane asks the account registry first, then sends CREATE_BUS / DELETE_BUS to the owner.
        return PartitionRouter.ANY;
      case EventsApi.CREATE_BUS:
      case EventsApi.DELETE_BUS:
        return in.getValue("Name") instanceof String name ? new BusRef(account, region, name).partition() : PartitionRouter.ANY;
      case AccountRegistry.RESERVE:
      case AccountRegistry.RELEASE: {
        int p = AccountRegistry.partitionOf(in);
        return p < 0 ? PartitionRouter.ANY : p;
      }
      case AccountRegistry.HOLDS:
        return in.getValue("Home") instanceof String home && in.getValue("Account") instanceof String a
            && in.getValue("Region") instanceof String r ? BusRef.of(home, a, r).partition() : PartitionRouter.ANY;
      case "DescribeEventBus":
      case "UpdateEventBus":
        return busPartition(in.getValue("Name"), account, region);
      case "ListEventBuses":
      case "TestEventPattern":
        return PartitionRouter.ANY;
      case "TagResource":
      case "UntagResource":
      case "ListTagsForResource": {
        ResourceArn arn = in.getValue("ResourceARN") instanceof String s ? ResourceArn.parse(s) : null;
        return arn == null ? PartitionRouter.ANY : arn.bus().partition();
      }
      case "PutEvents":
        return putEventsPartition(in, account, region);
      case "CreateArchive":
      case "DescribeArchive":
      case "ListArchives":
      case "UpdateArchive":
      case "DeleteArchive":
      case "StartReplay":
      case "DescribeReplay":
      case "ListReplays":
      case "CancelReplay":
        // Named by archive or replay name (or listed): the receiving lane asks every lane.
        return PartitionRouter.ANY;
      case "CreateConnection":
      case "DescribeConnection":
      case "ListConnections":
      case "UpdateConnection":
      case "DeleteConnection":
      case "DeauthorizeConnection":
      case "CreateApiDestination":
      case "DescribeApiDestination":
      case "ListApiDestinations":
      case "UpdateApiDestination":
      case "DeleteApiDestination":
      case EventsApi.RESOLVE_API_DESTINATION:
        // Every connection and API destination of an account and region shares one partition.
        return Connection.partition(account, region);
      case EventsApi.CREATE_ARCHIVE:
        return in.getValue("EventSourceArn") instanceof String arn && BusRef.isArn(arn)
            ? BusRef.of(arn, account, region).partition() : PartitionRouter.ANY;
      case EventsApi.PUT_BUS_EVENTS:
        return in.getValue("Account") instanceof String a && in.getValue("Region") instanceof String r
            && in.getValue("Bus") instanceof String b ? new BusRef(a, r, b).partition() : PartitionRouter.ANY;
      default:
        if (request.operation().startsWith("eventplane:") || request.operation().equals("Reset")) return PartitionRouter.ANY;
        return busPartition(in.getValue("EventBusName"), account, region);
    }
  }

  private static int busPartition(Object nameOrArn, String account, String region) {
    if (nameOrArn != null && !(nameOrArn instanceof String)) return PartitionRouter.ANY;
    return BusRef.of((String) nameOrArn, account, region).partition();
  }

  private static int putEventsPartition(JsonObject in, String account, String region) {
    if (!(in.getValue("Entries") instanceof JsonArray entries) || entries.isEmpty()) return PartitionRouter.ANY;
    int partition = PartitionRouter.ANY;
    for (Object o : entries) {
      if (!(o instanceof JsonObject e)) return PartitionRouter.ANY;
      int p = busPartition(e.getValue("EventBusName"), account, region);
      if (p == PartitionRouter.ANY || (partition != PartitionRouter.ANY && p != partition)) return PartitionRouter.ANY;
      partition = p;
    }
    return partition;
  }
}
