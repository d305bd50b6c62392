package io.eventplane.storage.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicationConfigTest {
  private static JsonObject rule(String id, int priority, JsonObject filter, String destination) {
    return new JsonObject().put("ID", id).put("Priority", String.valueOf(priority)).put("Status", "Enabled")
        .put("Filter", filter).put("DeleteMarkerReplication", new JsonObject().put("Status", "Disabled"))
        .put("Destination", new JsonObject().put("Bucket", "arn:aws:s3:::" + destination));
  }

  private static ReplicationConfig parse(JsonObject... rules) {
    return ReplicationConfig.parse(new JsonObject().put("Role", "r").put("Rules", new JsonArray(java.util.List.of(rules))),
        () -> "generated");
  }

  private static String code(Runnable r) {
    try {
      r.run();
    } catch (ServiceException e) {
      return e.error().code();
    }
    throw new AssertionError("accepted");
  }

  @Test
  void theHighestPriorityMatchingRuleWinsPerDestination() {
    ReplicationConfig c = parse(
        rule("low", 1, new JsonObject().put("Prefix", "a/"), "one"),
        rule("high", 5, new JsonObject().put("Prefix", "a/b"), "one"),
        rule("tagged", 3, new JsonObject().put("And", new JsonObject().put("Prefix", "a/")
            .put("Tags", new JsonArray().add(new JsonObject().put("Key", "k").put("Value", "v")))), "two"));
    assertThat(c.matching("a/b/c", Map.of())).extracting(ReplicationConfig.Rule::id).containsExactly("high");
    assertThat(c.matching("a/x", Map.of("k", "v"))).extracting(ReplicationConfig.Rule::id).containsExactly("low", "tagged");
    assertThat(c.matching("a/x", Map.of("k", "w"))).extracting(ReplicationConfig.Rule::id).containsExactly("low");
    assertThat(c.matching("b/x", Map.of("k", "v"))).isEmpty();
  }

  @Test
  void aDeleteMarkerFollowsTheRuleAnObjectOfItsKeyWouldAndOnlyWhenItReplicatesMarkers() {
    JsonObject markers = new JsonObject().put("Status", "Enabled");
    ReplicationConfig c = parse(
        rule("low", 1, new JsonObject().put("Prefix", "a/"), "one").put("DeleteMarkerReplication", markers),
        rule("high", 5, new JsonObject().put("Prefix", "a/b/"), "one"),
        rule("tagged", 9, new JsonObject().put("Tag", new JsonObject().put("Key", "k").put("Value", "v")), "two"),
        rule("other", 2, new JsonObject().put("Prefix", ""), "three").put("DeleteMarkerReplication", markers));
    // "high" wins for a/b/ keys and does not replicate markers; a marker has no tags for "tagged".
    assertThat(c.matchingDeleteMarker("a/b/c")).extracting(ReplicationConfig.Rule::id).containsExactly("other");
    assertThat(c.matchingDeleteMarker("a/x")).extracting(ReplicationConfig.Rule::id).containsExactly("low", "other");
    // A first-schema rule replicates the markers of user deletes, as S3's earlier version did.
    ReplicationConfig v1 = parse(new JsonObject().put("ID", "v1").put("Prefix", "logs/").put("Status", "Enabled")
        .put("Destination", new JsonObject().put("Bucket", "arn:aws:s3:::one")));
    assertThat(v1.matchingDeleteMarker("logs/1")).extracting(ReplicationConfig.Rule::id).containsExactly("v1");
    assertThat(v1.matchingDeleteMarker("other")).isEmpty();
  }

  @Test
  void aRuleWithoutAnIdGetsOneAndTheSavedFormKeepsIt() {
    JsonObject r = rule(null, 1, new JsonObject(), "one");
    r.remove("ID");
    ReplicationConfig c = parse(r);
    assertThat(c.rules().get(0).id()).isEqualTo("generated");
    assertThat(c.source().getJsonArray("Rules").getJsonObject(0).getString("ID")).isEqualTo("generated");
    assertThat(ReplicationConfig.fromStored(c.source()).rules().get(0).prefix()).isEmpty();
  }

  @Test
  void structureErrorsAreMalformedXml() {
    assertThat(code(() -> parse(rule("a", 1, new JsonObject().put("Prefix", "x").put("Tag",
        new JsonObject().put("Key", "k").put("Value", "v")), "one")))).isEqualTo("MalformedXML");
    assertThat(code(() -> parse(rule("a", 1, new JsonObject(), "one").put("Status", "On")))).isEqualTo("MalformedXML");
    assertThat(code(() -> parse(rule("a", 1, new JsonObject(), "one").put("Filter", "text")))).isEqualTo("MalformedXML");
    assertThat(code(() -> parse(rule("a", 1, new JsonObject(), "one").put("Prefix", "p")))).isEqualTo("MalformedXML");
    assertThat(code(() -> parse())).isEqualTo("MalformedXML");
    assertThat(code(() -> parse(rule("a", 1, new JsonObject(), "one"), rule("a", 2, new JsonObject(), "one"))))
        .isEqualTo("InvalidArgument");
  }
}
