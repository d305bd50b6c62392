package io.eventplane.broker.queue.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The in-memory order of one queue's messages. Standard queues deliver visible messages oldest
 * first (approximately, as SQS does). FIFO queues deliver per message group in strict order and
 * lock a group while its head is in flight; groups are served by how long their head has been
 * visible: a head that was sent visible counts from its send (or the end of its delay), a head that
 * came back (its visibility timeout ran out, was changed to 0, or it was received with a timeout
 * of 0) from that moment, so a group that comes back queues behind the groups that waited all
 * along, as SQS serves them (LocalStack's AWS-validated test_fifo_receive_message_with_zero_visibility_timeout,
 * test_fifo_receive_message_visibility_timeout_shared_in_group,
 * test_fifo_message_group_visibility_after_terminate_visibility_timeout,
 * test_fifo_message_group_visibility_after_delete).
 *
 * <p>Time is passed in; {@link #promote} moves messages whose delay or visibility timeout has ended
 * back to visible. Not thread-safe: one queue service context owns it.
 */
public final class MessageIndex {
  private static final Comparator<MessageState> BY_VISIBLE_AT =
      Comparator.<MessageState>comparingLong(m -> m.visibleAt).thenComparingLong(m -> m.seq);
  private static final Comparator<MessageState> BY_SEQ = Comparator.comparingLong(m -> m.seq);

  private final boolean fifo;
  private final SeqMap all = new SeqMap();
  private final TreeSet<MessageState> invisible = new TreeSet<>(BY_VISIBLE_AT);
  /** Standard queues: the visible messages. */
  private final TreeSet<MessageState> ready = new TreeSet<>(BY_SEQ);
  /** FIFO queues: messages by group, and the groups that can deliver now, by head sequence. */
  private final Map<String, Group> groups = new HashMap<>();
  private final TreeSet<Group> available = new TreeSet<>(Comparator.comparingLong(Group::headVisibleAt)
      .thenComparingLong(Group::headStamp).thenComparing(g -> g.id));
  /** The last {@link MessageState#visibleStamp} given out. */
  private long stamps;
  private int inFlight;
  private int delayed;

  private static final class Group {
    final String id;
    final ArrayDeque<MessageState> messages = new ArrayDeque<>();
    int inFlight;
    boolean listed;

    Group(String id) {
      this.id = id;
    }

    long headVisibleAt() {
      MessageState head = messages.peekFirst();
      return head == null ? Long.MAX_VALUE : head.visibleAt;
    }

    long headStamp() {
      MessageState head = messages.peekFirst();
      return head == null ? Long.MAX_VALUE : head.visibleStamp;
    }
  }

  public MessageIndex(boolean fifo) {
    this.fifo = fifo;
  }

  public boolean isFifo() {
    return fifo;
  }

  /** Adds a message in the state its fields describe (delayed, in flight or visible) as of now. */
  public void add(MessageState m, long now) {
    all.put(m);
    if (m.visibleAt > now) {
      m.status = m.receiveCount > 0 ? MessageState.Status.IN_FLIGHT : MessageState.Status.DELAYED;
      if (m.status == MessageState.Status.IN_FLIGHT) inFlight++;
      else delayed++;
      invisible.add(m);
    } else {
      m.status = MessageState.Status.VISIBLE;
      m.visibleStamp = ++stamps;
      if (!fifo) ready.add(m);
    }
    if (fifo) {
      Group g = groups.computeIfAbsent(m.groupId, Group::new);
      unlist(g);
      g.messages.addLast(m);
      if (m.status == MessageState.Status.IN_FLIGHT) g.inFlight++;
      relist(g, now);
    }
  }

  public MessageState get(long seq) {
    return all.get(seq);
  }

  public int size() {
    return all.size();
  }

  public int inFlightCount() {
    return inFlight;
  }

  public int delayedCount() {
    return delayed;
  }

  public int visibleCount() {
    return all.size() - inFlight - delayed;
  }

  public long lastSeq() {
    return all.lastSeq();
  }

  /** Whether a receive now would find a message (after {@link #promote}). */
  public boolean hasDeliverable() {
    return fifo ? !available.isEmpty() : !ready.isEmpty();
  }

  /** The earliest time a delayed or in-flight message becomes visible, or Long.MAX_VALUE. */
  public long nextVisibleAt() {
    return invisible.isEmpty() ? Long.MAX_VALUE : invisible.first().visibleAt;
  }

  /** Makes visible every message whose delay or visibility timeout ended by now. */
  public void promote(long now) {
    while (!invisible.isEmpty() && invisible.first().visibleAt <= now) {
      MessageState m = invisible.pollFirst();
      MessageState.Status was = m.status;
      if (was == MessageState.Status.IN_FLIGHT) inFlight--;
      else delayed--;
      if (fifo) {
        Group g = groups.get(m.groupId);
        unlist(g);
        m.status = MessageState.Status.VISIBLE;
        m.visibleStamp = ++stamps;
        if (was == MessageState.Status.IN_FLIGHT) g.inFlight--;
        relist(g, now);
      } else {
        m.status = MessageState.Status.VISIBLE;
        ready.add(m);
      }
    }
  }

  /**
   * Picks up to {@code max} visible messages for one receive, in delivery order, without changing
   * them: the caller marks each as received ({@link #markInFlight}) or removes it.
   */
  public List<MessageState> candidates(int max, long now) {
    return candidates(max, now, java.util.Set.of());
  }

  /**
   * As {@link #candidates(int, long)}, skipping messages one receive already took: with a
   * visibility timeout of 0 a taken message is visible again at once, but one receive returns it
   * at most once.
   */
  public List<MessageState> candidates(int max, long now, java.util.Set<Long> taken) {
    promote(now);
    List<MessageState> out = new ArrayList<>(max);
    if (!fifo) {
      Iterator<MessageState> it = ready.iterator();
      while (it.hasNext() && out.size() < max) {
        MessageState m = it.next();
        if (!taken.contains(m.seq)) out.add(m);
      }
      return out;
    }
    for (Group g : available) {
      for (MessageState m : g.messages) {
        if (out.size() >= max || m.status != MessageState.Status.VISIBLE) break;
        if (!taken.contains(m.seq)) out.add(m);
      }
      if (out.size() >= max) break;
    }
    return out;
  }

  /** Marks a visible message as received and invisible until the given time. */
  public void markInFlight(MessageState m, long visibleUntil, long receiptToken, long now) {
    detach(m, now);
    m.receiveCount++;
    if (m.firstReceiveTimestamp == 0) m.firstReceiveTimestamp = now;
    m.receiptToken = receiptToken;
    m.visibleAt = visibleUntil;
    attach(m, now);
  }

  /** Changes when an in-flight message becomes visible again (ChangeMessageVisibility). */
  public void changeVisibility(MessageState m, long visibleAt, long now) {
    detach(m, now);
    m.visibleAt = visibleAt;
    attach(m, now);
  }

  private void detach(MessageState m, long now) {
    switch (m.status) {
      case VISIBLE -> {
        if (!fifo) ready.remove(m);
      }
      case IN_FLIGHT -> {
        invisible.remove(m);
        inFlight--;
      }
      case DELAYED -> {
        invisible.remove(m);
        delayed--;
      }
    }
    if (fifo) {
      // The group stays unlisted until attach: its order reads the head's visibleAt, which changes now.
      Group g = groups.get(m.groupId);
      unlist(g);
      if (m.status == MessageState.Status.IN_FLIGHT) g.inFlight--;
      m.status = MessageState.Status.VISIBLE;
    }
  }

  private void attach(MessageState m, long now) {
    if (m.visibleAt > now) {
      m.status = m.receiveCount > 0 ? MessageState.Status.IN_FLIGHT : MessageState.Status.DELAYED;
      if (m.status == MessageState.Status.IN_FLIGHT) inFlight++;
      else delayed++;
      invisible.add(m);
    } else {
      m.status = MessageState.Status.VISIBLE;
      m.visibleStamp = ++stamps;
      if (!fifo) ready.add(m);
    }
    if (fifo) {
      Group g = groups.get(m.groupId);
      if (m.status == MessageState.Status.IN_FLIGHT) g.inFlight++;
      relist(g, now);
    }
  }

  /** Removes a message (deleted, moved to a DLQ, expired or purged). */
  public void remove(MessageState m, long now) {
    if (all.remove(m.seq) == null) return;
    switch (m.status) {
      case VISIBLE -> {
        if (!fifo) ready.remove(m);
      }
      case IN_FLIGHT -> {
        invisible.remove(m);
        inFlight--;
      }
      case DELAYED -> {
        invisible.remove(m);
        delayed--;
      }
    }
    if (fifo) {
      Group g = groups.get(m.groupId);
      unlist(g);
      if (m.status == MessageState.Status.IN_FLIGHT) g.inFlight--;
      g.messages.remove(m);
      if (g.messages.isEmpty()) groups.remove(g.id);
      else relist(g, now);
    }
  }

  /** Messages matching the predicate, oldest first (for sweeps and move tasks). */
  public List<MessageState> select(Predicate<MessageState> p, int limit) {
    List<MessageState> out = new ArrayList<>();
    all.forEachWhile(m -> {
      if (out.size() >= limit) return false;
      if (p.test(m)) out.add(m);
      return true;
    });
    return out;
  }

  /** The oldest messages first, while the predicate holds (retention sweeps stop at the first young one). */
  public List<MessageState> oldestWhile(Predicate<MessageState> p, int limit) {
    List<MessageState> out = new ArrayList<>();
    all.forEachWhile(m -> {
      if (out.size() >= limit || !p.test(m)) return false;
      out.add(m);
      return true;
    });
    return out;
  }

  /** When the oldest message still in the queue was sent, or -1 when it is empty. */
  public long oldestSentTimestamp() {
    long[] oldest = {-1};
    all.forEachWhile(m -> {
      oldest[0] = m.sentTimestamp;
      return false;
    });
    return oldest[0];
  }

  public List<MessageState> all() {
    List<MessageState> out = new ArrayList<>(all.size());
    all.forEach(out::add);
    return out;
  }

  public void clear() {
    all.clear();
    invisible.clear();
    ready.clear();
    groups.clear();
    available.clear();
    inFlight = 0;
    delayed = 0;
  }

  private void unlist(Group g) {
    if (g.listed) {
      available.remove(g);
      g.listed = false;
    }
  }

  /**
   * A group can deliver while its head is visible. Receives take a group's messages in order, so
   * in-flight ones are normally its head and lock it; a head made visible again (its timeout
   * ended or set to 0) is delivered again even while later messages of its group are still in
   * flight, as SQS does (test_fifo_message_group_visibility_after_terminate_visibility_timeout).
   */
  private void relist(Group g, long now) {
    MessageState head = g.messages.peekFirst();
    if (head != null && head.status == MessageState.Status.VISIBLE) {
      available.add(g);
      g.listed = true;
    }
  }
}
