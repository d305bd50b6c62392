package io.eventplane.server.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.CloudTrailException;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttribute;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsRequest;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * LookupEvents as the CloudTrail API reference describes it: one lookup attribute of eight keys,
 * a time range, 90 days, newest first, MaxResults 1-50 and NextToken; refusals with the model's
 * exception names.
 */
class LookupEventsTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static CloudTrailClient cloudTrail;

  @BeforeAll
  static void client() {
    cloudTrail = CloudTrailClients.of(server);
  }

  @AfterAll
  static void close() {
    cloudTrail.close();
  }

  private static LookupAttribute attribute(String key, String value) {
    return LookupAttribute.builder().attributeKey(key).attributeValue(value).build();
  }

  private static List<Event> lookup(String key, String value) {
    return cloudTrail.lookupEvents(b -> b.lookupAttributes(attribute(key, value))).events();
  }

  @Test
  void eachLookupAttributeSelectsItsEvents() {
    // The test clock stands still unless advanced: calls made at one instant have no order among
    // themselves (their records come through different gateway batches), so each call gets its second.
    String url = server.sqs().createQueue(b -> b.queueName("ct-lookup-q")).queueUrl();
    server.advance(Duration.ofSeconds(1));
    server.sqs().getQueueAttributes(b -> b.queueUrl(url));
    server.advance(Duration.ofSeconds(1));
    server.sns().createTopic(b -> b.name("ct-lookup-topic"));
    List<Event> byResource = CloudTrailRecordsTest.eventsOf(cloudTrail, url, 2);
    await().atMost(Duration.ofSeconds(20)).until(() -> lookup("EventName", "CreateTopic"), e -> e.size() == 1);
    Event created = byResource.get(1);
    record Row(String key, String value, List<String> names) {}
    List<Row> rows = List.of(
        new Row("EventName", "GetQueueAttributes", List.of("GetQueueAttributes")),
        new Row("EventSource", "sns.amazonaws.com", List.of("CreateTopic")),
        new Row("ResourceName", "ct-lookup-topic", List.of("CreateTopic")),
        new Row("ResourceType", "AWS::SNS::Topic", List.of("CreateTopic")),
        new Row("EventId", created.eventId(), List.of("CreateQueue")),
        new Row("ReadOnly", "false", List.of("CreateTopic", "CreateQueue")),
        new Row("Username", "root", List.of("CreateTopic", "GetQueueAttributes", "CreateQueue")),
        new Row("AccessKeyId", "test", List.of("CreateTopic", "GetQueueAttributes", "CreateQueue")),
        new Row("AccessKeyId", "AKIAOTHER", List.of()),
        new Row("EventName", "NoSuchCall", List.of()));
    for (Row row : rows) {
      assertThat(lookup(row.key(), row.value())).as(row.key() + "=" + row.value())
          .extracting(Event::eventName).filteredOn(n -> !n.equals("LookupEvents")).containsExactlyElementsOf(row.names());
    }
    assertThat(lookup("ReadOnly", "true")).extracting(Event::eventName).contains("GetQueueAttributes", "LookupEvents")
        .doesNotContain("CreateQueue");
  }

  @Test
  void pagesFollowNextTokenNewestFirst() {
    for (int i = 0; i < 5; i++) {
      int n = i;
      server.sqs().createQueue(b -> b.queueName("ct-page-" + n));
      server.advance(Duration.ofSeconds(1));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> lookup("EventName", "CreateQueue"), e -> e.size() == 5);
    List<String> names = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    String token = null;
    do {
      String t = token;
      LookupEventsResponse page = cloudTrail.lookupEvents(b -> b.maxResults(2).nextToken(t)
          .lookupAttributes(attribute("EventName", "CreateQueue")));
      sizes.add(page.events().size());
      page.events().forEach(e -> names.add(e.resources().get(0).resourceName()));
      token = page.nextToken();
    } while (token != null);
    assertThat(sizes).containsExactly(2, 2, 1);
    assertThat(names).containsExactly("ct-page-4", "ct-page-3", "ct-page-2", "ct-page-1", "ct-page-0");
  }

  @Test
  void aTimeRangeAndNinetyDaysBoundTheEvents() {
    server.sqs().createQueue(b -> b.queueName("ct-time-early"));
    await().atMost(Duration.ofSeconds(20)).until(() -> lookup("ResourceName", "ct-time-early"), e -> e.size() == 1);
    Instant between = server.clock().instant().plusSeconds(1800);
    server.advance(Duration.ofHours(1));
    server.sqs().createQueue(b -> b.queueName("ct-time-late"));
    await().atMost(Duration.ofSeconds(20)).until(() -> lookup("ResourceName", "ct-time-late"), e -> e.size() == 1);
    Consumer<LookupEventsRequest.Builder> creates = b -> b.lookupAttributes(attribute("EventName", "CreateQueue"));
    assertThat(cloudTrail.lookupEvents(b -> creates.accept(b.endTime(between))).events())
        .extracting(e -> e.resources().get(0).resourceName()).containsExactly("ct-time-early");
    assertThat(cloudTrail.lookupEvents(b -> creates.accept(b.startTime(between))).events())
        .extracting(e -> e.resources().get(0).resourceName()).containsExactly("ct-time-late");
    server.advance(Duration.ofDays(89));
    assertThat(cloudTrail.lookupEvents(creates).events()).hasSize(2);
    server.advance(Duration.ofHours(23).plusMinutes(30));
    assertThat(cloudTrail.lookupEvents(creates).events()).extracting(e -> e.resources().get(0).resourceName())
        .containsExactly("ct-time-late");
  }

  static Stream<Arguments> refusals() {
    Instant now = Instant.now();
    return Stream.of(
        Arguments.of("two attributes", (Consumer<LookupEventsRequest.Builder>) b -> b.lookupAttributes(
            attribute("EventName", "CreateQueue"), attribute("ReadOnly", "true")), "InvalidLookupAttributesException"),
        Arguments.of("unknown key", (Consumer<LookupEventsRequest.Builder>) b -> b.lookupAttributes(attribute("Colour", "x")),
            "InvalidLookupAttributesException"),
        Arguments.of("empty value", (Consumer<LookupEventsRequest.Builder>) b -> b.lookupAttributes(attribute("EventName", "")),
            "InvalidLookupAttributesException"),
        Arguments.of("start after end", (Consumer<LookupEventsRequest.Builder>) b -> b.startTime(now).endTime(now.minusSeconds(60)),
            "InvalidTimeRangeException"),
        Arguments.of("MaxResults 0", (Consumer<LookupEventsRequest.Builder>) b -> b.maxResults(0), "InvalidMaxResultsException"),
        Arguments.of("MaxResults 51", (Consumer<LookupEventsRequest.Builder>) b -> b.maxResults(51), "InvalidMaxResultsException"),
        Arguments.of("a token of nothing", (Consumer<LookupEventsRequest.Builder>) b -> b.nextToken("not-a-token"),
            "InvalidNextTokenException"),
        Arguments.of("category", (Consumer<LookupEventsRequest.Builder>) b -> b.eventCategory("management"),
            "InvalidEventCategoryException"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusals(String what, Consumer<LookupEventsRequest.Builder> request, String code) {
    assertThatThrownBy(() -> cloudTrail.lookupEvents(request)).isInstanceOfSatisfying(CloudTrailException.class, e -> {
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
      assertThat(e.statusCode()).isEqualTo(400);
    });
  }

  @Test
  void aTokenIsRefusedWithOtherParameters() {
    for (int i = 0; i < 3; i++) {
      int n = i;
      server.sqs().createQueue(b -> b.queueName("ct-token-" + n));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> lookup("EventName", "CreateQueue"), e -> e.size() == 3);
    String token = cloudTrail.lookupEvents(b -> b.maxResults(1).lookupAttributes(attribute("EventName", "CreateQueue"))).nextToken();
    assertThat(token).isNotNull();
    assertThatThrownBy(() -> cloudTrail.lookupEvents(b -> b.maxResults(1).nextToken(token)
        .lookupAttributes(attribute("EventName", "DeleteQueue"))))
        .isInstanceOfSatisfying(CloudTrailException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidNextTokenException"));
  }
}
