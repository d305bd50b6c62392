package io.eventplane.common.error;

/** Who caused an error, as AWS reports it. */
public enum Fault {
  SENDER,
  RECEIVER
}
