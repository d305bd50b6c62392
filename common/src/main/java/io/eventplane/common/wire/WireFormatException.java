package io.eventplane.common.wire;

/**
 * A frame from another node that this node cannot read: a format version it does not speak (a
 * node of another build), or bytes that end early or do not add up. The frame is refused as a
 * whole; nothing of it is applied.
 */
public final class WireFormatException extends RuntimeException {
  public WireFormatException(String message) {
    super(message, null, false, false);
  }
}
