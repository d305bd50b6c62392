package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.domain.Topic;
import io.eventplane.broker.topic.domain.TopicArn;
import io.eventplane.broker.topic.domain.TopicAttributes;
import io.eventplane.broker.topic.domain.TopicErrors;
import io.eventplane.broker.topic.domain.Topics;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** CreateTopic, DeleteTopic, topic attributes, tags, permissions and data protection policies. */
final class TopicOperations {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final Pattern FIFO_NAME = Pattern.compile("[A-Za-z0-9_-]{1,251}\\.fifo");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]{1,80}");

  private final Topics topics;
  private final Clock clock;

  TopicOperations(Topics topics, Clock clock) {
    this.topics = topics;
    this.clock = clock;
  }

  Future<JsonObject> createTopic(JsonObject in, RequestContext ctx) {
    String name = Inputs.required(in, "Name");
    Map<String, String> attributes = Inputs.stringMap(in, "Attributes");
    Map<String, String> tags = Inputs.tags(in);
    String dataProtection = Inputs.optional(in, "DataProtectionPolicy");
    boolean fifo = "true".equalsIgnoreCase(attributes.get("FifoTopic"));
    if (fifo ? !FIFO_NAME.matcher(name).matches() : !NAME.matcher(name).matches() || name.endsWith(".fifo")) {
      throw fifo || name.endsWith(".fifo")
          ? TopicErrors.invalidParameter("Fifo Topic names must end with .fifo and must be made up of only uppercase "
              + "and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.")
          : TopicErrors.invalidParameter("Topic Name");
    }
    for (Map.Entry<String, String> e : attributes.entrySet()) TopicAttributes.validate(e.getKey(), e.getValue(), fifo, true);
    if (dataProtection != null) TopicAttributes.validate("DataProtectionPolicy", dataProtection, fifo, true);
    Tags.validate(tags);
    Tags.checkLimit(tags.size());
    TopicArn arn = new TopicArn(ctx.region(), ctx.accountId(), name);
    int partition = Topics.partitionOf(arn);
    Topic existing = topics.get(arn.toString());
    if (existing != null) {
      for (Map.Entry<String, String> e : attributes.entrySet()) {
        String current = existing.attributes().get(e.getKey());
        if (!e.getValue().equals(current) && !(e.getKey().equals("FifoTopic") && existing.fifo() == fifo)) {
          throw TopicErrors.invalidParameter("Attributes Reason: Topic already exists with different attributes");
        }
      }
      for (Map.Entry<String, String> e : tags.entrySet()) {
        if (!e.getValue().equals(existing.tags().get(e.getKey()))) {
          throw TopicErrors.invalidParameter("Tags Reason: Topic already exists with different tags");
        }
      }
      return Future.succeededFuture(new JsonObject().put("TopicArn", arn.toString()));
    }
    Map<String, String> stored = new LinkedHashMap<>(attributes);
    if (dataProtection != null) stored.put("DataProtectionPolicy", dataProtection);
    if (!fifo) stored.remove("FifoTopic");
    Topic topic = new Topic(arn, clock.millis(), stored, tags, Map.of(), 0);
    topics.add(partition, topic);
    return topics.save(partition, topic).map(v -> new JsonObject().put("TopicArn", arn.toString()));
  }

  Future<JsonObject> deleteTopic(JsonObject in, RequestContext ctx) {
    TopicArn parsed = Inputs.topicArn(in, "TopicArn", ctx);
    Topic topic = topics.get(parsed.toString());
    // Deleting a topic that does not exist succeeds, as in SNS.
    if (topic == null) return Future.succeededFuture(new JsonObject());
    int partition = Topics.partitionOf(parsed);
    topics.remove(partition, topic);
    var b = topics.store().batch();
    topics.store().deleteTopic(b, partition, topic);
    return topics.commit(partition, b).map(v -> new JsonObject());
  }

  Future<JsonObject> getTopicAttributes(JsonObject in, RequestContext ctx) {
    Topic topic = topics.require(topicArn(in, ctx));
    JsonObject attrs = new JsonObject();
    TopicAttributes.describe(topic).forEach(attrs::put);
    return Future.succeededFuture(new JsonObject().put("Attributes", attrs));
  }

  Future<JsonObject> setTopicAttributes(JsonObject in, RequestContext ctx) {
    String arn = topicArn(in, ctx);
    String name = Inputs.required(in, "AttributeName");
    String value = Inputs.optional(in, "AttributeValue");
    Topic topic = topics.require(arn);
    TopicAttributes.validate(name, value == null ? "" : value, topic.fifo(), false);
    if (value == null || value.isEmpty() && !name.equals("DisplayName")) topic.attributes().remove(name);
    else topic.attributes().put(name, value);
    return topics.save(Topics.partitionOf(topic.arn()), topic).map(v -> new JsonObject());
  }

  Future<JsonObject> tagResource(JsonObject in) {
    Topic topic = resource(in);
    Map<String, String> tags = Inputs.tags(in);
    if (!in.containsKey("Tags")) throw TopicErrors.missing("Tags");
    Tags.validate(tags);
    Map<String, String> merged = new LinkedHashMap<>(topic.tags());
    merged.putAll(tags);
    Tags.checkLimit(merged.size());
    topic.tags().putAll(tags);
    return topics.save(Topics.partitionOf(topic.arn()), topic).map(v -> new JsonObject());
  }

  Future<JsonObject> untagResource(JsonObject in) {
    Topic topic = resource(in);
    if (!in.containsKey("TagKeys")) throw TopicErrors.missing("TagKeys");
    for (String key : Inputs.stringList(in, "TagKeys")) topic.tags().remove(key);
    return topics.save(Topics.partitionOf(topic.arn()), topic).map(v -> new JsonObject());
  }

  Future<JsonObject> listTagsForResource(JsonObject in) {
    Topic topic = resource(in);
    JsonArray tags = new JsonArray();
    topic.tags().forEach((k, v) -> tags.add(new JsonObject().put("Key", k).put("Value", v)));
    return Future.succeededFuture(new JsonObject().put("Tags", tags));
  }

  Future<JsonObject> addPermission(JsonObject in, RequestContext ctx) {
    Topic topic = topics.require(topicArn(in, ctx));
    String label = Inputs.required(in, "Label");
    List<String> accounts = Inputs.stringList(in, "AWSAccountId");
    List<String> actions = Inputs.stringList(in, "ActionName");
    if (!LABEL.matcher(label).matches()) throw TopicErrors.invalidParameter("Label");
    if (accounts.isEmpty()) throw TopicErrors.missing("AWSAccountId");
    if (actions.isEmpty()) throw TopicErrors.missing("ActionName");
    if (topic.permissions().containsKey(label)) throw TopicErrors.invalidParameter("Statement already exists");
    topic.permissions().put(label, new JsonObject().put("accounts", new JsonArray(accounts)).put("actions", new JsonArray(actions)));
    return topics.save(Topics.partitionOf(topic.arn()), topic).map(v -> new JsonObject());
  }

  Future<JsonObject> removePermission(JsonObject in, RequestContext ctx) {
    Topic topic = topics.require(topicArn(in, ctx));
    String label = Inputs.required(in, "Label");
    if (topic.permissions().remove(label) == null) return Future.succeededFuture(new JsonObject());
    return topics.save(Topics.partitionOf(topic.arn()), topic).map(v -> new JsonObject());
  }

  Future<JsonObject> getDataProtectionPolicy(JsonObject in) {
    Topic topic = resource(in);
    String policy = topic.attributes().get("DataProtectionPolicy");
    JsonObject out = new JsonObject();
    if (policy != null) out.put("DataProtectionPolicy", policy);
    return Future.succeededFuture(out);
  }

  Future<JsonObject> putDataProtectionPolicy(JsonObject in) {
    Topic topic = resource(in);
    String policy = Inputs.required(in, "DataProtectionPolicy");
    TopicAttributes.validate("DataProtectionPolicy", policy, topic.fifo(), false);
    topic.attributes().put("DataProtectionPolicy", policy);
    return topics.save(Topics.partitionOf(topic.arn()), topic).map(v -> new JsonObject());
  }

  /** ListTopics' share of this node: the account's topics after the token, at most {@code limit}. */
  JsonArray topicArns(String account, String region, String after, int limit) {
    JsonArray out = new JsonArray();
    for (Topic t : topics.list(account, region, after, limit)) out.add(t.arnString());
    return out;
  }

  private Topic resource(JsonObject in) {
    String arn = Inputs.required(in, "ResourceArn");
    if (TopicArn.parse(arn) == null) throw TopicErrors.invalidParameter("ResourceArn");
    Topic topic = topics.get(arn);
    if (topic == null) throw TopicErrors.resourceNotFound();
    return topic;
  }

  private static String topicArn(JsonObject in, RequestContext ctx) {
    return Inputs.topicArn(in, "TopicArn", ctx).toString();
  }
}
