package io.eventplane.server.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.CreateTrailResponse;
import software.amazon.awssdk.services.cloudtrail.model.DataResource;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;
import software.amazon.awssdk.services.cloudtrail.model.GetTrailStatusResponse;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;
import software.amazon.awssdk.services.cloudtrail.model.Tag;
import software.amazon.awssdk.services.cloudtrail.model.Trail;

/**
 * Trails as the CloudTrail API reference describes them: create (the bucket must exist, name
 * rules), get, describe, update, delete, logging on and off with its status, basic and advanced
 * event selectors, tags; refusals with the model's exception names.
 */
class TrailsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String ACCOUNT = "000000000000";
  private static CloudTrailClient cloudTrail;

  @BeforeAll
  static void client() {
    cloudTrail = CloudTrailClients.of(server);
  }

  @AfterAll
  static void close() {
    cloudTrail.close();
  }

  private static String arn(String name) {
    return "arn:aws:cloudtrail:us-east-1:" + ACCOUNT + ":trail/" + name;
  }

  @Test
  void aTrailIsCreatedReadUpdatedAndDeleted() {
    server.s3().createBucket(b -> b.bucket("ct-trail-logs"));
    server.s3().createBucket(b -> b.bucket("ct-trail-logs-2"));
    CreateTrailResponse created = cloudTrail.createTrail(b -> b.name("audit").s3BucketName("ct-trail-logs").s3KeyPrefix("p"));
    assertThat(created.name()).isEqualTo("audit");
    assertThat(created.s3BucketName()).isEqualTo("ct-trail-logs");
    assertThat(created.s3KeyPrefix()).isEqualTo("p");
    assertThat(created.trailARN()).isEqualTo(arn("audit"));
    assertThat(created.includeGlobalServiceEvents()).isTrue();
    assertThat(created.isMultiRegionTrail()).isFalse();
    assertThat(created.logFileValidationEnabled()).isFalse();
    assertThat(created.isOrganizationTrail()).isFalse();

    Trail trail = cloudTrail.getTrail(b -> b.name("audit")).trail();
    assertThat(trail).isEqualTo(Trail.builder().name("audit").s3BucketName("ct-trail-logs").s3KeyPrefix("p")
        .includeGlobalServiceEvents(true).isMultiRegionTrail(false).homeRegion("us-east-1").trailARN(arn("audit"))
        .logFileValidationEnabled(false).hasCustomEventSelectors(false).hasInsightSelectors(false).isOrganizationTrail(false)
        .build());
    assertThat(cloudTrail.getTrail(b -> b.name(arn("audit"))).trail()).isEqualTo(trail);
    assertThat(cloudTrail.describeTrails().trailList()).containsExactly(trail);
    assertThat(cloudTrail.describeTrails(b -> b.trailNameList("audit", "no-such-trail")).trailList()).containsExactly(trail);

    assertThat(cloudTrail.updateTrail(b -> b.name("audit").s3BucketName("ct-trail-logs-2").isMultiRegionTrail(true)).s3BucketName())
        .isEqualTo("ct-trail-logs-2");
    assertThat(cloudTrail.getTrail(b -> b.name("audit")).trail().isMultiRegionTrail()).isTrue();

    cloudTrail.deleteTrail(b -> b.name("audit"));
    assertThat(cloudTrail.describeTrails().trailList()).isEmpty();
    assertRefused(() -> cloudTrail.getTrail(b -> b.name("audit")), "TrailNotFoundException",
        "Unknown trail: " + arn("audit") + " for the user: " + ACCOUNT);
  }

  @Test
  void createRefusesAMissingBucketATakenNameAndNoName() {
    assertRefused(() -> cloudTrail.createTrail(b -> b.name("no-bucket").s3BucketName("ct-no-such-bucket")),
        "S3BucketDoesNotExistException", "S3 bucket ct-no-such-bucket does not exist.");
    server.s3().createBucket(b -> b.bucket("ct-taken"));
    cloudTrail.createTrail(b -> b.name("taken").s3BucketName("ct-taken"));
    assertRefused(() -> cloudTrail.createTrail(b -> b.name("taken").s3BucketName("ct-taken")), "TrailAlreadyExistsException",
        "Trail taken already exists for customer: " + ACCOUNT);
    assertRefused(() -> cloudTrail.getTrail(b -> b.name("arn:aws:cloudtrail:us-east-1:000000000000:nope")),
        "CloudTrailARNInvalidException", null);
    for (String op : List.of("StartLogging", "StopLogging", "DeleteTrail", "GetTrailStatus")) {
      Runnable call = switch (op) {
        case "StartLogging" -> () -> cloudTrail.startLogging(b -> b.name("ghost"));
        case "StopLogging" -> () -> cloudTrail.stopLogging(b -> b.name("ghost"));
        case "DeleteTrail" -> () -> cloudTrail.deleteTrail(b -> b.name("ghost"));
        default -> () -> cloudTrail.getTrailStatus(b -> b.name("ghost"));
      };
      assertRefused(call::run, "TrailNotFoundException", "Unknown trail: " + arn("ghost") + " for the user: " + ACCOUNT);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab", "-starts-with-dash", "ends-with-dash-", "two..dots", "dash-_underscore", "has space",
      "192.168.0.1", "ünicode"})
  void badNamesAreInvalidTrailNames(String name) {
    server.s3().createBucket(b -> b.bucket("ct-names"));
    assertRefused(() -> cloudTrail.createTrail(b -> b.name(name).s3BucketName("ct-names")), "InvalidTrailNameException", null);
  }

  @Test
  void loggingStartsAndStopsWithTheStatusShowingIt() {
    server.s3().createBucket(b -> b.bucket("ct-logging"));
    cloudTrail.createTrail(b -> b.name("logging").s3BucketName("ct-logging"));
    assertThat(cloudTrail.getTrailStatus(b -> b.name("logging")).isLogging()).isFalse();
    cloudTrail.startLogging(b -> b.name("logging"));
    GetTrailStatusResponse on = cloudTrail.getTrailStatus(b -> b.name("logging"));
    assertThat(on.isLogging()).isTrue();
    assertThat(on.startLoggingTime()).isEqualTo(server.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    server.advance(Duration.ofMinutes(1));
    cloudTrail.stopLogging(b -> b.name(arn("logging")));
    GetTrailStatusResponse off = cloudTrail.getTrailStatus(b -> b.name("logging"));
    assertThat(off.isLogging()).isFalse();
    assertThat(off.stopLoggingTime()).isEqualTo(on.startLoggingTime().plusSeconds(60));
  }

  @Test
  void eventSelectorsBasicAndAdvanced() {
    server.s3().createBucket(b -> b.bucket("ct-selectors"));
    cloudTrail.createTrail(b -> b.name("selectors").s3BucketName("ct-selectors"));
    GetEventSelectorsResponse defaults = cloudTrail.getEventSelectors(b -> b.trailName("selectors"));
    assertThat(defaults.trailARN()).isEqualTo(arn("selectors"));
    assertThat(defaults.eventSelectors()).containsExactly(EventSelector.builder().readWriteType(ReadWriteType.ALL)
        .includeManagementEvents(true).dataResources(List.of()).excludeManagementEventSources(List.of()).build());

    EventSelector s3Objects = EventSelector.builder().readWriteType(ReadWriteType.WRITE_ONLY).includeManagementEvents(false)
        .dataResources(DataResource.builder().type("AWS::S3::Object").values("arn:aws:s3:::ct-selectors/").build())
        .excludeManagementEventSources(List.of()).build();
    assertThat(cloudTrail.putEventSelectors(b -> b.trailName("selectors").eventSelectors(s3Objects)).eventSelectors())
        .containsExactly(s3Objects);
    assertThat(cloudTrail.getEventSelectors(b -> b.trailName("selectors")).eventSelectors()).containsExactly(s3Objects);
    assertThat(cloudTrail.getTrail(b -> b.name("selectors")).trail().hasCustomEventSelectors()).isTrue();

    AdvancedEventSelector advanced = AdvancedEventSelector.builder().name("queues").fieldSelectors(
        AdvancedFieldSelector.builder().field("eventCategory").equalsValue("Data").build(),
        AdvancedFieldSelector.builder().field("resources.type").equalsValue("AWS::SQS::Queue").build()).build();
    GetEventSelectorsResponse put = GetEventSelectorsResponse.builder().trailARN(arn("selectors")).advancedEventSelectors(advanced).build();
    assertThat(cloudTrail.putEventSelectors(b -> b.trailName("selectors").advancedEventSelectors(advanced)).advancedEventSelectors())
        .containsExactly(advanced);
    GetEventSelectorsResponse got = cloudTrail.getEventSelectors(b -> b.trailName("selectors"));
    assertThat(got.advancedEventSelectors()).isEqualTo(put.advancedEventSelectors());
    assertThat(got.hasEventSelectors()).isFalse();
  }

  static Stream<Arguments> selectorRefusals() {
    EventSelector ok = EventSelector.builder().readWriteType(ReadWriteType.ALL).build();
    AdvancedEventSelector noCategory = AdvancedEventSelector.builder().fieldSelectors(
        AdvancedFieldSelector.builder().field("resources.type").equalsValue("AWS::S3::Object").build()).build();
    return Stream.of(
        Arguments.of("both kinds", (Consumer<software.amazon.awssdk.services.cloudtrail.model.PutEventSelectorsRequest.Builder>)
            b -> b.eventSelectors(ok).advancedEventSelectors(AdvancedEventSelector.builder().fieldSelectors(
                AdvancedFieldSelector.builder().field("eventCategory").equalsValue("Management").build()).build())),
        Arguments.of("neither", (Consumer<software.amazon.awssdk.services.cloudtrail.model.PutEventSelectorsRequest.Builder>) b -> { }),
        Arguments.of("six selectors", (Consumer<software.amazon.awssdk.services.cloudtrail.model.PutEventSelectorsRequest.Builder>)
            b -> b.eventSelectors(ok, ok, ok, ok, ok, ok)),
        Arguments.of("unknown data type", (Consumer<software.amazon.awssdk.services.cloudtrail.model.PutEventSelectorsRequest.Builder>)
            b -> b.eventSelectors(EventSelector.builder().dataResources(DataResource.builder().type("AWS::Nope::Thing")
                .values("arn:aws:s3").build()).build())),
        Arguments.of("advanced without eventCategory",
            (Consumer<software.amazon.awssdk.services.cloudtrail.model.PutEventSelectorsRequest.Builder>)
                b -> b.advancedEventSelectors(noCategory)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selectorRefusals")
  void invalidSelectorsAreRefused(String what,
      Consumer<software.amazon.awssdk.services.cloudtrail.model.PutEventSelectorsRequest.Builder> selectors) {
    server.s3().createBucket(b -> b.bucket("ct-bad-selectors"));
    cloudTrail.createTrail(b -> b.name("bad-selectors").s3BucketName("ct-bad-selectors"));
    assertRefused(() -> cloudTrail.putEventSelectors(b -> selectors.accept(b.trailName("bad-selectors"))),
        "InvalidEventSelectorsException", null);
  }

  @Test
  void tagsAreAddedListedAndRemoved() {
    server.s3().createBucket(b -> b.bucket("ct-tags"));
    cloudTrail.createTrail(b -> b.name("tagged").s3BucketName("ct-tags").tagsList(Tag.builder().key("team").value("audit").build()));
    cloudTrail.addTags(b -> b.resourceId(arn("tagged")).tagsList(Tag.builder().key("env").value("dev").build()));
    assertThat(cloudTrail.listTags(b -> b.resourceIdList(arn("tagged"))).resourceTagList().get(0).tagsList())
        .containsExactlyInAnyOrder(Tag.builder().key("team").value("audit").build(), Tag.builder().key("env").value("dev").build());
    cloudTrail.removeTags(b -> b.resourceId(arn("tagged")).tagsList(Tag.builder().key("team").build()));
    assertThat(cloudTrail.listTags(b -> b.resourceIdList(arn("tagged"))).resourceTagList().get(0).tagsList())
        .containsExactly(Tag.builder().key("env").value("dev").build());
    assertRefused(() -> cloudTrail.addTags(b -> b.resourceId(arn("untagged")).tagsList(Tag.builder().key("k").value("v").build())),
        "ResourceNotFoundException", null);
    assertRefused(() -> cloudTrail.addTags(b -> b.resourceId("tagged").tagsList(Tag.builder().key("k").value("v").build())),
        "CloudTrailARNInvalidException", null);
  }

  private static void assertRefused(Runnable call, String code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(CloudTrailException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
      assertThat(e.statusCode()).isEqualTo(400);
      if (message != null) assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
    });
  }
}
