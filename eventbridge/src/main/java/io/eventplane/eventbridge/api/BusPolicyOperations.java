package io.eventplane.eventbridge.api;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.EventBus;
import io.eventplane.eventbridge.domain.EventsErrors;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.regex.Pattern;

/**
 * UpdateEventBus, PutPermission and RemovePermission: a bus's settings and its resource policy,
 * stored with the bus and shown by DescribeEventBus. The policy is not enforced yet (the security
 * issue does that); it is kept exactly as EventBridge writes it, as recorded against AWS in
 * LocalStack's test_events.snapshot.json (TestEventBus.test_put_permission, test_remove_permission):
 * one statement per StatementId, {@code {"Sid", "Effect": "Allow", "Principal": {"AWS":
 * "arn:aws:iam::<account>:root"} or "*", "Action", "Resource": <bus ARN>}}, a statement id put
 * again replaces its statement, a {@code Policy} replaces the whole policy.
 */
final class BusPolicyOperations {
  private static final String NON_PARTNER_BUS_PATTERN = "[\\.\\-_A-Za-z0-9]+";
  private static final Pattern NON_PARTNER_BUS = Pattern.compile(NON_PARTNER_BUS_PATTERN);
  private static final String KMS_PATTERN = "^[a-zA-Z0-9_\\-/:]*$";
  private static final Pattern KMS = Pattern.compile(KMS_PATTERN);
  private static final String ACTION_PATTERN = "events:[a-zA-Z]+";
  private static final Pattern ACTION = Pattern.compile(ACTION_PATTERN);
  private static final String PRINCIPAL_PATTERN = "(\\d{12}|\\*)";
  private static final Pattern PRINCIPAL = Pattern.compile(PRINCIPAL_PATTERN);
  private static final String STATEMENT_ID_PATTERN = "[a-zA-Z0-9-_]+";
  private static final Pattern STATEMENT_ID = Pattern.compile(STATEMENT_ID_PATTERN);
  /** "The permission policy on the event bus cannot exceed 10 KB in size." (PutPermission's reference). */
  static final int MAX_POLICY_BYTES = 10 * 1024;

  private final Buses buses;
  private final Clock clock;

  BusPolicyOperations(Buses buses, Clock clock) {
    this.buses = buses;
    this.clock = clock;
  }

  /** UpdateEventBus: Description, KmsKeyIdentifier and DeadLetterConfig as given (absent: none); Name absent is the default bus. */
  Future<JsonObject> update(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String name = v.string(in, "Name", "name");
    String kms = v.string(in, "KmsKeyIdentifier", "kmsKeyIdentifier");
    String description = v.string(in, "Description", "description");
    JsonObject deadLetter = v.object(in, "DeadLetterConfig", "deadLetterConfig");
    String deadLetterArn = deadLetter == null ? null : v.string(deadLetter, "Arn", "deadLetterConfig.arn");
    v.busName(name, "name");
    v.length(description, "description", 0, 512);
    settings(v, kms, deadLetterArn);
    v.check();
    BusRef ref = new BusRef(request.context().accountId(), request.context().region(), name == null ? BusRef.DEFAULT : name);
    long now = clock.millis();
    return buses.materialise(ref, now).compose(bus -> {
      EventBus changed = bus.withSettings(description, kms == null || kms.isEmpty() ? null : kms, deadLetterArn, now);
      return save(changed).map(x -> {
        JsonObject out = new JsonObject().put("Arn", changed.arn()).put("Name", changed.name());
        if (changed.kmsKeyIdentifier() != null) out.put("KmsKeyIdentifier", changed.kmsKeyIdentifier());
        if (changed.description() != null) out.put("Description", changed.description());
        if (changed.deadLetterArn() != null) out.put("DeadLetterConfig", new JsonObject().put("Arn", changed.deadLetterArn()));
        return out;
      });
    });
  }

  Future<JsonObject> putPermission(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String busName = v.string(in, "EventBusName", "eventBusName");
    String action = v.string(in, "Action", "action");
    String principal = v.string(in, "Principal", "principal");
    String statementId = v.string(in, "StatementId", "statementId");
    JsonObject condition = v.object(in, "Condition", "condition");
    String policy = v.string(in, "Policy", "policy");
    nonPartnerBus(v, busName);
    v.length(action, "action", 1, 64);
    v.pattern(action, "action", ACTION, ACTION_PATTERN);
    v.length(principal, "principal", 1, 12);
    v.pattern(principal, "principal", PRINCIPAL, PRINCIPAL_PATTERN);
    statementId(v, statementId);
    if (condition != null) {
      v.required(v.string(condition, "Type", "condition.type"), "condition.type");
      v.required(v.string(condition, "Key", "condition.key"), "condition.key");
      v.required(v.string(condition, "Value", "condition.value"), "condition.value");
    }
    if (policy == null) {
      v.required(action, "action");
      v.required(principal, "principal");
      v.required(statementId, "statementId");
    }
    v.check();
    BusRef ref = new BusRef(request.context().accountId(), request.context().region(), busName == null ? BusRef.DEFAULT : busName);
    long now = clock.millis();
    return buses.materialise(ref, now).compose(bus -> {
      String next = policy != null ? given(policy) : withStatement(bus, statementId, action, principal, condition);
      if (next.getBytes(StandardCharsets.UTF_8).length > MAX_POLICY_BYTES) {
        throw new ServiceException("PolicyLengthExceededException", "The event bus policy is too long. For more information, see the limits.");
      }
      return save(bus.withPolicy(next, now)).map(x -> new JsonObject());
    });
  }

