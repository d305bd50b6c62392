package io.eventplane.broker.topic.delivery;

/**
 * How one delivery attempt ended. A client-side error (the endpoint is gone or refuses us for
 * good) is not retried; a server-side error is, by the subscription's retry policy.
 */
public record DeliveryOutcome(Kind kind, String errorCode, String errorMessage) {
  public enum Kind { DELIVERED, CLIENT_ERROR, SERVER_ERROR }

  public static DeliveryOutcome delivered() {
    return new DeliveryOutcome(Kind.DELIVERED, null, null);
  }

  public static DeliveryOutcome clientError(String code, String message) {
    return new DeliveryOutcome(Kind.CLIENT_ERROR, code, message);
  }

  public static DeliveryOutcome serverError(String code, String message) {
    return new DeliveryOutcome(Kind.SERVER_ERROR, code, message);
  }
}
