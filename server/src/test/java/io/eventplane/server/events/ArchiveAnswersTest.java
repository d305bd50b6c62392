package io.eventplane.server.events;

import static io.eventplane.server.events.EventBusAnswersTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.Archive;
import software.amazon.awssdk.services.eventbridge.model.ArchiveState;
import software.amazon.awssdk.services.eventbridge.model.CreateArchiveResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeArchiveResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.UpdateArchiveResponse;

/**
 * Create/Describe/List/Update/DeleteArchive and archiving by PutEvents. Shapes and messages are
 * those recorded against AWS in LocalStack's test_archive_and_replay.snapshot.json (TestArchive).
 */
class ArchiveAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  static final String PATTERN = "{\"source\":[\"core.update-account-command\"]}";

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  @Test
  void createListDescribeUpdateDeleteAnArchiveOfACustomBus() {
    String busArn = events().createEventBus(b -> b.name("archived-bus")).eventBusArn();
    CreateArchiveResponse created = events().createArchive(b -> b.archiveName("orders-archive").eventSourceArn(busArn)
        .description("description of the archive").eventPattern(PATTERN).retentionDays(1));
    assertThat(created.archiveArn()).isEqualTo("arn:aws:events:us-east-1:000000000000:archive/orders-archive");
    assertThat(created.state()).isEqualTo(ArchiveState.ENABLED);
    assertThat(created.creationTime()).isNotNull();

    List<Archive> listed = events().listArchives(b -> b.namePrefix("orders-")).archives();
    assertThat(listed).containsExactly(Archive.builder().archiveName("orders-archive").eventSourceArn(busArn)
        .state(ArchiveState.ENABLED).retentionDays(1).sizeBytes(0L).eventCount(0L).creationTime(created.creationTime()).build());
    assertThat(events().listArchives(b -> b.eventSourceArn(busArn)).archives()).hasSize(1);
    assertThat(events().listArchives(b -> b.state(ArchiveState.ENABLED).namePrefix("orders-archive")).archives()).hasSize(1);
    assertThat(events().listArchives(b -> b.namePrefix("nothing-like-it")).archives()).isEmpty();

    DescribeArchiveResponse described = events().describeArchive(b -> b.archiveName("orders-archive"));
    assertThat(described.archiveArn()).isEqualTo(created.archiveArn());
    assertThat(described.archiveName()).isEqualTo("orders-archive");
    assertThat(described.eventSourceArn()).isEqualTo(busArn);
    assertThat(described.description()).isEqualTo("description of the archive");
    assertThat(described.eventPattern()).isEqualTo(PATTERN);
    assertThat(described.state()).isEqualTo(ArchiveState.ENABLED);
    assertThat(described.retentionDays()).isEqualTo(1);
    assertThat(described.sizeBytes()).isZero();
    assertThat(described.eventCount()).isZero();
    assertThat(described.creationTime()).isEqualTo(created.creationTime());

    UpdateArchiveResponse updated = events().updateArchive(b -> b.archiveName("orders-archive").description("new words")
        .retentionDays(0));
    assertThat(updated.archiveArn()).isEqualTo(created.archiveArn());
    assertThat(updated.state()).isEqualTo(ArchiveState.ENABLED);
    assertThat(updated.creationTime()).isEqualTo(created.creationTime());
    DescribeArchiveResponse after = events().describeArchive(b -> b.archiveName("orders-archive"));
    assertThat(after.description()).isEqualTo("new words");
    assertThat(after.retentionDays()).isZero();
    assertThat(after.eventPattern()).isEqualTo(PATTERN);

    events().deleteArchive(b -> b.archiveName("orders-archive"));
    assertThatThrownBy(() -> events().describeArchive(b -> b.archiveName("orders-archive")))
        .satisfies(e -> assertError(e, "ResourceNotFoundException", 400, "Archive orders-archive does not exist."));
    assertThat(events().listArchives(b -> b.namePrefix("orders-")).archives()).isEmpty();
  }

  @Test
  void archivesCountTheEventsTheirPatternMatchesOrAllWithoutOne() {
    // A bus of its own: the default bus also carries the CloudTrail events of these calls, which an archive without a pattern keeps.
    String archivedArn = events().createEventBus(b -> b.name("archived")).eventBusArn();
    events().createArchive(b -> b.archiveName("matching").eventSourceArn(archivedArn).eventPattern(PATTERN));
    events().createArchive(b -> b.archiveName("everything").eventSourceArn(archivedArn));
    String otherBus = events().createEventBus(b -> b.name("not-archived")).eventBusArn();

    events().putEvents(b -> b.entries(
        entry("core.update-account-command", 1, archivedArn), entry("core.update-account-command", 2, archivedArn),
        entry("core.update-account-command", 3, archivedArn), entry("something.else", 4, archivedArn),
        entry("something.else", 5, archivedArn), entry("core.update-account-command", 6, otherBus)));

    DescribeArchiveResponse matching = events().describeArchive(b -> b.archiveName("matching"));
    DescribeArchiveResponse everything = events().describeArchive(b -> b.archiveName("everything"));
    assertThat(matching.eventCount()).isEqualTo(3);
    assertThat(everything.eventCount()).isEqualTo(5);
    assertThat(matching.sizeBytes()).isPositive();
    assertThat(everything.sizeBytes()).isGreaterThan(matching.sizeBytes());
    assertThat(everything.retentionDays()).isZero();
    assertThat(everything.eventPattern()).isNull();
  }

  /**
   * Retention is by the service's clock: once the archived events are older than RetentionDays,
   * the lane's sweep (every few seconds while an archive with retention exists) removes them and
   * their counts; an archive that keeps events for ever (0) keeps them.
   */
  @Test
  void eventsOlderThanTheRetentionLeaveTheArchive() {
    String busArn = events().createEventBus(b -> b.name("retained-bus")).eventBusArn();
    events().createArchive(b -> b.archiveName("one-day").eventSourceArn(busArn).retentionDays(1));
    events().createArchive(b -> b.archiveName("for-ever").eventSourceArn(busArn).retentionDays(0));
    events().putEvents(b -> b.entries(entry("x", 1, busArn), entry("x", 2, busArn)));
    assertThat(events().describeArchive(b -> b.archiveName("one-day")).eventCount()).isEqualTo(2);

    server.advance(java.time.Duration.ofHours(23));
    events().putEvents(b -> b.entries(entry("x", 3, busArn)));
    server.advance(java.time.Duration.ofHours(2));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> events().describeArchive(b -> b.archiveName("one-day")).eventCount() == 1);
    DescribeArchiveResponse oneDay = events().describeArchive(b -> b.archiveName("one-day"));
    assertThat(oneDay.sizeBytes()).isEqualTo(events().describeArchive(b -> b.archiveName("for-ever")).sizeBytes() / 3);
    assertThat(events().describeArchive(b -> b.archiveName("for-ever")).eventCount()).isEqualTo(3);
  }

  /** Each refusal: the call, then AWS's code, status and message. */
  @Test
  void refusalsAreAwsErrors() {
    String defaultArn = events().describeEventBus(b -> b.name("default")).arn();
    events().createArchive(b -> b.archiveName("taken").eventSourceArn(defaultArn));
    String missingBus = "arn:aws:events:us-east-1:000000000000:event-bus/no-such-bus";
    record Refusal(Executable call, String code, String message) {}
    List<Refusal> table = List.of(
        new Refusal(() -> events().createArchive(b -> b.archiveName("a").eventSourceArn(missingBus)),
            "ResourceNotFoundException", "Event bus no-such-bus does not exist."),
        new Refusal(() -> events().createArchive(b -> b.archiveName("taken").eventSourceArn(defaultArn)),
            "ResourceAlreadyExistsException", "Archive taken already exists."),
        new Refusal(() -> events().describeArchive(b -> b.archiveName("never-made")),
            "ResourceNotFoundException", "Archive never-made does not exist."),
        new Refusal(() -> events().deleteArchive(b -> b.archiveName("never-made")),
            "ResourceNotFoundException", "Archive never-made does not exist."),
        new Refusal(() -> events().listArchives(b -> b.eventSourceArn(missingBus)),
            "ResourceNotFoundException", "Event bus no-such-bus does not exist."),
        new Refusal(() -> events().createArchive(b -> b.archiveName("bad pattern").eventSourceArn(defaultArn)),
            "ValidationException", "1 validation error detected: Value 'bad pattern' at 'archiveName' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"),
        new Refusal(() -> events().createArchive(b -> b.archiveName("x".repeat(49)).eventSourceArn(defaultArn)),
            "ValidationException", "1 validation error detected: Value '" + "x".repeat(49) + "' at 'archiveName' failed to "
                + "satisfy constraint: Member must have length less than or equal to 48"),
        new Refusal(() -> events().createArchive(b -> b.archiveName("neg").eventSourceArn(defaultArn).retentionDays(-1)),
            "ValidationException", "1 validation error detected: Value '-1' at 'retentionDays' failed to satisfy "
                + "constraint: Member must have value greater than or equal to 0"));
    for (Refusal r : table) {
      assertThatThrownBy(r.call()::execute).as(r.message()).satisfies(e -> assertError(e, r.code(), 400, r.message()));
    }
    assertThatThrownBy(() -> events().createArchive(b -> b.archiveName("p").eventSourceArn(defaultArn).eventPattern("{\"a\":")))
        .satisfies(e -> assertThat(((software.amazon.awssdk.services.eventbridge.model.EventBridgeException) e)
            .awsErrorDetails().errorCode()).isEqualTo("InvalidEventPatternException"));
  }

  static PutEventsRequestEntry entry(String source, int n, String bus) {
    PutEventsRequestEntry.Builder b = PutEventsRequestEntry.builder().source(source).detailType(source)
        .detail("{\"command\":\"update-account\",\"n\":" + n + "}");
    return (bus == null ? b : b.eventBusName(bus)).build();
  }
}
