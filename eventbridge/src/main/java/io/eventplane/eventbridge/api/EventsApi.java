package io.eventplane.eventbridge.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceException;
import io.eventplane.eventbridge.delivery.Deliveries;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.EventBus;
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

  private final BusOperations buses;
  private final RuleOperations rules;
  private final TargetOperations targets;
  private final TagOperations tags;
  private final PutEventsOperations events;

  public EventsApi(Buses state, Deliveries deliveries, Clock clock) {
    this.buses = new BusOperations(state, clock);
    this.rules = new RuleOperations(state, clock);
    this.targets = new TargetOperations(state, rules);
    this.tags = new TagOperations(state, clock);
    this.events = new PutEventsOperations(state, deliveries, clock);
  }

  /** Runs an operation whose partition this lane owns (or that needs none). */
  public Future<JsonObject> handle(ApiRequest request) {
    return switch (request.operation()) {
      case "CreateEventBus" -> buses.create(request);
      case "DescribeEventBus" -> buses.describe(request);
      case "DeleteEventBus" -> buses.delete(request);
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
      default -> Future.failedFuture(new ServiceException("UnknownOperationException", "Unknown operation " + request.operation()));
    };
  }

  /** PutEvents as received: {@code route} runs each bus's share at the bus's owner. */
  public Future<JsonObject> putEvents(ApiRequest request, Function<ApiRequest, Future<JsonObject>> route) {
    return events.receive(request, route);
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
