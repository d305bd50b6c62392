package io.eventplane.gateway.apigateway.template;

import java.util.Locale;

/**
 * An integration's {@code passthroughBehavior}: what API Gateway does with a method request whose
 * Content-Type has no request template ("Method request behavior for payloads without mapping templates").
 */
public enum PassthroughBehavior {
  /** Pass the body through unchanged when no template matches the Content-Type (API Gateway's default). */
  WHEN_NO_MATCH,
  /** Pass through only when the integration has no templates at all; otherwise 415. */
  WHEN_NO_TEMPLATES,
  /** Never pass through: no matching template is 415. */
  NEVER;

  /** The stored value ({@code WHEN_NO_MATCH}, or lower case as OpenAPI imports write it); null is the default. */
  public static PassthroughBehavior of(String value) {
    if (value == null || value.isEmpty()) return WHEN_NO_MATCH;
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
