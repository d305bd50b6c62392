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

  /** LastProcessingResult as Lambda shows it for the mapping, or null where Lambda shows none. */
  default String lastProcessingResult() {
    return null;
  }
}
