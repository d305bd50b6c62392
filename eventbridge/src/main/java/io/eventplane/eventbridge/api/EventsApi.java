package io.eventplane.eventbridge.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceException;
import io.eventplane.eventbridge.delivery.Deliveries;
import io.eventplane.eventbridge.delivery.Replays;
import io.eventplane.eventbridge.domain.Archives;
import io.eventplane.eventbridge.delivery.ScheduledRules;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.EventBridgeLimits;
import io.eventplane.eventbridge.domain.EventBus;
import io.eventplane.eventbridge.domain.HttpEndpoints;
import io.eventplane.eventbridge.delivery.HttpCalls;
import io.eventplane.eventbridge.domain.Rule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * EventBridge's operation table: each operation to its handler, run on the lane that owns the
 * request's partition (PutEvents first on the lane that received it, which splits it by bus).
 */
public final class EventsApi {
  /** The owner's half of PutEvents: {@code Account}, {@code Region}, {@code Bus}, {@code Events} [{Id, Envelope}]. */
  public static final String PUT_BUS_EVENTS = "eventplane:PutBusEvents";
  /**
   * Events another Eventplane service emits (S3's "Object Created", ...), put on the default bus of
   * the request's account and region as AWS services put theirs: {@code Entries} [{Id, Source,
   * DetailType, Detail, Resources, TimeMillis}]; answered as PutEvents answers, entry by entry.
   */
  public static final String PUT_SERVICE_EVENTS = "eventplane:PutServiceEvents";
  /** A lane's buses of {@code account} and {@code region}, for ListEventBuses. */
  public static final String LANE_BUSES = "eventplane:LaneBuses";
  /** CreateArchive at the bus's owner, once the name was found free: the input as the caller sent it. */
  public static final String CREATE_ARCHIVE = "eventplane:CreateArchive";
  /** CreateEventBus at the bus's owner, once the account registry reserved it: the input as the caller sent it. */
  public static final String CREATE_BUS = "eventplane:CreateEventBus";
  /** DeleteEventBus at the bus's owner (the receiving lane then releases the name in the account registry). */
  public static final String DELETE_BUS = "eventplane:DeleteEventBus";
  /** A call by archive or replay name on one lane: {@code Operation}, {@code Input}; absent unless the lane holds the name. */
  public static final String ARCHIVE_CALL = "eventplane:ArchiveCall";
  /** A lane's archives and replays of {@code Account} and {@code Region}, for ListArchives and ListReplays. */
  public static final String LANE_ARCHIVES = "eventplane:LaneArchives";
  /**
   * A delivery's read of an API destination with its connection (secrets included), in the
   * request's account and region: {@code Name}, {@code Id} -> {@code Destination}, {@code Connection}.
   */
  public static final String RESOLVE_API_DESTINATION = "eventplane:ResolveApiDestination";

  private final BusOperations buses;
  private final RuleOperations rules;
  private final TargetOperations targets;
  private final TagOperations tags;
  private final PutEventsOperations events;
  private final ArchiveOperations archives;
  private final BusPolicyOperations policies;
  private final ConnectionOperations connections;
  private final ApiDestinationOperations destinations;

  public EventsApi(Buses state, Archives archiveState, Deliveries deliveries, Replays replays, ScheduledRules schedules,
      HttpEndpoints endpoints, HttpCalls http, Clock clock, EventBridgeLimits limits) {
    this.buses = new BusOperations(state, clock);
    this.rules = new RuleOperations(state, schedules, clock, limits.rulesPerBus());
    this.targets = new TargetOperations(state, rules, limits.targetsPerRule());
    this.tags = new TagOperations(state, clock);
    this.events = new PutEventsOperations(state, archiveState, deliveries, clock);
    this.archives = new ArchiveOperations(state, archiveState, replays, clock);
    this.policies = new BusPolicyOperations(state, clock);
    this.connections = new ConnectionOperations(state, endpoints, http, clock);
    this.destinations = new ApiDestinationOperations(state, endpoints, clock, limits.apiDestinationsPerAccount());
  }

  /** Authorizes the OAuth connections of a partition this lane just took that were still AUTHORIZING. */
  public void resumeConnections(java.util.List<io.eventplane.eventbridge.domain.Connection> loaded) {
    connections.resume(loaded);
  }

