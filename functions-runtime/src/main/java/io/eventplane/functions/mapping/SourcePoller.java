package io.eventplane.functions.mapping;

/** What polls a mapping's source and invokes its function: one per enabled mapping, on the lane's context. */
interface SourcePoller {
  void start();

  /** Stops taking new batches; a batch in flight finishes but records nothing further. */
  void stop();

  /** The mapping's State while enabled: Creating until the poller has its starting positions, then Enabled. */
  default String enabledState() {
    return "Enabled";
  }

  /**
   * How far behind the stream's newest records the poller reads (Lambda's IteratorAge): the age on
   * the service clock of the last record of its last read, the oldest over its shards; 0 when
   * caught up; -1 for a source that is not a stream.
   */
  default long iteratorAgeMillis() {
    return -1;
  }

  /** LastProcessingResult as Lambda shows it for the mapping, or null where Lambda shows none. */
  default String lastProcessingResult() {
    return null;
  }
}
