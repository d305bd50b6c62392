package io.eventplane.gateway.apigateway.template;

import static io.eventplane.gateway.apigateway.template.Requests.map;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Request validators with the PetStore model and parameters of AWS's "Request validation for REST APIs"
 * walkthrough: the 400 messages API Gateway sends.
 */
class RequestValidationTest {
  private static final String PET_MODEL = """
      {
        "$schema" : "http://json-schema.org/draft-04/schema#",
        "title" : "Validate POST request body",
        "type" : "object",
        "properties" : {
          "name" : { "type" : "string" },
          "type" : { "type" : "string", "enum" : [ "dog", "cat", "fish" ] },
          "price" : { "type" : "number", "minimum" : 25.0, "maximum" : 500.0 }
        },
        "required" : [ "name", "price", "type" ]
      }""";
  private static final String API = "abcd123456";
  private final ModelValidator models = new ModelValidator(API, Map.of("RequestBodyModel", PET_MODEL,
      "Pets", "{\"type\": \"array\", \"items\": {\"$ref\": \"https://apigateway.amazonaws.com/restapis/" + API
          + "/models/RequestBodyModel\"}}",
      "Discount", "{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"type\": \"number\", \"maximum\": 10,"
          + " \"exclusiveMaximum\": true}"));
  private static final Map<String, String> BODY_MODELS = Map.of("application/json", "RequestBodyModel");

  private Optional<ValidationFailure> validateBody(String body) {
    return RequestValidation.validate(false, true, Map.of(), BODY_MODELS, models, "application/json", RequestParameters.NONE, body);
  }

  @Test
  void validBodyPasses() {
    assertThat(validateBody("{\"name\": \"Rex\", \"type\": \"dog\", \"price\": 249.99}")).isEmpty();
  }

  @Test
  void invalidBodiesAreInvalidRequestBody() {
    for (String body : new String[] {
        "{\"name\": \"Rex\", \"type\": \"bird\", \"price\": 249.99}",
        "{\"name\": \"Rex\", \"type\": \"dog\", \"price\": 2}",
        "{\"name\": \"Rex\", \"type\": \"dog\"}",
        "{\"name\": 7, \"type\": \"dog\", \"price\": 30}",
        "[]", "not json", "{\"name\": ", ""}) {
      Optional<ValidationFailure> failure = validateBody(body);
      assertThat(failure).as(body).isPresent();
      assertThat(failure.get().message()).isEqualTo("Invalid request body");
      assertThat(failure.get().body()).isEqualTo("{\"message\":\"Invalid request body\"}");
    }
    assertThat(validateBody("{\"name\": \"Rex\", \"type\": \"dog\"}").get().detail()).contains("price");
  }

  @Test
  void modelsReferToOtherModelsAndFollowDraft4() {
    assertThat(models.validate("Pets", "[{\"name\": \"a\", \"type\": \"cat\", \"price\": 30}]")).isEmpty();
    assertThat(models.validate("Pets", "[{\"name\": \"a\", \"type\": \"cow\", \"price\": 30}]")).isPresent();
    // Draft 4's boolean exclusiveMaximum.
    assertThat(models.validate("Discount", "9.5")).isEmpty();
    assertThat(models.validate("Discount", "10")).isPresent();
  }

  @Test
  void bodyModelIsChosenByContentType() {
    Map<String, String> byType = Map.of("application/json", "RequestBodyModel", "$default", "Discount");
    String pet = "{\"name\": \"Rex\", \"type\": \"dog\", \"price\": 249.99}";
    assertThat(RequestValidation.validate(false, true, null, byType, models, "application/json; charset=utf-8",
        RequestParameters.NONE, pet)).isEmpty();
    assertThat(RequestValidation.validate(false, true, null, byType, models, null, RequestParameters.NONE, pet)).isEmpty();
    assertThat(RequestValidation.validate(false, true, null, byType, models, "text/plain", RequestParameters.NONE, pet))
        .isPresent();
    assertThat(RequestValidation.validate(false, true, null, Map.of("application/xml", "RequestBodyModel"), models,
        "application/json", RequestParameters.NONE, "anything")).isEmpty();
    assertThat(RequestValidation.validate(false, true, null, Map.of("application/json", "NoSuchModel"), models,
        "application/json", RequestParameters.NONE, "anything")).isEmpty();
    assertThat(RequestValidation.validate(false, false, null, BODY_MODELS, models, null, RequestParameters.NONE, "x")).isEmpty();
  }

  @Test
  void missingRequiredParameters() {
    Map<String, Boolean> declared = new LinkedHashMap<>();
    declared.put("method.request.querystring.q1", true);
    declared.put("method.request.header.h1", true);
    declared.put("method.request.path.petId", true);
    declared.put("method.request.querystring.optional", false);
    RequestParameters none = new RequestParameters(map(entry("petId", "7")), Map.of(), Map.of());
    Optional<ValidationFailure> failure = RequestValidation.validate(true, false, declared, null, models, null, none, "");
    assertThat(failure).isPresent();
    assertThat(failure.get().message()).isEqualTo("Missing required request parameters: [q1, h1]");
    assertThat(failure.get().body()).isEqualTo("{\"message\":\"Missing required request parameters: [q1, h1]\"}");

    RequestParameters blank = new RequestParameters(map(entry("petId", "7")), map(entry("q1", " ")), map(entry("H1", "x")));
    assertThat(RequestValidation.missingParameters(declared, blank).map(ValidationFailure::message))
        .contains("Missing required request parameters: [q1]");
    RequestParameters all = new RequestParameters(map(entry("petId", "7")), map(entry("q1", "cat")), map(entry("h1", "x")));
    assertThat(RequestValidation.validate(true, true, declared, BODY_MODELS, models, null, all,
        "{\"name\": \"Rex\", \"type\": \"dog\", \"price\": 249.99}")).isEmpty();
    // Parameters are checked before the body.
    assertThat(RequestValidation.validate(true, true, declared, BODY_MODELS, models, null, none, "bad").get().message())
        .startsWith("Missing required request parameters");
    assertThat(RequestValidation.validate(false, true, declared, BODY_MODELS, models, null, none, "bad").get().message())
        .isEqualTo("Invalid request body");
  }

  @Test
  void multiValueDeclarationsCountToo() {
    Map<String, Boolean> declared = Map.of("method.request.multivaluequerystring.tag", true,
        "method.request.multivalueheader.X-Tag", true);
    assertThat(RequestValidation.missingParameters(declared, RequestParameters.NONE).get().message())
        .contains("tag").contains("X-Tag");
    assertThat(RequestValidation.missingParameters(declared,
        new RequestParameters(Map.of(), map(entry("tag", "a")), map(entry("x-tag", "b"))))).isEmpty();
  }

  @Test
  void oneValidatorServesConcurrentRequests() throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> {
          for (int n = 0; n < 500; n++) {
            boolean valid = n % 2 == 0;
            String body = "{\"name\": \"p" + n + "\", \"type\": \"" + (valid ? "dog" : "cow") + "\", \"price\": 30}";
            if (models.validate("Pets", "[" + body + "]").isEmpty() != valid) return false;
          }
          return true;
        }));
      }
      for (java.util.concurrent.Future<Boolean> r : results) assertThat(r.get()).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aModelThatIsNotASchemaIsRefused() {
    assertThatThrownBy(() -> new ModelValidator(API, Map.of("Bad", "[1, 2]"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ModelValidator(API, Map.of("Bad", "{"))).isInstanceOf(IllegalArgumentException.class);
  }
}