  /** Runs an operation whose partition this lane owns (or that needs none). */
  public Future<JsonObject> handle(ApiRequest request) {
    return switch (request.operation()) {
      case CREATE_BUS -> buses.create(request);
      case "DescribeEventBus" -> buses.describe(request);
      case DELETE_BUS -> buses.delete(request);
      case "UpdateEventBus" -> policies.update(request);
      case "PutPermission" -> policies.putPermission(request);
      case "RemovePermission" -> policies.removePermission(request);
      case "PutRule" -> rules.put(request);
      case "DescribeRule" -> rules.describe(request);
      case "ListRules" -> rules.list(request);
      case "DeleteRule" -> rules.delete(request);
      case "EnableRule" -> rules.setState(request, Rule.ENABLED);
      case "DisableRule" -> rules.setState(request, Rule.DISABLED);
      case "ListRuleNamesByTarget" -> rules.namesByTarget(request);
      case "TestEventPattern" -> Future.succeededFuture(RuleOperations.test(request));
      case "PutTargets" -> targets.put(request);
      case "ListTargetsByRule" -> targets.list(request);
      case "RemoveTargets" -> targets.remove(request);
      case "TagResource" -> tags.tag(request);
      case "UntagResource" -> tags.untag(request);
      case "ListTagsForResource" -> tags.list(request);
      case PUT_BUS_EVENTS -> events.putOnBus(request);
      case LANE_BUSES -> Future.succeededFuture(laneBuses(request));
      case CREATE_ARCHIVE -> archives.create(request);
      case ARCHIVE_CALL -> archives.byName(new ApiRequest(request.input().getString("Operation"),
          request.input().getJsonObject("Input"), request.context()));
      case LANE_ARCHIVES -> Future.succeededFuture(archives.laneShare(request));
      case "CreateConnection" -> connections.create(request);
      case "DescribeConnection" -> connections.describe(request);
      case "ListConnections" -> connections.list(request);
      case "UpdateConnection" -> connections.update(request);
      case "DeleteConnection" -> connections.delete(request);
      case "DeauthorizeConnection" -> connections.deauthorize(request);
      case "CreateApiDestination" -> destinations.create(request);
      case "DescribeApiDestination" -> destinations.describe(request);
      case "ListApiDestinations" -> destinations.list(request);
      case "UpdateApiDestination" -> destinations.update(request);
      case "DeleteApiDestination" -> destinations.delete(request);
      case RESOLVE_API_DESTINATION -> destinations.resolve(request);
      default -> Future.failedFuture(new ServiceException("UnknownOperationException", "Unknown operation " + request.operation()));
    };
  }

  /** PutEvents as received: {@code route} runs each bus's share at the bus's owner. */
  public Future<JsonObject> putEvents(ApiRequest request, Function<ApiRequest, Future<JsonObject>> route) {
    return events.receive(request, route);
  }

  /**
   * Checks an archive or replay call before anyone is asked: CreateArchive's and StartReplay's
   * input, a name for the calls by name, the filters of ListArchives and ListReplays.
   */
  public static void checkArchiveCall(ApiRequest request) {
    switch (request.operation()) {
      case "CreateArchive" -> ArchiveOperations.checkCreate(request);
      case "ListArchives", "ListReplays" -> ArchiveOperations.checkList(request);
      default -> ArchiveOperations.checkName(request);
    }
  }

  /** CreateEventBus's input, checked before the account registry is asked: the bus name. */
  public static String checkCreateBus(ApiRequest request) {
    return BusOperations.check(request);
  }

  /** StartReplay's Destination.Arn (after {@link #checkArchiveCall}). */
  public static String replayDestination(ApiRequest request) {
    return ArchiveOperations.destination(request);
  }

  /** One answer of a call by name from the lanes' answers: the holder's, else AWS's not-found error. */
  public static JsonObject archiveAnswer(ApiRequest request, List<JsonObject> answers) {
    for (JsonObject a : answers) if (!ArchiveOperations.isAbsent(a)) return a;
    throw ArchiveOperations.notFound(request);
  }

  /** Whether a lane's answer to a call by name says it does not hold the name. */
  public static boolean isAbsent(JsonObject answer) {
    return ArchiveOperations.isAbsent(answer);
  }

  public static io.eventplane.common.error.ServiceException archiveExists(String name) {
    return ArchiveOperations.archiveExists(name);
  }

  public static io.eventplane.common.error.ServiceException replayExists(String name) {
    return ArchiveOperations.replayExists(name);
  }

  /** ListArchives or ListReplays from every lane's {@link #LANE_ARCHIVES} share. */
  public static JsonObject listArchives(ApiRequest request, List<JsonObject> shares) {
    return ArchiveOperations.list(request, shares);
  }

  /** {@link #PUT_SERVICE_EVENTS} as received: {@code route} runs the default bus's share at its owner. */
  public Future<JsonObject> putServiceEvents(ApiRequest request, Function<ApiRequest, Future<JsonObject>> route) {
    return events.receiveService(request, route);
  }

  /** Checks ListEventBuses' input before it is asked of every lane. */
  public static ListQuery listQuery(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String prefix = v.string(in, "NamePrefix", "namePrefix");
    String token = v.string(in, "NextToken", "nextToken");
    Integer limit = v.integer(in, "Limit", "limit");
    v.busName(prefix, "namePrefix");
    v.length(token, "nextToken", 1, 2048);
    v.range(limit, "limit", 1, 100);
    v.check();
    return new ListQuery(prefix, Wire.after(token), limit == null ? 100 : limit);
  }

  /** ListEventBuses' input, checked. */
  public record ListQuery(String prefix, String after, int limit) {}

  /** ListEventBuses from every lane's share ({@link #LANE_BUSES} answers), in name order. */
  public static JsonObject listBuses(ListQuery query, List<JsonObject> shares) {
    List<JsonObject> all = new ArrayList<>();
    for (JsonObject share : shares) {
      for (Object o : share.getJsonArray("EventBuses", new JsonArray())) {
        JsonObject bus = (JsonObject) o;
        if (query.prefix() == null || bus.getString("Name").startsWith(query.prefix())) all.add(bus);
      }
    }
    all.sort(Comparator.comparing(b -> b.getString("Name")));
    return Wire.page(all, b -> b.getString("Name"), b -> b, "EventBuses", query.after(), query.limit());
  }

  private JsonObject laneBuses(ApiRequest request) {
    JsonArray out = new JsonArray();
    for (EventBus bus : buses.laneShare(request.input().getString("Account"), request.input().getString("Region"))) {
      out.add(Wire.bus(bus));
    }
    return new JsonObject().put("EventBuses", out);
  }
}
