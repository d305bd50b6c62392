package io.eventplane.gateway.binding;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.error.ErrorTable;
import io.eventplane.gateway.error.QueryErrorMapper;
import io.eventplane.gateway.query.QueryInputDecoder;
import io.eventplane.gateway.query.QueryModel;
import io.eventplane.gateway.query.QueryJsonEncoder;
import io.eventplane.gateway.query.QueryXmlEncoder;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A service on the AWS Query protocol ({@code Action=} form parameters in, XML out).
 *
 * @param model the operations and their shapes; null for a service the gateway answers itself
 * @param errorDetail whether XML errors carry an empty {@code <Detail/>} (SQS, STS)
 * @param input turns form parameters into the operation's JSON input
 * @param claimsShared for an unsigned, unversioned call naming an action two services have: whether
 *     the parameters say it is this service's (SNS's actions name a topic)
 * @param local the answers of a service the gateway answers itself, else null
 * @param headers the headers operations take as input members
 * @param unsignedRegion for a call without a signature (no credential scope): the region its
 *     parameters name, or null for the configured one (SNS: the region of the ARN an UnsubscribeURL
 *     or SubscribeURL names, which SNS takes from its regional host)
 * @param jsonAnswers whether a caller that accepts {@code application/json} gets its answers in JSON
 * @param getWithoutAction what a GET naming no action is answered, by request id; null for the
 *     common InvalidAction error
 */
