package io.eventplane.logs.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventPageTest {
  private static List<LogEvent> events(int n) {
    List<LogEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new LogEvent(i, i, "e" + i));
    return out;
  }

  private static List<String> messages(EventPage p) {
    return p.events().stream().map(LogEvent::message).toList();
  }

  @Test
  void pagesForwardAndBackwardAndRepeatsTheTokenAtTheEnds() {
    List<LogEvent> all = events(5);
    EventPage head = EventPage.of(all, null, true, 2);
    assertThat(messages(head)).containsExactly("e0", "e1");
    EventPage next = EventPage.of(all, head.nextForwardToken(), true, 2);
    assertThat(messages(next)).containsExactly("e2", "e3");
    EventPage last = EventPage.of(all, next.nextForwardToken(), true, 2);
    assertThat(messages(last)).containsExactly("e4");
    EventPage end = EventPage.of(all, last.nextForwardToken(), true, 2);
    assertThat(end.events()).isEmpty();
    assertThat(end.nextForwardToken()).isEqualTo(last.nextForwardToken());

    EventPage latest = EventPage.of(all, null, false, 2);
    assertThat(messages(latest)).containsExactly("e3", "e4");
    EventPage earlier = EventPage.of(all, latest.nextBackwardToken(), false, 2);
    assertThat(messages(earlier)).containsExactly("e1", "e2");
    EventPage first = EventPage.of(all, earlier.nextBackwardToken(), false, 2);
    assertThat(messages(first)).containsExactly("e0");
    assertThat(EventPage.of(all, first.nextBackwardToken(), false, 2).nextBackwardToken()).isEqualTo(first.nextBackwardToken());
  }

  @Test
  void aPageHoldsAtMostOneMegabyte() {
    List<LogEvent> big = new ArrayList<>();
    for (int i = 0; i < 10; i++) big.add(new LogEvent(i, i, "x".repeat(200_000)));
    assertThat(EventPage.of(big, null, true, 10_000).events()).hasSize(5);
  }

  @Test
  void refusesTokensItDidNotMake() {
    assertThatThrownBy(() -> EventPage.of(events(1), "q/1", true, 1)).isInstanceOf(ServiceException.class);
    assertThatThrownBy(() -> EventPage.of(events(1), "f/x", true, 1)).isInstanceOf(ServiceException.class);
    assertThatThrownBy(() -> EventPage.of(events(1), "f/-1", true, 1)).isInstanceOf(ServiceException.class);
  }
}
