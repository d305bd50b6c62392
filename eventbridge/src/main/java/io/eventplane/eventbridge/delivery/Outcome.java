package io.eventplane.eventbridge.delivery;

/**
 * How one attempt to deliver to a target ended. A client-side error (the target is gone or refuses
 * the event for good) is not retried: the event goes to the dead-letter queue at once, as
 * EventBridge does; a server-side error is retried by the target's RetryPolicy.
 *
 * @param errorCode EventBridge's name for it in the dead-letter message's ERROR_CODE (NO_RESOURCE, ...)
 */
public record Outcome(Kind kind, String errorCode, String errorMessage) {
  public enum Kind { DELIVERED, CLIENT_ERROR, SERVER_ERROR }

  public static Outcome delivered() {
    return new Outcome(Kind.DELIVERED, null, null);
  }

  public static Outcome clientError(String code, String message) {
    return new Outcome(Kind.CLIENT_ERROR, code, message);
  }

  public static Outcome serverError(String code, String message) {
    return new Outcome(Kind.SERVER_ERROR, code, message);
  }
}
