package io.eventplane.gateway.apigateway.template;

import java.util.Objects;

/**
 * A rendered mapping template: the text that becomes the integration request's body (request template)
 * or the method response's body (response template), and the overrides the template set.
 */
public record RenderedTemplate(String body, Overrides overrides) {
  public RenderedTemplate {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(overrides, "overrides");
  }
}
