package io.eventplane.eventbridge.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InvocationSlotsTest {
  private final InvocationSlots slots = new InvocationSlots();

  @Test
  void theLimitStartsInTheCurrentSecondAndTheExcessGetsTheNextSecondsWithRoom() {
    long now = 10_250;
    assertThat(slots.reserve("d", 2, now)).isEqualTo(10_250);
    assertThat(slots.reserve("d", 2, now)).isEqualTo(10_250);
    assertThat(slots.reserve("d", 2, now)).isEqualTo(11_000);
    assertThat(slots.reserve("d", 2, now)).isEqualTo(11_000);
    assertThat(slots.reserve("d", 2, now)).isEqualTo(12_000);
    // Later asks queue behind those already handed out, even once the clock reached their second.
    assertThat(slots.reserve("d", 2, 11_500)).isEqualTo(12_000);
    assertThat(slots.reserve("d", 2, 11_500)).isEqualTo(13_000);
  }

  @Test
  void aQuietSecondStartsAfresh() {
    assertThat(slots.reserve("d", 1, 5_000)).isEqualTo(5_000);
    assertThat(slots.reserve("d", 1, 5_900)).isEqualTo(6_000);
    assertThat(slots.reserve("d", 1, 9_100)).isEqualTo(9_100);
    assertThat(slots.reserve("d", 1, 9_200)).isEqualTo(10_000);
  }

  @Test
  void destinationsCountApartAndADeletedOneIsForgotten() {
    assertThat(slots.reserve("a", 1, 1_000)).isEqualTo(1_000);
    assertThat(slots.reserve("b", 1, 1_000)).isEqualTo(1_000);
    assertThat(slots.reserve("a", 1, 1_000)).isEqualTo(2_000);
    slots.forget("a");
    assertThat(slots.reserve("a", 1, 1_000)).isEqualTo(1_000);
  }

  @Test
  void manyDestinationsAreSweptOnceTheirSecondsPassed() {
    for (int i = 0; i < 1_000; i++) assertThat(slots.reserve("d" + i, 1, 1_000 + i * 10L)).isEqualTo(1_000 + i * 10L);
    // d999's second (10) is current: its slot is still taken after the sweeps.
    assertThat(slots.reserve("d999", 1, 10_990)).isEqualTo(11_000);
  }
}
