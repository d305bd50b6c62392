package io.eventplane.gateway.apigateway.template;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A REST API's models (JSON Schema draft 4, as API Gateway's models are) compiled for validating request
 * bodies. A model may refer to another of the same API as API Gateway writes it,
 * {@code {"$ref": "https://apigateway.amazonaws.com/restapis/<api id>/models/<name>"}}. Built once per
 * deployed API (it is immutable and thread-safe); validation uses Vert.x's JSON Schema validator.
 */
public final class ModelValidator {
  private static final String MODELS_URI = "https://apigateway.amazonaws.com/restapis/%s/models/%s";
  private final Map<String, Validator> validators = new HashMap<>();

  /**
   * @param apiId the REST API's id (the base of its models' URIs)
   * @param schemas each model's name and schema text
   * @throws IllegalArgumentException if a schema is not a JSON object or not a schema
   */
  public ModelValidator(String apiId, Map<String, String> schemas) {
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT4)
        .setBaseUri(String.format(MODELS_URI, apiId, "")).setOutputFormat(OutputFormat.Basic);
    SchemaRepository repository = SchemaRepository.create(options);
    Map<String, JsonSchema> compiled = new LinkedHashMap<>();
    schemas.forEach((name, text) -> {
      try {
        JsonSchema schema = JsonSchema.of(new JsonObject(text));
        repository.dereference(String.format(MODELS_URI, apiId, name), schema);
        compiled.put(name, schema);
      } catch (DecodeException | ClassCastException | SchemaException e) {
        throw new IllegalArgumentException("model " + name + " is not a JSON schema: " + e.getMessage(), e);
      }
    });
    compiled.forEach((name, schema) -> validators.put(name,
        repository.validator(schema, new JsonSchemaOptions(options).setBaseUri(String.format(MODELS_URI, apiId, name)))));
  }

  /**
   * Validates a body (an empty one as {@code {}}) against a model. A body that is not JSON, or does not
   * match, is "Invalid request body"; a model the API does not have is no validation, as API Gateway skips it.
   */
  public Optional<ValidationFailure> validate(String modelName, String body) {
    Validator validator = validators.get(modelName);
    if (validator == null) return Optional.empty();
    Object instance;
    try {
      instance = Json.decodeValue(body == null || body.isBlank() ? "{}" : body);
    } catch (DecodeException e) {
      return Optional.of(new ValidationFailure(ValidationFailure.INVALID_BODY, "body is not JSON: " + e.getMessage()));
    }
    OutputUnit result;
    try {
      result = validator.validate(instance);
    } catch (SchemaException e) {
      return Optional.of(new ValidationFailure(ValidationFailure.INVALID_BODY, e.getMessage()));
    }
    if (Boolean.TRUE.equals(result.getValid())) return Optional.empty();
    StringBuilder detail = new StringBuilder();
    if (result.getErrors() != null) {
      for (OutputUnit error : result.getErrors()) {
        if (detail.length() > 0) detail.append("; ");
        detail.append(error.getInstanceLocation()).append(": ").append(error.getError());
      }
    }
    if (detail.length() == 0 && result.getError() != null) detail.append(result.getError());
    return Optional.of(new ValidationFailure(ValidationFailure.INVALID_BODY, "[" + detail + "]"));
  }
}
