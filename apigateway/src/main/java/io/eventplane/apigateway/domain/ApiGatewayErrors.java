package io.eventplane.apigateway.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;

/**
 * API Gateway's errors, with the codes of its service model; the gateway gives each its status
 * (NotFoundException 404, BadRequestException 400, ConflictException 409,
 * TooManyRequestsException and LimitExceededException 429).
 */
public final class ApiGatewayErrors {
  private ApiGatewayErrors() {}

  public static ServiceException notFound(String message) {
    return new ServiceException(ServiceError.sender("NotFoundException", message));
  }

  /** An API id that names no API of the caller's account and region, as AWS words it. */
  public static ServiceException apiNotFound(String account, String apiId) {
    return notFound("Invalid API identifier specified " + account + ":" + apiId);
  }

  /** A route, integration, authorizer, deployment... of the API that does not exist. */
  public static ServiceException childNotFound(String what, String account, String id) {
    return notFound("Invalid " + what + " identifier specified " + account + ":" + id);
  }

  public static ServiceException badRequest(String message) {
    return new ServiceException(ServiceError.sender("BadRequestException", message));
  }

  public static ServiceException conflict(String message) {
    return new ServiceException(ServiceError.sender("ConflictException", message));
  }

  public static ServiceException limitExceeded(String message) {
    return new ServiceException(ServiceError.sender("LimitExceededException", message));
  }
}
