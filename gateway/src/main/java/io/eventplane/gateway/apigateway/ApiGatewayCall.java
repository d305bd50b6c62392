package io.eventplane.gateway.apigateway;

import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.binding.RestJsonBinding;

/**
 * A request to API Gateway's management API (v1 or v2) matched to its operation: both take bodies of
 * up to 6 MB and word a larger one the same way; they differ in how members are named on the wire.
 */
interface ApiGatewayCall extends RestJsonBinding.Call {
  int MAX_BODY = 6 * 1024 * 1024;

  ApiGatewayRoute route();

  @Override
  default String operation() {
    return route().operation();
  }

  @Override
  default int maxBodyBytes() {
    return MAX_BODY;
  }

  @Override
  default ServiceError tooLarge() {
    return ServiceError.sender("BadRequestException", "Request body must be smaller than " + MAX_BODY + " bytes");
  }
}
