package io.eventplane.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeEventBusResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.ListEventBusesResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.Tag;

/**
 * Event buses as EventBridge answers them: the answers and error messages pinned here were
 * recorded against AWS in LocalStack's tests/aws/services/events/test_events.snapshot.json
 * (TestEventBus), unless a comment says otherwise.
 */
class EventBusAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  @Test
  void createDescribeListDeleteACustomBus() {
    String arn = events().createEventBus(b -> b.name("orders-bus")).eventBusArn();
    assertThat(arn).isEqualTo("arn:aws:events:us-east-1:000000000000:event-bus/orders-bus");

    DescribeEventBusResponse d = events().describeEventBus(b -> b.name("orders-bus"));
    assertThat(d.name()).isEqualTo("orders-bus");
    assertThat(d.arn()).isEqualTo(arn);
    assertThat(d.creationTime()).isNotNull();
    assertThat(d.lastModifiedTime()).isEqualTo(d.creationTime());
    assertThat(d.description()).isNull();
    // By ARN too.
    assertThat(events().describeEventBus(b -> b.name(arn)).name()).isEqualTo("orders-bus");

    ListEventBusesResponse listed = events().listEventBuses(b -> b.namePrefix("orders"));
    assertThat(listed.eventBuses()).singleElement().satisfies(bus -> {
      assertThat(bus.name()).isEqualTo("orders-bus");
      assertThat(bus.arn()).isEqualTo(arn);
      assertThat(bus.creationTime()).isNotNull();
    });
    assertThat(listed.nextToken()).isNull();

    events().deleteEventBus(b -> b.name("orders-bus"));
    assertThat(events().listEventBuses(b -> b.namePrefix("orders")).eventBuses()).isEmpty();
  }

  @Test
  void theDefaultBusExistsWithoutBeingCreatedAndStaysPut() {
    DescribeEventBusResponse d = events().describeEventBus(b -> { });
    assertThat(d.name()).isEqualTo("default");
    assertThat(d.arn()).isEqualTo("arn:aws:events:us-east-1:000000000000:event-bus/default");
    assertThat(events().describeEventBus(b -> b.name("default")).creationTime()).isEqualTo(d.creationTime());
    assertThat(events().listEventBuses(b -> { }).eventBuses()).extracting(bus -> bus.name()).contains("default");
  }

  @Test
  void busErrorsAreEventBridges() {
    events().createEventBus(b -> b.name("twice"));
    assertThatThrownBy(() -> events().createEventBus(b -> b.name("twice")))
        .isInstanceOf(ResourceAlreadyExistsException.class)
        .satisfies(e -> assertError(e, "ResourceAlreadyExistsException", 400, "Event bus twice already exists."));
    assertThatThrownBy(() -> events().describeEventBus(b -> b.name("nope")))
        .isInstanceOf(ResourceNotFoundException.class)
        .satisfies(e -> assertError(e, "ResourceNotFoundException", 400, "Event bus nope does not exist."));
    assertThatThrownBy(() -> events().deleteEventBus(b -> b.name("default")))
        .satisfies(e -> assertError(e, "ValidationException", 400, "Cannot delete event bus default."));
    // Deleting a bus that does not exist succeeds (the recording's delete of a missing bus answered 200).
    events().deleteEventBus(b -> b.name("never-made"));
    assertThatThrownBy(() -> events().createEventBus(b -> b.name("bad name!")))
        .satisfies(e -> assertError(e, "ValidationException", 400, "1 validation error detected: Value 'bad name!' at 'name' "
            + "failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+"));
  }

  @Test
  void listingPagesWithLimitAndNextToken() {
    for (int i = 0; i < 6; i++) {
      String name = "page-bus-" + i;
      events().createEventBus(b -> b.name(name));
    }
    ListEventBusesResponse first = events().listEventBuses(b -> b.namePrefix("page-bus").limit(3));
    assertThat(first.eventBuses()).extracting(bus -> bus.name()).containsExactly("page-bus-0", "page-bus-1", "page-bus-2");
    assertThat(first.nextToken()).isNotNull();
    ListEventBusesResponse second = events().listEventBuses(b -> b.namePrefix("page-bus").limit(3).nextToken(first.nextToken()));
    assertThat(second.eventBuses()).extracting(bus -> bus.name()).containsExactly("page-bus-3", "page-bus-4", "page-bus-5");
    assertThat(second.nextToken()).isNull();
  }

  @Test
  void busTagsAreListedAddedAndRemoved() {
    String arn = events().createEventBus(b -> b.name("tagged").tags(Tag.builder().key("team").value("a").build())).eventBusArn();
    assertThat(events().listTagsForResource(b -> b.resourceARN(arn)).tags())
        .containsExactly(Tag.builder().key("team").value("a").build());
    events().tagResource(b -> b.resourceARN(arn).tags(Tag.builder().key("env").value("dev").build()));
    events().untagResource(b -> b.resourceARN(arn).tagKeys("team"));
    assertThat(events().listTagsForResource(b -> b.resourceARN(arn)).tags())
        .containsExactly(Tag.builder().key("env").value("dev").build());
    assertThatThrownBy(() -> events().listTagsForResource(b -> b.resourceARN(
        "arn:aws:events:us-east-1:000000000000:event-bus/missing")))
        .satisfies(e -> assertError(e, "ResourceNotFoundException", 400, "Event bus missing does not exist."));
  }

  static void assertError(Throwable t, String code, int status, String message) {
    assertThat(t).isInstanceOf(EventBridgeException.class);
    EventBridgeException e = (EventBridgeException) t;
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
  }
}
