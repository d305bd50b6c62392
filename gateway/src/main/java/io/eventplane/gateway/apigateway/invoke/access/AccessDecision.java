package io.eventplane.gateway.apigateway.invoke.access;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An authorizer's verdict on one request: either let through, with what the integration sees as
 * {@code requestContext.authorizer}, or refused with the response API Gateway sends instead.
 *
 * <p>What the integration sees depends on the integration's PayloadFormatVersion (not the
 * authorizer's): ask with {@link #requestContextAuthorizer(String)}.
 */
public final class AccessDecision {
  /** A route without authorization (AuthorizationType NONE): nothing for the integration. */
  public static final AccessDecision NONE = new AccessDecision(null, null, null);

  private final Refusal refusal;
  private final JsonObject forPayload2;
  private final JsonObject forPayload1;

  private AccessDecision(Refusal refusal, JsonObject forPayload2, JsonObject forPayload1) {
    this.refusal = refusal;
    this.forPayload2 = forPayload2;
    this.forPayload1 = forPayload1;
  }

  /** Let through; the two objects are {@code requestContext.authorizer} for payload 2.0 and 1.0. */
  public static AccessDecision allow(JsonObject forPayload2, JsonObject forPayload1) {
    return new AccessDecision(null, Objects.requireNonNull(forPayload2), Objects.requireNonNull(forPayload1));
  }

  public static AccessDecision refuse(Refusal refusal) {
    return new AccessDecision(Objects.requireNonNull(refusal), null, null);
  }

  public boolean allowed() {
    return refusal == null;
  }

  /** The response to send instead of calling the integration; null when allowed. */
  public Refusal refusal() {
    return refusal;
  }

  /**
   * {@code requestContext.authorizer} for an integration of the given payload format version
   * ("1.0" or "2.0"), or null when the route has no authorizer (the member is then left out).
   * JWT: {@code {"jwt":{"claims":{...},"scopes":[...]}}} for 2.0, {@code {"claims":{...},
   * "scopes":[...]}} for 1.0; Lambda: {@code {"lambda":{...context}}} for 2.0, the context's
   * members (and {@code principalId} when the authorizer gave one) for 1.0.
   */
  public JsonObject requestContextAuthorizer(String payloadFormatVersion) {
    JsonObject chosen = "1.0".equals(payloadFormatVersion) ? forPayload1 : forPayload2;
    return chosen == null ? null : chosen.copy();
  }

  @Override
  public String toString() {
    return allowed() ? "allowed " + forPayload2 : "refused " + refusal;
  }
}
