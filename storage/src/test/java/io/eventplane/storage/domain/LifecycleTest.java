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

  private static StoredObject version(String key, long modified, long seq, Map<String, String> tags) {
    return object(key, 1, modified, "STANDARD", tags).withVersion("v" + seq, seq);
  }

  @Test
  void noncurrentDaysCountFromTheSuccessorsWriteAndNewerVersionsAreKept() {
    long t = Instant.parse("2014-01-15T10:30:00Z").toEpochMilli();
    Lifecycle l = compile(rule("r", new JsonObject(), new JsonObject().put("NoncurrentDays", "1").put("NewerNoncurrentVersions",
        "1"), "NoncurrentVersionExpiration"));
    StoredObject oldest = version("k", t, 1, Map.of());
    StoredObject middle = version("k", t + 5 * DAY, 2, Map.of());
    StoredObject current = version("k", t + 10 * DAY, 3, Map.of());
    // middle became noncurrent at t+10d (10:30), due at midnight after t+11d; oldest at t+5d.
    long beforeDue = Instant.parse("2014-01-26T23:59:59Z").toEpochMilli();
    long due = Instant.parse("2014-01-27T00:00:00Z").toEpochMilli();
    assertThat(l.historyActions(current, List.of(middle, oldest), beforeDue, DAY))
        .containsExactly(new Lifecycle.HistoryAction(Lifecycle.HistoryKind.EXPIRE_NONCURRENT, oldest, null));
    // middle is due by time too, but it is the one newer noncurrent version the rule keeps.
    assertThat(l.historyActions(current, List.of(middle, oldest), due + 100 * DAY, DAY))
        .containsExactly(new Lifecycle.HistoryAction(Lifecycle.HistoryKind.EXPIRE_NONCURRENT, oldest, null));
    assertThat(l.historyActions(current, List.of(middle), due + 100 * DAY, DAY)).isEmpty();
  }

  @Test
  void aLoneDeleteMarkerGoesUnderExpiredObjectDeleteMarkerOrOnceOldEnoughForExpirationDays() {
    long t = Instant.parse("2014-01-15T10:30:00Z").toEpochMilli();
    StoredObject marker = StoredObject.deleteMarker("k", t, "m", 2);
    StoredObject behind = version("k", t - DAY, 1, Map.of());
    Lifecycle flag = compile(rule("r", new JsonObject(), new JsonObject().put("ExpiredObjectDeleteMarker", "true"), "Expiration"));
    assertThat(flag.historyActions(marker, List.of(), t, DAY))
        .containsExactly(new Lifecycle.HistoryAction(Lifecycle.HistoryKind.REMOVE_EXPIRED_MARKER, marker, null));
    assertThat(flag.historyActions(marker, List.of(behind), t, DAY)).isEmpty();
    Lifecycle days = compile(rule("r", new JsonObject(), new JsonObject().put("Days", "2"), "Expiration"));
    assertThat(days.historyActions(marker, List.of(), Instant.parse("2014-01-17T23:59:59Z").toEpochMilli(), DAY)).isEmpty();
    assertThat(days.historyActions(marker, List.of(), Instant.parse("2014-01-18T00:00:00Z").toEpochMilli(), DAY)).hasSize(1);
  }

  @Test
  void noncurrentTransitionsFollowTheVersionsOwnTagsAndNeverTouchMarkers() {
    long t = Instant.parse("2014-01-15T00:00:00Z").toEpochMilli();
    Lifecycle l = compile(new JsonObject().put("ID", "r").put("Status", "Enabled")
        .put("Filter", new JsonObject().put("Tag", new JsonObject().put("Key", "tier").put("Value", "cold")))
        .put("NoncurrentVersionTransitions", new JsonArray().add(new JsonObject().put("NoncurrentDays", "1")
            .put("StorageClass", "GLACIER"))));
    StoredObject cold = version("k", t, 1, Map.of("tier", "cold"));
    StoredObject hot = version("k", t, 1, Map.of("tier", "hot"));
    StoredObject current = version("k", t, 2, Map.of());
    assertThat(l.historyActions(current, List.of(cold), t + 2 * DAY, DAY))
        .containsExactly(new Lifecycle.HistoryAction(Lifecycle.HistoryKind.TRANSITION_NONCURRENT, cold, "GLACIER"));
    assertThat(l.historyActions(current, List.of(hot), t + 2 * DAY, DAY)).isEmpty();
    assertThat(l.noncurrentTransition(StoredObject.deleteMarker("k", t, "m", 1), t, 0, t + 2 * DAY, DAY)).isNull();
  }

  @Test
  void noncurrentActionsAreValidatedAsS3Does() {
    JsonObject tooMany = new JsonObject().put("NoncurrentDays", "1").put("NewerNoncurrentVersions", "101");
    assertThatThrownBy(() -> compile(rule("r", new JsonObject(), tooMany, "NoncurrentVersionExpiration")))
        .isInstanceOf(ServiceException.class).hasMessageContaining("NewerNoncurrentVersions");
    JsonObject shortIa = new JsonObject().put("ID", "r").put("Status", "Enabled").put("Filter", new JsonObject())
        .put("NoncurrentVersionTransitions", new JsonArray().add(new JsonObject().put("NoncurrentDays", "10")
            .put("StorageClass", "STANDARD_IA")));
    assertThatThrownBy(() -> compile(shortIa)).isInstanceOf(ServiceException.class).hasMessageContaining("30");
    JsonObject unknownClass = shortIa.copy().put("NoncurrentVersionTransitions", new JsonArray().add(new JsonObject()
        .put("NoncurrentDays", "10").put("StorageClass", "STANDARD")));
    assertThatThrownBy(() -> compile(unknownClass)).isInstanceOf(ServiceException.class);
  }
}
