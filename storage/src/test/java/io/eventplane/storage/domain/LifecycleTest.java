package io.eventplane.storage.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lifecycle rules: S3's rounding to midnight, which rule wins, filters, and what validation refuses. */
class LifecycleTest {
  private static final long DAY = 86_400_000L;

  private static StoredObject object(String key, long size, long modified, String storageClass, Map<String, String> tags) {
    return new StoredObject(key, size, "\"e\"", modified, Map.of(), Map.of(), storageClass, null, null, 0, List.of(), tags);
  }

  private static JsonObject rule(String id, JsonObject filter, JsonObject action, String actionName) {
    return new JsonObject().put("ID", id).put("Status", "Enabled").put("Filter", filter).put(actionName, action);
  }

  private static Lifecycle compile(JsonObject... rules) {
    return Lifecycle.of(Lifecycle.validate(new JsonObject().put("Rules", new JsonArray(List.of((Object[]) rules)))));
  }

  @Test
  void expiryIsRoundedUpToTheNextMidnightUtcAsS3Does() {
    // S3's own example: created 2014-01-15 10:30 UTC with Days=3 expires 2014-01-19 00:00 UTC.
    long created = Instant.parse("2014-01-15T10:30:00Z").toEpochMilli();
    Lifecycle l = compile(rule("r", new JsonObject(), new JsonObject().put("Days", "3"), "Expiration"));
    assertThat(l.expiry(object("k", 1, created, "STANDARD", Map.of()), DAY))
        .isEqualTo(new Lifecycle.Expiry(Instant.parse("2014-01-19T00:00:00Z").toEpochMilli(), "r"));
    assertThat(Lifecycle.ceilToDay(Instant.parse("2014-01-19T00:00:00Z").toEpochMilli(), DAY))
        .isEqualTo(Instant.parse("2014-01-19T00:00:00Z").toEpochMilli());
  }

  @Test
  void aDateRuleExpiresEveryMatchingObjectAtThatDate() {
    Lifecycle l = compile(rule("d", new JsonObject(), new JsonObject().put("Date", "2031-01-01T00:00:00.000Z"), "Expiration"));
    long date = Instant.parse("2031-01-01T00:00:00Z").toEpochMilli();
    assertThat(l.expiry(object("k", 1, 0, "STANDARD", Map.of()), DAY).at()).isEqualTo(date);
    assertThat(l.expiry(object("k", 1, date + 5 * DAY, "STANDARD", Map.of()), DAY).at()).isEqualTo(date);
    assertThatThrownBy(() -> compile(rule("d", new JsonObject(), new JsonObject().put("Date", "2031-01-01T01:00:00Z"),
        "Expiration"))).hasMessage("InvalidArgument: 'Date' must be at midnight GMT");
    assertThatThrownBy(() -> compile(rule("d", new JsonObject(), new JsonObject().put("Date", "soon"), "Expiration")))
        .hasMessageStartingWith("MalformedXML:");
  }

  @Test
  void theEarliestMatchingEnabledRuleWins() {
    Lifecycle l = compile(
        rule("late", new JsonObject().put("Prefix", "a/"), new JsonObject().put("Days", "10"), "Expiration"),
        rule("early", new JsonObject().put("And", new JsonObject().put("Prefix", "a/")
            .put("Tags", new JsonArray().add(new JsonObject().put("Key", "t").put("Value", "1")))
            .put("ObjectSizeGreaterThan", "5")), new JsonObject().put("Days", "1"), "Expiration"),
        rule("off", new JsonObject(), new JsonObject().put("Days", "1"), "Expiration").put("Status", "Disabled"));
    assertThat(l.expiry(object("a/x", 10, 0, "STANDARD", Map.of("t", "1")), DAY).ruleId()).isEqualTo("early");
    assertThat(l.expiry(object("a/x", 10, 0, "STANDARD", Map.of("t", "2")), DAY).ruleId()).isEqualTo("late");
    assertThat(l.expiry(object("a/x", 5, 0, "STANDARD", Map.of("t", "1")), DAY).ruleId()).isEqualTo("late");
    assertThat(l.expiry(object("b/x", 10, 0, "STANDARD", Map.of("t", "1")), DAY)).isNull();
  }

  @Test
  void transitionsOnlyEverMoveToAColderClass() {
    JsonObject r = new JsonObject().put("ID", "t").put("Status", "Enabled").put("Filter", new JsonObject())
        .put("Transitions", new JsonArray().add(new JsonObject().put("Days", "30").put("StorageClass", "STANDARD_IA"))
            .add(new JsonObject().put("Days", "60").put("StorageClass", "GLACIER")));
    Lifecycle l = compile(r);
    assertThat(l.transition(object("k", 1, 0, "STANDARD", Map.of()), 10 * DAY, DAY)).isNull();
    assertThat(l.transition(object("k", 1, 0, "STANDARD", Map.of()), 31 * DAY, DAY)).isEqualTo("STANDARD_IA");
    assertThat(l.transition(object("k", 1, 0, "STANDARD", Map.of()), 61 * DAY, DAY)).isEqualTo("GLACIER");
    assertThat(l.transition(object("k", 1, 0, "DEEP_ARCHIVE", Map.of()), 61 * DAY, DAY)).isNull();
  }

  @Test
  void validationAnswersS3sCodes() {
    assertThatThrownBy(() -> Lifecycle.validate(new JsonObject().put("Rules", new JsonArray())))
        .isInstanceOf(ServiceException.class).hasMessageStartingWith("MalformedXML:");
    JsonObject noAction = new JsonObject().put("ID", "x").put("Status", "Enabled").put("Filter", new JsonObject());
    assertThatThrownBy(() -> compile(noAction)).hasMessage("InvalidRequest: At least one action needs to be specified in a rule");
    JsonObject both = rule("x", new JsonObject(), new JsonObject().put("Days", "1"), "Expiration").put("Prefix", "p");
    assertThatThrownBy(() -> compile(both)).hasMessageStartingWith("MalformedXML:");
    JsonObject notNumber = rule("x", new JsonObject(), new JsonObject().put("Days", "one"), "Expiration");
    assertThatThrownBy(() -> compile(notNumber)).hasMessageStartingWith("MalformedXML:");
    JsonObject abortWithTag = rule("x", new JsonObject().put("Tag", new JsonObject().put("Key", "k").put("Value", "v")),
        new JsonObject().put("DaysAfterInitiation", "1"), "AbortIncompleteMultipartUpload");
    assertThatThrownBy(() -> compile(abortWithTag)).hasMessageStartingWith("InvalidRequest: AbortIncompleteMultipartUpload cannot be specified");
    JsonObject sizes = rule("x", new JsonObject().put("And", new JsonObject().put("ObjectSizeGreaterThan", "10")
        .put("ObjectSizeLessThan", "5")), new JsonObject().put("Days", "1"), "Expiration");
    assertThatThrownBy(() -> compile(sizes)).hasMessageStartingWith("InvalidArgument: 'ObjectSizeGreaterThan'");
  }

  @Test
  void uploadsAreAbortedByPrefixAfterTheirDays() {
    Lifecycle l = compile(rule("a", new JsonObject().put("Prefix", "in/"), new JsonObject().put("DaysAfterInitiation", "2"),
        "AbortIncompleteMultipartUpload"));
    assertThat(l.abortsUpload("in/x", 0, 2 * DAY - 1, DAY)).isFalse();
    assertThat(l.abortsUpload("in/x", 0, 2 * DAY, DAY)).isTrue();
    assertThat(l.abortsUpload("out/x", 0, 9 * DAY, DAY)).isFalse();
  }
}
