package io.eventplane.gateway.apigateway.template;

/**
 * A mapping template that could not be rendered: it does not parse, a function failed on its argument
 * ({@code $util.parseJson} of text that is not JSON, a JSONPath that does not compile, ...), or its output
 * grew past the integration request's payload limit. API Gateway answers such a request with
 * {@code 500 {"message": "Internal server error"}}; the invoke path does the same on this exception.
 */
public final class TemplateException extends RuntimeException {
  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }

  public TemplateException(String message) {
    super(message);
  }
}
