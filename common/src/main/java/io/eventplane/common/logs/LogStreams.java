package io.eventplane.common.logs;

/**
 * Where a node's services write CloudWatch Logs streams (function instances write theirs). The
 * Logs service owns the format and reads them back; writers know only this contract.
 */
public interface LogStreams {
  /** A stream of the group (named within the account and region), created with its first event. */
  LogStream open(String account, String region, String group, String stream);
}
