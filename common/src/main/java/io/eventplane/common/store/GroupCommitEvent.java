package io.eventplane.common.store;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * One group commit, as a Java Flight Recorder event, so that a recording lines slow fsyncs up with
 * GC pauses, safepoints and request latency on one time axis. Costs nothing unless a recording
 * with this event enabled is running.
 */
@Name("io.eventplane.store.GroupCommit")
@Label("Store group commit")
@Category({"Eventplane", "Store"})
@Description("The writer applied a group of batches and, in fsync mode, synced the WAL once for all of them")
final class GroupCommitEvent extends Event {
  @Label("Writes in the group")
  int groupSize;

  @Label("Longest queue wait in the group")
  @Timespan(Timespan.NANOSECONDS)
  long queueWait;

  @Label("Apply time")
  @Timespan(Timespan.NANOSECONDS)
  long apply;

  @Label("WAL sync time")
  @Timespan(Timespan.NANOSECONDS)
  long sync;
}
