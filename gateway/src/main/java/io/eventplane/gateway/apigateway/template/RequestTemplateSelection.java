package io.eventplane.gateway.apigateway.template;

import java.util.Locale;
import java.util.Map;

/**
 * Which request template transforms a method request, by its Content-Type and the integration's
 * {@link PassthroughBehavior}, as API Gateway decides it: a request without a Content-Type counts as
 * {@code application/json}; the media type is compared without its parameters ({@code ; charset=...}) and
 * without regard to case; a template that is null or empty passes the body through.
 */
public final class RequestTemplateSelection {
  public static final String DEFAULT_CONTENT_TYPE = "application/json";

  /** The outcome: transform with a template, pass the body through, or answer 415. */
  public sealed interface Outcome permits Transform, PassThrough, Unsupported {
  }

  /** Render {@code template} (the one registered for {@code contentType}). */
  public record Transform(String contentType, String template) implements Outcome {
  }

  /** Send the method request's body to the integration unchanged. */
  public record PassThrough() implements Outcome {
  }

  /** {@code 415 {"message": "Unsupported Media Type"}}. */
  public record Unsupported() implements Outcome {
    /** API Gateway's body for this answer. */
    public static final String BODY = "{\"message\": \"Unsupported Media Type\"}";
  }

  private RequestTemplateSelection() {
  }

  /**
   * @param behavior the integration's passthrough behavior
   * @param requestTemplates the integration's {@code requestTemplates} (content type to template), may be null
   * @param contentType the method request's Content-Type header, may be null
   */
  public static Outcome select(PassthroughBehavior behavior, Map<String, String> requestTemplates, String contentType) {
    Map<String, String> templates = requestTemplates == null ? Map.of() : requestTemplates;
    String wanted = mediaType(contentType);
    for (Map.Entry<String, String> e : templates.entrySet()) {
      if (e.getKey() != null && mediaType(e.getKey()).equals(wanted)) {
        String template = e.getValue();
        return template == null || template.isEmpty() ? new PassThrough() : new Transform(e.getKey(), template);
      }
    }
    return switch (behavior) {
      case WHEN_NO_MATCH -> new PassThrough();
      case WHEN_NO_TEMPLATES -> templates.isEmpty() ? new PassThrough() : new Unsupported();
      case NEVER -> new Unsupported();
    };
  }

  /** {@code Application/JSON; charset=UTF-8} is {@code application/json}; none is {@code application/json}. */
  static String mediaType(String contentType) {
    if (contentType == null) return DEFAULT_CONTENT_TYPE;
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return type.isEmpty() ? DEFAULT_CONTENT_TYPE : type;
  }
}
