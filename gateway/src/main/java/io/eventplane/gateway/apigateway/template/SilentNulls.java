package io.eventplane.gateway.apigateway.template;

import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.context.Context;

/**
 * API Gateway renders a reference whose value is null or missing ({@code $input.path('$.absent')},
 * {@code $context.authorizer.claims.sub} without an authorizer, an undefined {@code $foo}) as nothing,
 * where plain Velocity would print the reference's own text.
 */
public final class SilentNulls implements ReferenceInsertionEventHandler {
  @Override
  public Object referenceInsert(Context context, String reference, Object value) {
    return value == null ? "" : value;
  }
}