  Future<JsonObject> removePermission(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String busName = v.string(in, "EventBusName", "eventBusName");
    String statementId = v.string(in, "StatementId", "statementId");
    Object all = in.getValue("RemoveAllPermissions");
    if (all != null && !(all instanceof Boolean)) {
      throw EventsErrors.validation("1 validation error detected: Value '" + all + "' at 'removeAllPermissions' "
          + "failed to satisfy constraint: Member must be a boolean");
    }
    boolean removeAll = Boolean.TRUE.equals(all);
    nonPartnerBus(v, busName);
    statementId(v, statementId);
    if (!removeAll) v.required(statementId, "statementId");
    v.check();
    BusRef ref = new BusRef(request.context().accountId(), request.context().region(), busName == null ? BusRef.DEFAULT : busName);
    long now = clock.millis();
    return buses.materialise(ref, now).compose(bus -> {
      if (removeAll) return bus.policy() == null ? Future.succeededFuture(new JsonObject()) : save(bus.withPolicy(null, now)).map(x -> new JsonObject());
      JsonObject doc = bus.policy() == null ? null : new JsonObject(bus.policy());
      JsonArray statements = doc == null ? new JsonArray() : doc.getJsonArray("Statement", new JsonArray());
      JsonArray kept = new JsonArray();
      boolean found = false;
      for (Object o : statements) {
        if (o instanceof JsonObject s && statementId.equals(s.getValue("Sid"))) found = true;
        else kept.add(o);
      }
      if (!found) throw EventsErrors.resourceNotFound("Statement with the provided id does not exist.");
      String next = kept.isEmpty() ? null : doc.copy().put("Statement", kept).encode();
      return save(bus.withPolicy(next, now)).map(x -> new JsonObject());
    });
  }

  /** The policy with the statement of this id added, or replaced in place. */
  private static String withStatement(EventBus bus, String sid, String action, String principal, JsonObject condition) {
    JsonObject statement = new JsonObject().put("Sid", sid).put("Effect", "Allow")
        .put("Principal", "*".equals(principal) ? "*" : new JsonObject().put("AWS", "arn:aws:iam::" + principal + ":root"))
        .put("Action", action).put("Resource", bus.arn());
    if (condition != null) {
      statement.put("Condition", new JsonObject().put(condition.getString("Type"),
          new JsonObject().put(condition.getString("Key"), condition.getString("Value"))));
    }
    JsonObject doc = bus.policy() == null ? null : parse(bus.policy());
    if (doc == null || !(doc.getValue("Statement") instanceof JsonArray)) {
      doc = new JsonObject().put("Version", "2012-10-17").put("Statement", new JsonArray());
    }
    JsonArray statements = doc.getJsonArray("Statement");
    for (int i = 0; i < statements.size(); i++) {
      if (statements.getValue(i) instanceof JsonObject s && sid.equals(s.getValue("Sid"))) {
        statements.set(i, statement);
        return doc.encode();
      }
    }
    statements.add(statement);
    return doc.encode();
  }

  /** A Policy member as given: a JSON document (kept as the caller wrote it, re-encoded). */
  private static String given(String policy) {
    JsonObject doc = parse(policy);
    if (doc == null) throw EventsErrors.validation("Policy is not valid JSON.");
    return doc.encode();
  }

  private static JsonObject parse(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** KmsKeyIdentifier and DeadLetterConfig.Arn as the model constrains them (CreateEventBus, UpdateEventBus). */
  static void settings(Validation v, String kms, String deadLetterArn) {
    v.length(kms, "kmsKeyIdentifier", 0, 2048);
    v.pattern(kms, "kmsKeyIdentifier", KMS, KMS_PATTERN);
    v.length(deadLetterArn, "deadLetterConfig.arn", 1, 1600);
  }

  private static void nonPartnerBus(Validation v, String busName) {
    v.length(busName, "eventBusName", 1, 256);
    v.pattern(busName, "eventBusName", NON_PARTNER_BUS, NON_PARTNER_BUS_PATTERN);
  }

  private static void statementId(Validation v, String statementId) {
    v.length(statementId, "statementId", 1, 64);
    v.pattern(statementId, "statementId", STATEMENT_ID, STATEMENT_ID_PATTERN);
  }

  private Future<Void> save(EventBus bus) {
    Batch b = buses.store().batch();
    buses.store().putBus(b, bus);
    buses.put(bus);
    return buses.commit(bus.ref().partition(), b);
  }
}
