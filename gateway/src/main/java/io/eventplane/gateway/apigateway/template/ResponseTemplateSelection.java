package io.eventplane.gateway.apigateway.template;

import java.util.Map;
import java.util.Optional;

/**
 * Which response template of an integration response transforms the integration's answer: the first media
 * type of the method request's Accept header that has a template, else the {@code application/json}
 * template, else the first template. A template that is null or empty (the console's "Empty") passes the
 * integration's body through, as does an integration response without templates.
 */
public final class ResponseTemplateSelection {
  private ResponseTemplateSelection() {
  }

  /** The template to render, or empty to pass the integration's body through. */
  public static Optional<Map.Entry<String, String>> select(Map<String, String> responseTemplates, String accept) {
    if (responseTemplates == null || responseTemplates.isEmpty()) return Optional.empty();
    Map.Entry<String, String> chosen = null;
    if (accept != null) {
      for (String range : accept.split(",")) {
        String type = RequestTemplateSelection.mediaType(range);
        chosen = find(responseTemplates, type);
        if (chosen != null) break;
      }
    }
    if (chosen == null) chosen = find(responseTemplates, RequestTemplateSelection.DEFAULT_CONTENT_TYPE);
    if (chosen == null) chosen = responseTemplates.entrySet().iterator().next();
    String template = chosen.getValue();
    return template == null || template.isEmpty() ? Optional.empty() : Optional.of(Map.entry(chosen.getKey(), template));
  }

  private static Map.Entry<String, String> find(Map<String, String> templates, String mediaType) {
    for (Map.Entry<String, String> e : templates.entrySet()) {
      if (e.getKey() != null && RequestTemplateSelection.mediaType(e.getKey()).equals(mediaType)) return e;
    }
    return null;
  }
}
