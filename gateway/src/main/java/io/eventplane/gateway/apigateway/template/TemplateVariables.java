package io.eventplane.gateway.apigateway.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one render of a mapping template sees.
 *
 * @param body the payload {@code $input} reads: the method request's body in a request template, the
 *     integration response's body in a response template (null or empty reads as {@code {}})
 * @param params the method request's parameters ({@code $input.params()})
 * @param context the request's {@code $context}
 * @param stageVariables the stage's variables ({@code $stageVariables.name})
 */
public record TemplateVariables(String body, RequestParameters params, ContextVariables context,
    Map<String, String> stageVariables) {
  public TemplateVariables {
    params = params == null ? RequestParameters.NONE : params;
    Objects.requireNonNull(context, "context");
    stageVariables = Collections.unmodifiableMap(new LinkedHashMap<>(stageVariables == null ? Map.of() : stageVariables));
  }

  /** The same request and stage with another payload: for the response template after the integration answered. */
  public TemplateVariables withBody(String newBody) {
    return new TemplateVariables(newBody, params, context, stageVariables);
  }
}
