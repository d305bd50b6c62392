package io.eventplane.eventbridge.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.EventBus;
import io.eventplane.eventbridge.domain.EventsErrors;
import io.eventplane.eventbridge.domain.Rule;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** CreateEventBus, DescribeEventBus, DeleteEventBus, and a lane's share of ListEventBuses. */
final class BusOperations {
  private final Buses buses;
  private final Clock clock;

  BusOperations(Buses buses, Clock clock) {
    this.buses = buses;
    this.clock = clock;
  }

  /** CreateEventBus's input, checked: the name. */
  static String check(ApiRequest request) {
    return CreateInput.of(request).name();
  }

  /** CreateEventBus's input, checked (the same checks whichever node makes them). */
  private record CreateInput(String name, String description, String kms, String deadLetterArn,
      java.util.Map<String, String> tags) {
    static CreateInput of(ApiRequest request) {
      JsonObject in = request.input();
      Validation v = new Validation();
      String name = v.string(in, "Name", "name");
      String description = v.string(in, "Description", "description");
      String kms = v.string(in, "KmsKeyIdentifier", "kmsKeyIdentifier");
      JsonObject deadLetter = v.object(in, "DeadLetterConfig", "deadLetterConfig");
      String deadLetterArn = deadLetter == null ? null : v.string(deadLetter, "Arn", "deadLetterConfig.arn");
      v.required(name, "name");
      v.busName(name, "name");
      v.length(description, "description", 0, 512);
      BusPolicyOperations.settings(v, kms, deadLetterArn);
      v.check();
      return new CreateInput(name, description, kms, deadLetterArn, TagOperations.tags(in, v));
    }
  }

  Future<JsonObject> create(ApiRequest request) {
    CreateInput input = CreateInput.of(request);
    String name = input.name();
    String description = input.description();
    String kms = input.kms();
    String deadLetterArn = input.deadLetterArn();
    java.util.Map<String, String> tags = input.tags();
    BusRef ref = new BusRef(request.context().accountId(), request.context().region(), name);
    if (ref.isDefault() || buses.get(ref) != null) throw EventsErrors.busExists(name);
    long now = clock.millis();
    EventBus bus = new EventBus(ref, description, now, now, tags, kms == null || kms.isEmpty() ? null : kms, deadLetterArn, null);
    Batch b = buses.store().batch();
    buses.store().putBus(b, bus);
    buses.put(bus);
    return buses.commit(ref.partition(), b).map(x -> {
      JsonObject out = new JsonObject().put("EventBusArn", bus.arn());
      if (description != null) out.put("Description", description);
      if (bus.kmsKeyIdentifier() != null) out.put("KmsKeyIdentifier", bus.kmsKeyIdentifier());
      if (bus.deadLetterArn() != null) out.put("DeadLetterConfig", new JsonObject().put("Arn", bus.deadLetterArn()));
      return out;
    });
  }

  Future<JsonObject> describe(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.string(in, "Name", "name");
    v.busNameOrArn(name, "name");
    v.check();
    BusRef ref = BusRef.of(name, request.context().accountId(), request.context().region());
    return buses.materialise(ref, clock.millis()).map(bus -> {
      JsonObject out = Wire.bus(bus);
      if (bus.kmsKeyIdentifier() != null) out.put("KmsKeyIdentifier", bus.kmsKeyIdentifier());
      if (bus.deadLetterArn() != null) out.put("DeadLetterConfig", new JsonObject().put("Arn", bus.deadLetterArn()));
      return out;
    });
  }

  /** Deleting a bus that does not exist succeeds; the default bus cannot be deleted. The bus's rules go with it. */
  Future<JsonObject> delete(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.string(in, "Name", "name");
    v.required(name, "name");
    v.busName(name, "name");
    v.check();
    BusRef ref = new BusRef(request.context().accountId(), request.context().region(), name);
    if (ref.isDefault()) throw EventsErrors.validation("Cannot delete event bus default.");
    if (buses.get(ref) == null) return Future.succeededFuture(new JsonObject());
    List<Rule> rules = new ArrayList<>(buses.rules(ref).values());
    Batch b = buses.store().batch();
    buses.store().deleteBus(b, ref);
    for (Rule r : rules) buses.store().deleteRule(b, ref, r.name());
    buses.remove(ref);
    return buses.commit(ref.partition(), b).map(x -> new JsonObject());
  }

  /** This lane's buses of the caller's account and region (ListEventBuses gathers them from every lane). */
  List<EventBus> laneShare(String account, String region) {
    return buses.list(account, region);
  }
}
