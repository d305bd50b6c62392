package io.eventplane.gateway.apigateway.template;

import java.util.Map;

/**
 * {@code $input} of a mapping template: the payload (the method request's in a request template, the
 * integration response's in a response template) and the method request's parameters.
 *
 * <p>Public because Velocity only calls public methods of public classes; its constructor is not.
 */
public final class TemplateInput {
  private final String body;
  private final RequestParameters params;
  private final JsonPayload payload;

  TemplateInput(String body, RequestParameters params) {
    this.body = body == null || body.isEmpty() ? "{}" : body;
    this.params = params;
    this.payload = new JsonPayload(body);
  }

  /** {@code $input.body}: the raw payload; an empty one is {@code {}}, as API Gateway gives it. */
  public String getBody() {
    return body;
  }

  /** {@code $input.json(x)}: the value at JSONPath {@code x} as JSON text ({@code null} when there is none). */
  public String json(String path) {
    return JsonPayload.toJson(payload.read(path));
  }

  /** {@code $input.path(x)}: the value at JSONPath {@code x} as maps, lists, strings and numbers to navigate. */
  public Object path(String path) {
    return payload.read(path);
  }

  /** {@code $input.params()}: {@code path}, {@code querystring} and {@code header}, each name to value. */
  public Map<String, Map<String, String>> params() {
    return params.all();
  }

  /** {@code $input.params(x)}: the parameter's value from the path, else the query string, else the headers; "" if none. */
  public String params(String name) {
    return params.find(name);
  }

  @Override
  public String toString() {
    return "$input";
  }
}
