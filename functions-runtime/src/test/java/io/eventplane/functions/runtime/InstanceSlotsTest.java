package io.eventplane.functions.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The node's instance limit holds across lanes that take slots from many threads at once. */
class InstanceSlotsTest {
  @Test
  void neverGrantsMoreSlotsThanTheLimit() throws Exception {
    InstanceSlots slots = new InstanceSlots(5);
    AtomicInteger granted = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> lanes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int n = 0; n < 1_000; n++) if (slots.tryTake()) granted.incrementAndGet();
      });
      t.start();
      lanes.add(t);
    }
    go.countDown();
    for (Thread t : lanes) t.join();
    assertThat(granted).hasValue(5);
    assertThat(slots.used()).isEqualTo(5);
    slots.give();
    assertThat(slots.tryTake()).isTrue();
    assertThat(slots.tryTake()).isFalse();
  }

  @Test
  void instanceIdsAreUniqueAcrossThreads() throws Exception {
    InstanceSlots slots = new InstanceSlots(1);
    Set<String> ids = ConcurrentHashMap.newKeySet();
    List<Thread> lanes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        for (int n = 0; n < 1_000; n++) ids.add(slots.nextId());
      });
      t.start();
      lanes.add(t);
    }
    for (Thread t : lanes) t.join();
    assertThat(ids).hasSize(4_000);
  }

  @Test
  void withNoOtherLaneNothingIsEvictedElsewhere() {
    InstanceSlots slots = new InstanceSlots(1);
    assertThat(slots.evictElsewhere(null).result()).isFalse();
  }
}
