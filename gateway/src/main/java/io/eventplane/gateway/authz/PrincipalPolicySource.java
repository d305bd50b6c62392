package io.eventplane.gateway.authz;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Caller;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.identity.policy.MalformedPolicyDocumentException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * A principal's identity-based policies, asked of the IAM service ({@code eventplane:PrincipalPolicies}:
 * a user's inline, attached and groups' policies, an assumed role's role policies, the principal's
 * tags) and compiled once with {@code PolicyDocument.parse}: the source {@link IdentityAuthorizer}
 * caches per principal. A stored document that no longer parses (IAM checked it when it was put) is
 * left out and logged rather than failing every call of the principal.
 */
public final class PrincipalPolicySource implements Function<Caller, Future<PrincipalPolicies>> {
  public static final String OPERATION = "eventplane:PrincipalPolicies";
  private static final Logger LOG = Logger.getLogger(PrincipalPolicySource.class.getName());

  private final BiFunction<String, ApiRequest, Future<ApiReply>> bus;

  /** @param bus sends a request to a service address and completes with its reply (the gateway's ServiceBus) */
  public PrincipalPolicySource(BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    this.bus = bus;
  }

  @Override
  public Future<PrincipalPolicies> apply(Caller caller) {
    String[] parts = caller.arn().split(":", 6);
    String account = parts.length == 6 && parts[4].matches("\\d{12}") ? parts[4] : "000000000000";
    RequestContext context = new RequestContext(account, "us-east-1", Ids.uuid(), "");
    JsonObject input = new JsonObject().put("PrincipalArn", caller.arn());
    return bus.apply(Contracts.IAM, new ApiRequest(OPERATION, input, context)).map(reply -> {
      if (!reply.succeeded()) throw new ServiceException(reply.error());
      return compile(reply.output());
    }).recover(e -> Future.failedFuture(e instanceof ServiceException ? e
        : new ServiceException(ServiceError.internal(OPERATION + " failed: " + e))));
  }

  /** The compiled form of the IAM service's answer. */
  static PrincipalPolicies compile(JsonObject answer) {
    List<PrincipalPolicies.Named> named = new ArrayList<>();
    for (Object o : answer.getJsonArray("Policies", new JsonArray())) {
      JsonObject p = (JsonObject) o;
      try {
        named.add(PrincipalPolicies.Named.parse(p.getString("Name"), p.getString("Document")));
      } catch (MalformedPolicyDocumentException | IllegalArgumentException e) {
        LOG.warning("policy " + p.getString("Name") + " does not parse and is left out: " + e.getMessage());
      }
    }
    Map<String, String> tags = new HashMap<>();
    answer.getJsonObject("Tags", new JsonObject()).forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    return new PrincipalPolicies(named, tags);
  }
}
