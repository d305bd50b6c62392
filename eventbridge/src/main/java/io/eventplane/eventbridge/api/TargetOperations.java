package io.eventplane.eventbridge.api;

import io.eventplane.eventbridge.transform.PartitionKeyPath;
import io.eventplane.eventbridge.transform.TargetInput;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.store.Batch;
import io.eventplane.eventbridge.domain.BusRef;
import io.eventplane.eventbridge.domain.Buses;
import io.eventplane.eventbridge.domain.EventsErrors;
import io.eventplane.eventbridge.domain.Rule;
import io.eventplane.eventbridge.domain.Target;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PutTargets, ListTargetsByRule, RemoveTargets. A target is kept as given (members of the API's
 * Target structure) and handed back so; at most {@code maxTargets} per rule (EventBridge's quota:
 * 5, {@link io.eventplane.eventbridge.domain.EventBridgeLimits}).
 */
final class TargetOperations {
  /** The Target members the API defines, in the order AWS lists them. */
  private static final List<String> MEMBERS = List.of("Id", "Arn", "RoleArn", "Input", "InputPath", "InputTransformer",
      "KinesisParameters", "RunCommandParameters", "EcsParameters", "BatchParameters", "SqsParameters", "HttpParameters",
      "RedshiftDataParameters", "SageMakerPipelineParameters", "DeadLetterConfig", "RetryPolicy", "AppSyncParameters");

  private final Buses buses;
  private final RuleOperations rules;
  private final int maxTargets;

  TargetOperations(Buses buses, RuleOperations rules, int maxTargets) {
    this.buses = buses;
    this.rules = rules;
    this.maxTargets = maxTargets;
  }