public record QueryBinding(String signingName, String apiVersion, String xmlNamespace, String address, QueryModel model,
    ErrorTable errors, boolean errorDetail, Map<String, Duration> slowOperations, QueryInput input,
    Predicate<Map<String, String>> claimsShared, LocalAnswers local, HeaderMembers headers,
    Function<Map<String, String>, String> unsignedRegion, boolean jsonAnswers,
    Function<String, WireResponse> getWithoutAction) implements ProtocolBinding {

  public QueryBinding {
    Objects.requireNonNull(signingName, "signingName");
    Objects.requireNonNull(errors, "errors");
    slowOperations = Map.copyOf(slowOperations);
    if (input == null && model != null) {
      QueryModel m = model;
      input = (action, params, path, baseUrl) -> QueryInputDecoder.decode(m.operation(action).input(), params);
    }
    claimsShared = claimsShared == null ? params -> false : claimsShared;
    headers = headers == null ? HeaderMembers.NONE : headers;
    unsignedRegion = unsignedRegion == null ? params -> null : unsignedRegion;
  }

  /** A service that takes no input from headers. */
  public QueryBinding(String signingName, String apiVersion, String xmlNamespace, String address, QueryModel model,
      ErrorTable errors, boolean errorDetail, Map<String, Duration> slowOperations, QueryInput input,
      Predicate<Map<String, String>> claimsShared, LocalAnswers local) {
    this(signingName, apiVersion, xmlNamespace, address, model, errors, errorDetail, slowOperations, input, claimsShared,
        local, null, null, false, null);
  }

  /** A service whose calls go to {@code address}, decoded by its model. */
  public static QueryBinding of(String signingName, String address, QueryModel model, String apiVersion, ErrorTable errors) {
    return new QueryBinding(signingName, apiVersion, model.xmlNamespace(), address, model, errors, false, Map.of(), null,
        null, null, null, null, false, null);
  }

  /** The same service with other local answers (the node's, configured). */
  public QueryBinding withLocal(LocalAnswers answers) {
    return new QueryBinding(signingName, apiVersion, xmlNamespace, address, model, errors, errorDetail, slowOperations, input,
        claimsShared, answers, headers, unsignedRegion, jsonAnswers, getWithoutAction);
  }

  public QueryBinding withErrorDetail() {
    return new QueryBinding(signingName, apiVersion, xmlNamespace, address, model, errors, true, slowOperations, input,
        claimsShared, local, headers, unsignedRegion, jsonAnswers, getWithoutAction);
  }

  public QueryBinding withInput(QueryInput custom) {
    return new QueryBinding(signingName, apiVersion, xmlNamespace, address, model, errors, errorDetail, slowOperations,
        custom, claimsShared, local, headers, unsignedRegion, jsonAnswers, getWithoutAction);
  }

  public QueryBinding withSlowOperations(Map<String, Duration> slow) {
    return new QueryBinding(signingName, apiVersion, xmlNamespace, address, model, errors, errorDetail, slow, input,
        claimsShared, local, headers, unsignedRegion, jsonAnswers, getWithoutAction);
  }

  public QueryBinding claimingShared(Predicate<Map<String, String>> claims) {
    return new QueryBinding(signingName, apiVersion, xmlNamespace, address, model, errors, errorDetail, slowOperations,
        input, claims, local, headers, unsignedRegion, jsonAnswers, getWithoutAction);
  }

  public QueryBinding withUnsignedRegion(Function<Map<String, String>, String> region) {
    return new QueryBinding(signingName, apiVersion, xmlNamespace, address, model, errors, errorDetail, slowOperations,
        input, claimsShared, local, headers, region, jsonAnswers, getWithoutAction);
  }

  public QueryBinding withHeaders(HeaderMembers members) {
    return new QueryBinding(signingName, apiVersion, xmlNamespace, address, model, errors, errorDetail, slowOperations,
        input, claimsShared, local, members, unsignedRegion, jsonAnswers, getWithoutAction);
  }

  /** Answers in JSON to callers that accept {@code application/json}, as SQS's Query API does. */
  public QueryBinding withJsonAnswers() {
    return new QueryBinding(signingName, apiVersion, xmlNamespace, address, model, errors, errorDetail, slowOperations,
        input, claimsShared, local, headers, unsignedRegion, true, getWithoutAction);
  }

  /** Answers a GET that names no action so (SQS: 404 UnknownOperationException). */
  public QueryBinding withGetWithoutAction(Function<String, WireResponse> answer) {
    return new QueryBinding(signingName, apiVersion, xmlNamespace, address, model, errors, errorDetail, slowOperations,
        input, claimsShared, local, headers, unsignedRegion, jsonAnswers, answer);
  }

  public boolean isOperation(String action) {
    return local != null ? local.isAction(action) : model.isOperation(action);
  }

  public WireResponse success(String action, JsonObject output, String requestId) {
    String xml;
    try {
      xml = QueryXmlEncoder.encode(model, action, output, requestId);
    } catch (IllegalStateException e) {
      return error(ServiceError.internal("The service answered " + action + " with output the Query protocol cannot carry: "
          + e.getMessage()), requestId);
    }
    return WireResponse.of(200, WireResponse.XML, xml).withHeader("x-amzn-RequestId", requestId);
  }

  public WireResponse error(ServiceError error, String requestId) {
    return QueryErrorMapper.render(errors, error, requestId, xmlNamespace, errorDetail);
  }

  /** The answer in JSON when {@code json} (see {@link #jsonAnswers}), else in XML. */
  public WireResponse success(String action, JsonObject output, String requestId, boolean json) {
    if (!json) return success(action, output, requestId);
    try {
      return WireResponse.of(200, WireResponse.JSON, QueryJsonEncoder.encode(model, action, output, requestId))
          .withHeader("x-amzn-RequestId", requestId);
    } catch (IllegalStateException e) {
      return error(ServiceError.internal("The service answered " + action + " with output the Query protocol cannot carry: "
          + e.getMessage()), requestId, true);
    }
  }

  public WireResponse error(ServiceError error, String requestId, boolean json) {
    return json ? QueryErrorMapper.renderJson(errors, error, requestId) : error(error, requestId);
  }

  /** Whether a caller sending this Accept header gets JSON answers from this service. */
  public boolean answersJson(String accept) {
    return jsonAnswers && accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("application/json");
  }

  /** Form parameters to the operation's canonical JSON input. */
  @FunctionalInterface
  public interface QueryInput {
    /**
     * @param path the request path (Query clients may post to a resource URL)
     * @throws io.eventplane.common.error.ServiceException for input the protocol cannot carry
     */
    JsonObject decode(String action, Map<String, String> params, String path, String baseUrl);
  }

  /** A service the gateway answers itself, asking other services over the bus where it must. */
  public interface LocalAnswers {
    boolean isAction(String action);

    /**
     * @param params the call's form parameters
     * @param bus sends a request to a service's bus address (STS's AssumeRole reads the role from IAM)
     */
    io.vertx.core.Future<WireResponse> answer(String action, Map<String, String> params, RequestContext context,
        java.util.function.BiFunction<String, io.eventplane.common.bus.ApiRequest,
            io.vertx.core.Future<io.eventplane.common.bus.ApiReply>> bus);

    /** These answers with the node's configuration and clock (STS seals credentials with the credentials key). */
    default LocalAnswers on(io.eventplane.common.config.EventplaneConfig config, java.time.Clock clock) {
      return this;
    }
  }
}
