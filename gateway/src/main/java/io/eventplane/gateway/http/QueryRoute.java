package io.eventplane.gateway.http;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.QueryBinding;
import io.eventplane.gateway.error.GatewayErrors;
import io.eventplane.gateway.query.FormDecoder;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** AWS Query calls ({@code Action=...} in a form body or the query string), for every Query binding. */
final class QueryRoute {
  /** A Query call as it arrived: method, raw query string, body, where it was posted, and its headers. */
  record Call(String method, String queryString, String contentType, Buffer body, String path, Optional<CredentialScope> scope,
      RequestContext context, UnaryOperator<String> header, io.eventplane.common.audit.AuditCaller caller) {}

  private final ServiceBus bus;
  private final List<QueryBinding> bindings;

  /**
   * @param bindings the Query services; the first is the one errors speak for when none is named
   * @param config and {@code clock}: what the services the gateway answers itself (STS) work with
   */
  QueryRoute(ServiceBus bus, List<QueryBinding> bindings, io.eventplane.common.config.EventplaneConfig config,
      java.time.Clock clock, RouteAuthorization authorization) {
    this.bus = bus;
    this.authorization = authorization;
    this.bindings = bindings.stream().map(b -> b.local() == null ? b : b.withLocal(b.local().on(config, clock))).toList();
  }

  private final RouteAuthorization authorization;

  Future<WireResponse> handle(Call call) {
    String requestId = call.context().requestId();
    Map<String, String> params;
    try {
      params = parameters(call);
    } catch (FormDecoder.MalformedFormException e) {
      return done(provisional(call.scope()).error(GatewayErrors.malformedQuery(e.getMessage()), requestId));
    }
    String action = params.get("Action");
    if (action == null || action.isEmpty()) {
      QueryBinding provisional = provisional(call.scope());
      // Only a call signed for the service is known to be its (an unsigned GET of / may be anyone's).
      if ("GET".equals(call.method()) && call.scope().isPresent() && provisional.getWithoutAction() != null) {
        return done(provisional.getWithoutAction().apply(requestId));
      }
      return done(provisional.error(GatewayErrors.missingAction(), requestId));
    }
    Optional<QueryBinding> found = service(call.scope(), params.get("Version"), action, params);
    if (found.isEmpty()) return done(provisional(call.scope()).error(GatewayErrors.unknownOperation(action), requestId));
    QueryBinding service = found.get();
    boolean json = service.answersJson(call.header().apply("Accept"));
    if (!service.isOperation(action)) return done(service.error(GatewayErrors.unknownOperation(action), requestId, json));
    if (service.local() != null) {
      // A service the gateway answers (STS) learns who calls from the session token of temporary
      // credentials, sealed for the access key id the call is signed with.
      String token = call.header().apply("X-Amz-Security-Token");
      if (token != null) params.putIfAbsent("X-Amz-Security-Token", token);
      call.scope().ifPresent(s -> params.put(io.eventplane.gateway.sts.StsAnswers.ACCESS_KEY_PARAMETER, s.accessKeyId()));
      Future<WireResponse> answer;
      params.remove(io.eventplane.gateway.sts.StsAnswers.IDENTITY_ALLOWS_PARAMETER);
      if (authorization.enabled() && call.context().caller() != null) {
        // AssumeRole: an explicit deny of the caller's identity policies refuses it; otherwise the
        // role's trust evaluation learns whether they allow (a trust policy naming only the account defers to them).
        JsonObject asInput = new JsonObject();
        params.forEach(asInput::put);
        answer = authorization.verdict(service.signingName(), io.eventplane.gateway.authz.ApiCall.of(action, asInput),
            call.context(), call.caller()).compose(verdict -> {
              if (verdict != null) {
                int explicit = verdict.denied();
                boolean trustDecides = action.equals("AssumeRole") && explicit < 0;
                int refused = trustDecides ? -1 : explicit >= 0 ? explicit : verdict.notAllowed();
                if (refused >= 0) {
                  RouteAuthorization.Denial denial = RouteAuthorization.denial(io.eventplane.gateway.auth.AuthErrors.Family.QUERY,
                      service.signingName(), call.context().caller(), verdict, refused);
                  return done(RequestAuth.withStatus(service.error(denial.error(), requestId, json), denial.status()));
                }
                params.put(io.eventplane.gateway.sts.StsAnswers.IDENTITY_ALLOWS_PARAMETER, Boolean.toString(verdict.allAllowed()));
              }
              return service.local().answer(action, params, call.context(), bus::call);
            });
      } else {
        answer = service.local().answer(action, params, call.context(), bus::call);
      }
      ApiRequest asked = new ApiRequest(action, new JsonObject(), call.context());
      return answer.onSuccess(r -> bus.answered(service, asked, answeredAs(r), call.caller()));
    }
    JsonObject input;
    try {
      input = service.headers().bind(action, service.input().decode(action, params, call.path(), call.context().baseUrl()),
          call.header());
    } catch (ServiceException e) {
      return done(service.error(e.error(), requestId, json));
    }
    RequestContext context = call.context();
    String region = call.scope().isEmpty() ? service.unsignedRegion().apply(params) : null;
    if (region != null) context = new RequestContext(context.accountId(), region, context.requestId(), context.baseUrl());
    if (authorization.enabled() && context.caller() != null) {
      RequestContext asked = context;
      JsonObject bound = input;
      return authorization.check(service.signingName(), io.eventplane.gateway.auth.AuthErrors.Family.QUERY,
          io.eventplane.gateway.authz.ApiCall.of(action, input), context, call.caller())
          .compose(denial -> denial != null
              ? done(RequestAuth.withStatus(service.error(denial.error(), requestId, json), denial.status()))
              : forward(service, action, bound, asked, call, json));
    }
    return forward(service, action, input, context, call, json);
  }