  Future<JsonObject> put(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String ruleName = v.string(in, "Rule", "rule");
    String busName = v.string(in, "EventBusName", "eventBusName");
    JsonArray targets = v.array(in, "Targets", "targets");
    v.required(ruleName, "rule");
    v.name(ruleName, "rule");
    v.busNameOrArn(busName, "eventBusName");
    v.required(targets, "targets");
    if (targets != null && targets.isEmpty()) {
      v.add("Value '[]' at 'targets' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }
    if (targets != null && targets.size() > 100) {
      v.add("Value at 'targets' failed to satisfy constraint: Member must have length less than or equal to 100");
    }
    List<Target> given = new ArrayList<>();
    if (targets != null) {
      for (int i = 0; i < targets.size(); i++) {
        if (!(targets.getValue(i) instanceof JsonObject t)) {
          throw EventsErrors.validation("1 validation error detected: Value at 'targets." + (i + 1)
              + ".member' failed to satisfy constraint: Member must be a structure");
        }
        Target target = target(t, "targets." + (i + 1) + ".member", v);
        if (target != null) given.add(target);
      }
    }
    v.check();
    for (int i = 0; i < given.size(); i++) checkTarget(given.get(i), i + 1);
    BusRef bus = BusRef.of(busName, request.context().accountId(), request.context().region());
    Rule rule = rules.requireRule(bus, ruleName);
    Map<String, Target> next = new LinkedHashMap<>(rule.targets());
    for (Target t : given) next.put(t.id(), t);
    if (maxTargets > 0 && next.size() > maxTargets) throw EventsErrors.limitExceeded();
    Rule changed = rule.withTargets(next);
    Batch b = buses.store().batch();
    buses.store().putRule(b, changed);
    buses.putRule(changed);
    return buses.commit(bus.partition(), b)
        .map(x -> new JsonObject().put("FailedEntryCount", 0).put("FailedEntries", new JsonArray()));
  }

  Future<JsonObject> list(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String ruleName = v.string(in, "Rule", "rule");
    String busName = v.string(in, "EventBusName", "eventBusName");
    String token = v.string(in, "NextToken", "nextToken");
    Integer limit = v.integer(in, "Limit", "limit");
    v.required(ruleName, "rule");
    v.name(ruleName, "rule");
    v.busNameOrArn(busName, "eventBusName");
    v.length(token, "nextToken", 1, 2048);
    v.range(limit, "limit", 1, 100);
    v.check();
    BusRef bus = BusRef.of(busName, request.context().accountId(), request.context().region());
    Rule rule = rules.requireRule(bus, ruleName);
    // Pages follow the order targets were first put, so the token is a position, not a key.
    List<Target> all = new ArrayList<>(rule.targets().values());
    int from = 0;
    String after = Wire.after(token);
    if (after != null) {
      try {
        from = Integer.parseInt(after);
      } catch (NumberFormatException e) {
        throw EventsErrors.validation("The NextToken provided is invalid.");
      }
    }
    int size = limit == null ? 100 : limit;
    JsonArray out = new JsonArray();
    for (int i = from; i < all.size() && out.size() < size; i++) out.add(all.get(i).toJson());
    JsonObject page = new JsonObject().put("Targets", out);
    if (from + out.size() < all.size()) page.put("NextToken", Wire.token(Integer.toString(from + out.size())));
    return io.vertx.core.Future.succeededFuture(page);
  }

  /** Ids the rule does not have are not an error: the rule simply ends up without them. */
  Future<JsonObject> remove(ApiRequest request) {
    JsonObject in = request.input();
    Validation v = new Validation();
    String ruleName = v.string(in, "Rule", "rule");
    String busName = v.string(in, "EventBusName", "eventBusName");
    JsonArray ids = v.array(in, "Ids", "ids");
    v.required(ruleName, "rule");
    v.name(ruleName, "rule");
    v.busNameOrArn(busName, "eventBusName");
    v.required(ids, "ids");
    if (ids != null) {
      if (ids.isEmpty()) v.add("Value '[]' at 'ids' failed to satisfy constraint: Member must have length greater than or equal to 1");
      if (ids.size() > 100) v.add("Value at 'ids' failed to satisfy constraint: Member must have length less than or equal to 100");
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.getValue(i) instanceof String s ? s : null;
        v.required(id, "ids." + (i + 1) + ".member");
        v.name(id, "ids." + (i + 1) + ".member");
      }
    }
    v.check();
    BusRef bus = BusRef.of(busName, request.context().accountId(), request.context().region());
    Rule rule = rules.requireRule(bus, ruleName);
    Map<String, Target> next = new LinkedHashMap<>(rule.targets());
    for (Object id : ids) next.remove((String) id);
    JsonObject ok = new JsonObject().put("FailedEntryCount", 0).put("FailedEntries", new JsonArray());
    if (next.size() == rule.targets().size()) return Future.succeededFuture(ok);
    Rule changed = rule.withTargets(next);
    Batch b = buses.store().batch();
    buses.store().putRule(b, changed);
    buses.putRule(changed);
    return buses.commit(bus.partition(), b).map(x -> ok);
  }

  /** A target's members checked against the model; the stored form keeps only the API's members, in its order. */
  private static Target target(JsonObject t, String path, Validation v) {
    String id = v.string(t, "Id", path + ".id");
    String arn = v.string(t, "Arn", path + ".arn");
    v.required(id, path + ".id");
    v.name(id, path + ".id");
    v.required(arn, path + ".arn");
    v.length(arn, path + ".arn", 1, 1600);
    v.length(v.string(t, "RoleArn", path + ".roleArn"), path + ".roleArn", 1, 1600);
    v.length(v.string(t, "Input", path + ".input"), path + ".input", 0, 8192);
    v.length(v.string(t, "InputPath", path + ".inputPath"), path + ".inputPath", 0, 256);
    JsonObject retry = v.object(t, "RetryPolicy", path + ".retryPolicy");
    if (retry != null) {
      v.range(v.integer(retry, "MaximumRetryAttempts", path + ".retryPolicy.maximumRetryAttempts"),
          path + ".retryPolicy.maximumRetryAttempts", 0, 185);
      v.range(v.integer(retry, "MaximumEventAgeInSeconds", path + ".retryPolicy.maximumEventAgeInSeconds"),
          path + ".retryPolicy.maximumEventAgeInSeconds", 60, 86_400);
    }
    JsonObject dlq = v.object(t, "DeadLetterConfig", path + ".deadLetterConfig");
    if (dlq != null) v.length(v.string(dlq, "Arn", path + ".deadLetterConfig.arn"), path + ".deadLetterConfig.arn", 1, 1600);
    JsonObject kinesis = v.object(t, "KinesisParameters", path + ".kinesisParameters");
    if (kinesis != null) {
      String keyPath = v.string(kinesis, "PartitionKeyPath", path + ".kinesisParameters.partitionKeyPath");
      v.required(keyPath, path + ".kinesisParameters.partitionKeyPath");
      v.length(keyPath, path + ".kinesisParameters.partitionKeyPath", 0, 256);
    }
    JsonObject sqs = v.object(t, "SqsParameters", path + ".sqsParameters");
    if (sqs != null) v.string(sqs, "MessageGroupId", path + ".sqsParameters.messageGroupId");
    JsonObject http = v.object(t, "HttpParameters", path + ".httpParameters");
    if (http != null) {
      JsonArray values = v.array(http, "PathParameterValues", path + ".httpParameters.pathParameterValues");
      if (values != null) {
        for (int i = 0; i < values.size(); i++) {
          String value = values.getValue(i) instanceof String s ? s : null;
          v.required(value, path + ".httpParameters.pathParameterValues." + (i + 1) + ".member");
        }
      }
      v.object(http, "HeaderParameters", path + ".httpParameters.headerParameters");
      v.object(http, "QueryStringParameters", path + ".httpParameters.queryStringParameters");
    }
    JsonObject transformer = v.object(t, "InputTransformer", path + ".inputTransformer");
    if (transformer != null) {
      String template = v.string(transformer, "InputTemplate", path + ".inputTransformer.inputTemplate");
      v.required(template, path + ".inputTransformer.inputTemplate");
      v.length(template, path + ".inputTransformer.inputTemplate", 1, 8192);
    }
    if (id == null || arn == null) return null;
    JsonObject wire = new JsonObject();
    for (String member : MEMBERS) if (t.getValue(member) != null) wire.put(member, t.getValue(member));
    return Target.of(wire);
  }

  /** Rules about a target as a whole, each refused for the whole call as AWS refuses it. */
  private static void checkTarget(Target t, int position) {
    // Input, InputPath and InputTransformer: at most one, each valid (JSON text, paths, template placeholders).
    TargetInput.of(t.wire(), position);
    JsonObject kinesis = t.wire().getJsonObject("KinesisParameters");
    if (kinesis != null) PartitionKeyPath.check(t.id(), kinesis.getString("PartitionKeyPath"));
    if (t.arn().startsWith("arn:") && t.arn().contains(":sqs:") && t.arn().endsWith(".fifo") && t.messageGroupId() == null) {
      throw EventsErrors.validation("Parameter(s) SqsParameters must be specified for target: " + t.id() + ".");
    }
    // An API destination is invoked with a role allowed events:InvokeApiDestination (not checked yet: no IAM here).
    if (t.arn().startsWith("arn:") && t.arn().contains(":api-destination/") && t.wire().getString("RoleArn") == null) {
      throw EventsErrors.validation("Parameter(s) RoleArn must be specified for target: " + t.id() + ".");
    }
  }
}
