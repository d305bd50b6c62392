package io.eventplane.gateway.apigateway.template;

import io.vertx.core.json.JsonObject;

/**
 * A method request a REST API's request validator refused: API Gateway answers 400 with
 * {@code x-amzn-ErrorType: BadRequestException} and {@code {"message": ...}} (the gateway responses
 * BAD_REQUEST_PARAMETERS and BAD_REQUEST_BODY).
 *
 * @param message what the client reads: "Missing required request parameters: [a, b]" or "Invalid request body"
 * @param detail what went wrong, for {@code $context.error.validationErrorString} and logs
 */
public record ValidationFailure(String message, String detail) {
  public static final int STATUS = 400;
  public static final String ERROR_TYPE = "BadRequestException";
  public static final String INVALID_BODY = "Invalid request body";

  /** The response body, as API Gateway writes it. */
  public String body() {
    return new JsonObject().put("message", message).encode();
  }
}
