package io.eventplane.common.store;

/** A storage failure, naming the store operation that failed. */
public final class StoreException extends RuntimeException {
  public StoreException(String operation, Throwable cause) {
    super("store " + operation + " failed: " + cause.getMessage(), cause);
  }
}
