package io.eventplane.gateway.apigateway;

import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.error.ErrorTable;
import io.eventplane.gateway.error.WireError;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Errors as API Gateway (v1 and v2) sends them: the code in the {@code x-amzn-ErrorType} header and
 * a JSON body holding only {@code message} ({@code Message} for a ValidationException of the request's
 * shape); {@code Retry-After} for throttling errors that say when.
 */
public final class ApiGatewayErrorMapper {
  /** API Gateway's error codes and their status; the common ones get API Gateway's names. */
  public static final ErrorTable ERRORS = ErrorTable.builder("")
      .code("NotFoundException", 404).code("BadRequestException", 400).code("ConflictException", 409)
      .code("TooManyRequestsException", 429).code("UnauthorizedException", 401).code("LimitExceededException", 429)
      .code("AccessDeniedException", 403).code("ServiceUnavailableException", 503)
      .renamed("UnknownOperationException", 404, "NotFoundException")
      .renamed("InternalFailure", 500, "InternalServerErrorException")
      .renamed("ServiceUnavailable", 503, "ServiceUnavailableException")
      .renamed("RequestEntityTooLarge", 413, "RequestEntityTooLargeException")
      .build();

  private ApiGatewayErrorMapper() {}

  public static WireResponse render(ErrorTable table, ServiceError error, String requestId) {
    WireError wire = table.of(error);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amzn-RequestId", requestId);
    headers.put("x-amzn-ErrorType", wire.jsonType());
    Object retryAfter = error.details() == null ? null : error.details().getValue("retryAfterSeconds");
    if (retryAfter != null) headers.put("Retry-After", String.valueOf(retryAfter));
    // The request validation in front of API Gateway words its errors with a capital M, as AWS's answers show.
    String key = wire.jsonType().equals("ValidationException") ? "Message" : "message";
    return new WireResponse(wire.status(), "application/json", new JsonObject().put(key, error.message()).encode(), headers);
  }
}
