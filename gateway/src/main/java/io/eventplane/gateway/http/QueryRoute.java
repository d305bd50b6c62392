package io.eventplane.gateway.http;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.error.GatewayErrors;
import io.eventplane.gateway.iam.IamModel;
import io.eventplane.gateway.iam.IamQueryProtocol;
import io.eventplane.gateway.sns.SnsModel;
import io.eventplane.gateway.sns.SnsQueryProtocol;
import io.eventplane.gateway.query.FormDecoder;
import io.eventplane.gateway.sqs.SqsModel;
import io.eventplane.gateway.sqs.SqsQueryProtocol;
import io.eventplane.gateway.sts.StsQueryProtocol;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/** AWS Query calls ({@code Action=...} in a form body or the query string) for SQS, SNS and STS. */
final class QueryRoute {
  enum Service { SQS, SNS, STS, IAM }

  /** A Query call as it arrived: raw query string, body and where it was posted. */
  record Call(String queryString, String contentType, Buffer body, String path, Optional<CredentialScope> scope,
      RequestContext context) {}

  private final ServiceBus bus;

  QueryRoute(ServiceBus bus) {
    this.bus = bus;
  }

  Future<WireResponse> handle(Call call) {
    String requestId = call.context().requestId();
    Map<String, String> params;
    try {
      params = parameters(call);
    } catch (FormDecoder.MalformedFormException e) {
      return done(error(provisionalService(call.scope()), GatewayErrors.malformedQuery(e.getMessage()), requestId));
    }
    String action = params.get("Action");
    if (action == null || action.isEmpty()) {
      return done(error(provisionalService(call.scope()), GatewayErrors.missingAction(), requestId));
    }
    Optional<Service> service = service(call.scope(), params.get("Version"), action, params);
    if (service.isEmpty()) return done(error(provisionalService(call.scope()), GatewayErrors.unknownOperation(action), requestId));
    if (service.get() == Service.STS) return done(StsQueryProtocol.handle(action, call.context()));
    if (service.get() == Service.SNS) return sns(action, params, call.context());
    if (service.get() == Service.IAM) return iam(action, params, call.context());
    if (!SqsModel.isOperation(action)) return done(error(Service.SQS, GatewayErrors.unknownOperation(action), requestId));
    JsonObject input;
    try {
      input = SqsQueryProtocol.input(action, params, call.path(), call.context().baseUrl());
    } catch (ServiceException e) {
      return done(error(Service.SQS, e.error(), requestId));
    }
    return bus.call(Contracts.SQS, new ApiRequest(action, input, call.context()))
        .map(reply -> reply.succeeded()
            ? SqsQueryProtocol.success(action, reply.output(), requestId)
            : SqsQueryProtocol.error(reply.error(), requestId));
  }

  private Future<WireResponse> sns(String action, Map<String, String> params, RequestContext context) {
    String requestId = context.requestId();
    if (!SnsModel.isOperation(action)) return done(error(Service.SNS, GatewayErrors.unknownOperation(action), requestId));
    JsonObject input;
    try {
      input = SnsQueryProtocol.input(action, params);
    } catch (ServiceException e) {
      return done(error(Service.SNS, e.error(), requestId));
    }
    return bus.call(Contracts.SNS, new ApiRequest(action, input, context))
        .map(reply -> reply.succeeded()
            ? SnsQueryProtocol.success(action, reply.output(), requestId)
            : SnsQueryProtocol.error(reply.error(), requestId));
  }

  private Future<WireResponse> iam(String action, Map<String, String> params, RequestContext context) {
    String requestId = context.requestId();
    if (!IamModel.isOperation(action)) return done(error(Service.IAM, GatewayErrors.unknownOperation(action), requestId));
    JsonObject input;
    try {
      input = IamQueryProtocol.input(action, params);
    } catch (ServiceException e) {
      return done(error(Service.IAM, e.error(), requestId));
    }
    return bus.call(Contracts.IAM, new ApiRequest(action, input, context))
        .map(reply -> reply.succeeded()
            ? IamQueryProtocol.success(action, reply.output(), requestId)
            : IamQueryProtocol.error(reply.error(), requestId));
  }

  /** Query-string parameters, overridden by form-body ones (a presigned POST may carry both). */
  private static Map<String, String> parameters(Call call) {
    Map<String, String> params = FormDecoder.decode(call.queryString());
    if (call.body().length() > 0 && isFormOrUntyped(call.contentType())) {
      params.putAll(FormDecoder.decode(call.body().getBytes()));
    }
    return params;
  }

  static boolean isFormOrUntyped(String contentType) {
    return contentType == null || contentType.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33);
  }

  /**
   * Which service a call is for: the SigV4 scope says it best, then the API version, then the
   * action name (unsigned calls from curl or old scripts).
   */
  static Optional<Service> service(Optional<CredentialScope> scope, String version, String action,
      Map<String, String> params) {
    if (scope.isPresent()) {
      return switch (scope.get().service()) {
        case "sqs" -> Optional.of(Service.SQS);
        case "sns" -> Optional.of(Service.SNS);
        case "sts" -> Optional.of(Service.STS);
        case "iam" -> Optional.of(Service.IAM);
        default -> Optional.empty();
      };
    }
    if (SqsModel.API_VERSION.equals(version)) return Optional.of(Service.SQS);
    if (SnsModel.API_VERSION.equals(version)) return Optional.of(Service.SNS);
    if (StsQueryProtocol.API_VERSION.equals(version)) return Optional.of(Service.STS);
    if (IamModel.API_VERSION.equals(version)) return Optional.of(Service.IAM);
    // Unsigned and unversioned (an UnsubscribeURL or SubscribeURL opened in a browser, curl): by the action,
    // and for the two actions both services have, by whether the call names a topic.
    boolean namesTopic = params.containsKey("TopicArn") || params.containsKey("SubscriptionArn");
    if (SnsModel.isOperation(action) && (!SqsModel.isOperation(action) || namesTopic)) return Optional.of(Service.SNS);
    if (SqsModel.isOperation(action)) return Optional.of(Service.SQS);
    if (StsQueryProtocol.isAction(action)) return Optional.of(Service.STS);
    return Optional.empty();
  }

  /** The service whose XML namespace errors use before the action is known. */
  static Service provisionalService(Optional<CredentialScope> scope) {
    if (scope.isEmpty()) return Service.SQS;
    return switch (scope.get().service()) {
      case "sts" -> Service.STS;
      case "sns" -> Service.SNS;
      case "iam" -> Service.IAM;
      default -> Service.SQS;
    };
  }

  static WireResponse error(Service service, ServiceError error, String requestId) {
    return switch (service) {
      case STS -> StsQueryProtocol.error(error, requestId);
      case SNS -> SnsQueryProtocol.error(error, requestId);
      case SQS -> SqsQueryProtocol.error(error, requestId);
      case IAM -> IamQueryProtocol.error(error, requestId);
    };
  }

  private static Future<WireResponse> done(WireResponse response) {
    return Future.succeededFuture(response);
  }
}
