package io.eventplane.gateway.apigateway.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A REST API method's request validator (its {@code RequestValidator}'s {@code validateRequestParameters}
 * and {@code validateRequestBody}), as API Gateway applies it before the integration: the required
 * parameters first, then the body against the model for its Content-Type.
 */
public final class RequestValidation {
  private static final String PREFIX = "method.request.";

  private RequestValidation() {
  }

  /**
   * @param validateParameters the validator's {@code validateRequestParameters}
   * @param validateBody the validator's {@code validateRequestBody}
   * @param requestParameters the method's {@code requestParameters} ({@code method.request.querystring.q} to required)
   * @param requestModels the method's {@code requestModels} (content type to model name)
   * @param models the API's models, compiled
   * @param contentType the request's Content-Type (none is {@code application/json})
   */
  public static Optional<ValidationFailure> validate(boolean validateParameters, boolean validateBody,
      Map<String, Boolean> requestParameters, Map<String, String> requestModels, ModelValidator models,
      String contentType, RequestParameters params, String body) {
    if (validateParameters) {
      Optional<ValidationFailure> missing = missingParameters(requestParameters, params);
      if (missing.isPresent()) return missing;
    }
    if (validateBody) {
      String model = modelFor(requestModels, contentType);
      if (model != null) return models.validate(model, body);
    }
    return Optional.empty();
  }

  /**
   * The required parameters that are absent or blank, in the order the method declares them:
   * {@code Missing required request parameters: [q1, Authorization]}.
   */
  public static Optional<ValidationFailure> missingParameters(Map<String, Boolean> requestParameters, RequestParameters params) {
    if (requestParameters == null) return Optional.empty();
    List<String> missing = new ArrayList<>();
    requestParameters.forEach((key, required) -> {
      if (!Boolean.TRUE.equals(required) || key == null || !key.startsWith(PREFIX)) return;
      String rest = key.substring(PREFIX.length());
      int dot = rest.indexOf('.');
      if (dot < 0) return;
      String where = rest.substring(0, dot);
      String name = rest.substring(dot + 1);
      Map<String, String> source = switch (where) {
        case "path" -> params.path();
        case "querystring", "multivaluequerystring" -> params.querystring();
        case "header", "multivalueheader" -> params.header();
        default -> null;
      };
      if (source == null) return;
      String value = source.get(name);
      if (value == null || value.isBlank()) missing.add(name);
    });
    if (missing.isEmpty()) return Optional.empty();
    String message = "Missing required request parameters: [" + String.join(", ", missing) + "]";
    return Optional.of(new ValidationFailure(message, message));
  }

  /** The model for the body's media type, else the {@code $default} one, else none. */
  static String modelFor(Map<String, String> requestModels, String contentType) {
    if (requestModels == null || requestModels.isEmpty()) return null;
    String wanted = RequestTemplateSelection.mediaType(contentType);
    for (Map.Entry<String, String> e : requestModels.entrySet()) {
      if (e.getKey() != null && RequestTemplateSelection.mediaType(e.getKey()).equals(wanted)) return e.getValue();
    }
    return requestModels.get("$default");
  }
}