  private Future<WireResponse> forward(QueryBinding service, String action, JsonObject input, RequestContext context, Call call,
      boolean json) {
    String requestId = context.requestId();
    return bus.call(service, new ApiRequest(action, input, context), call.caller())
        .map(reply -> reply.succeeded()
            ? service.success(action, reply.output(), requestId, json)
            : service.error(reply.error(), requestId, json));
  }

  /** What the audit trail learns of an answer the gateway made itself: success, or the error document's Code and Message. */
  private static io.eventplane.common.bus.ApiReply answeredAs(WireResponse response) {
    if (response.status() < 400) return io.eventplane.common.bus.ApiReply.ok(new JsonObject());
    String body = response.body() == null ? "" : response.body().toString();
    return io.eventplane.common.bus.ApiReply.failed(io.eventplane.common.error.ServiceError.sender(
        element(body, "Code", "UnknownError"), element(body, "Message", "")));
  }

  private static String element(String xml, String name, String otherwise) {
    int start = xml.indexOf("<" + name + ">");
    int end = start < 0 ? -1 : xml.indexOf("</" + name + ">", start);
    return end < 0 ? otherwise : xml.substring(start + name.length() + 2, end);
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
   * action name (unsigned calls from curl, old scripts, an UnsubscribeURL opened in a browser).
   */
  Optional<QueryBinding> service(Optional<CredentialScope> scope, String version, String action, Map<String, String> params) {
    if (scope.isPresent()) {
      return bindings.stream().filter(b -> b.signingName().equals(scope.get().service())).findFirst();
    }
    Optional<QueryBinding> byVersion = bindings.stream().filter(b -> b.apiVersion().equals(version)).findFirst();
    if (byVersion.isPresent()) return byVersion;
    List<QueryBinding> candidates = bindings.stream().filter(b -> b.isOperation(action)).toList();
    return candidates.stream().filter(b -> b.claimsShared().test(params)).findFirst()
        .or(() -> candidates.stream().findFirst());
  }

  /**
   * The signing name a signature of this call must be scoped to: the service its {@code Version}
   * names (an SDK always sends it), else the scope's own service when it is a Query service, else
   * the service the action is unique to; null when no service is known (the call is refused later
   * as an unknown action).
   */
  String expectedService(String queryString, String contentType, Buffer body, Optional<CredentialScope> scope) {
    Map<String, String> params;
    try {
      params = FormDecoder.decode(queryString);
      if (body.length() > 0 && isFormOrUntyped(contentType)) params.putAll(FormDecoder.decode(body.getBytes()));
    } catch (FormDecoder.MalformedFormException e) {
      return null;
    }
    String version = params.get("Version");
    Optional<QueryBinding> byVersion = bindings.stream().filter(b -> b.apiVersion().equals(version)).findFirst();
    if (byVersion.isPresent()) return byVersion.get().signingName();
    if (scope.isPresent() && bindings.stream().anyMatch(b -> b.signingName().equals(scope.get().service()))) return null;
    String action = params.get("Action");
    return action == null ? null : service(Optional.empty(), null, action, params).map(QueryBinding::signingName).orElse(null);
  }

  /** The service whose XML namespace errors use before the action is known. */
  QueryBinding provisional(Optional<CredentialScope> scope) {
    return scope.flatMap(s -> bindings.stream().filter(b -> b.signingName().equals(s.service())).findFirst())
        .orElse(bindings.get(0));
  }

  private static Future<WireResponse> done(WireResponse response) {
    return Future.succeededFuture(response);
  }
}
