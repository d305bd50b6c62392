package io.eventplane.gateway.apigateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.gateway.apigateway.template.RequestTemplateSelection.Outcome;
import io.eventplane.gateway.apigateway.template.RequestTemplateSelection.PassThrough;
import io.eventplane.gateway.apigateway.template.RequestTemplateSelection.Transform;
import io.eventplane.gateway.apigateway.template.RequestTemplateSelection.Unsupported;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which template or integration response applies: the tables of "Method request behavior for payloads
 * without mapping templates" and the selection-pattern rules of integration responses.
 */
class SelectionTest {
  private static final Map<String, String> JSON_TEMPLATE = Map.of("application/json", "json template");
  private static final Map<String, String> XML_TEMPLATE = Map.of("application/xml", "xml template");

  private static String outcome(Outcome o) {
    if (o instanceof Transform t) return "transform:" + t.template();
    if (o instanceof PassThrough) return "passthrough";
    if (o instanceof Unsupported) return "415";
    throw new AssertionError(o);
  }

  @ParameterizedTest(name = "json template, Content-Type {0}, {1}: {2}")
  @CsvSource(nullValues = "NONE", value = {
      "NONE,WHEN_NO_MATCH,transform:json template",
      "NONE,WHEN_NO_TEMPLATES,transform:json template",
      "NONE,NEVER,transform:json template",
      "application/json,WHEN_NO_MATCH,transform:json template",
      "application/json,WHEN_NO_TEMPLATES,transform:json template",
      "application/json,NEVER,transform:json template",
      "application/xml,WHEN_NO_MATCH,passthrough",
      "application/xml,WHEN_NO_TEMPLATES,415",
      "application/xml,NEVER,415"})
  void example1OneTemplateForApplicationJson(String contentType, PassthroughBehavior behavior, String expected) {
    assertThat(outcome(RequestTemplateSelection.select(behavior, JSON_TEMPLATE, contentType))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "xml template, Content-Type {0}, {1}: {2}")
  @CsvSource(nullValues = "NONE", value = {
      "NONE,WHEN_NO_MATCH,passthrough",
      "NONE,WHEN_NO_TEMPLATES,415",
      "NONE,NEVER,415",
      "application/json,WHEN_NO_MATCH,passthrough",
      "application/json,WHEN_NO_TEMPLATES,415",
      "application/json,NEVER,415",
      "application/xml,WHEN_NO_MATCH,transform:xml template",
      "application/xml,WHEN_NO_TEMPLATES,transform:xml template",
      "application/xml,NEVER,transform:xml template"})
  void example2OneTemplateForApplicationXml(String contentType, PassthroughBehavior behavior, String expected) {
    assertThat(outcome(RequestTemplateSelection.select(behavior, XML_TEMPLATE, contentType))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "no templates, Content-Type {0}, {1}: {2}")
  @CsvSource(nullValues = "NONE", value = {
      "NONE,WHEN_NO_MATCH,passthrough",
      "NONE,WHEN_NO_TEMPLATES,passthrough",
      "NONE,NEVER,415",
      "application/json,WHEN_NO_MATCH,passthrough",
      "application/json,WHEN_NO_TEMPLATES,passthrough",
      "application/json,NEVER,415",
      "application/xml,WHEN_NO_MATCH,passthrough",
      "application/xml,WHEN_NO_TEMPLATES,passthrough",
      "application/xml,NEVER,415"})
  void example3NoTemplates(String contentType, PassthroughBehavior behavior, String expected) {
    assertThat(outcome(RequestTemplateSelection.select(behavior, Map.of(), contentType))).isEqualTo(expected);
    assertThat(outcome(RequestTemplateSelection.select(behavior, null, contentType))).isEqualTo(expected);
  }

  @Test
  void contentTypeIsComparedWithoutParametersOrCase() {
    assertThat(outcome(RequestTemplateSelection.select(PassthroughBehavior.NEVER, JSON_TEMPLATE, "Application/JSON; charset=UTF-8")))
        .isEqualTo("transform:json template");
    assertThat(outcome(RequestTemplateSelection.select(PassthroughBehavior.NEVER, Map.of("Application/Json", "t"), "application/json")))
        .isEqualTo("transform:t");
    assertThat(outcome(RequestTemplateSelection.select(PassthroughBehavior.NEVER, JSON_TEMPLATE, "  ")))
        .isEqualTo("transform:json template");
    assertThat(outcome(RequestTemplateSelection.select(PassthroughBehavior.NEVER, JSON_TEMPLATE, "text/plain"))).isEqualTo("415");
  }

  @Test
  void anEmptyTemplatePassesTheBodyThrough() {
    Map<String, String> empty = new HashMap<>();
    empty.put("application/json", null);
    assertThat(outcome(RequestTemplateSelection.select(PassthroughBehavior.NEVER, empty, null))).isEqualTo("passthrough");
    assertThat(outcome(RequestTemplateSelection.select(PassthroughBehavior.NEVER, Map.of("application/json", ""), null)))
        .isEqualTo("passthrough");
  }

  @Test
  void passthroughBehaviorValues() {
    assertThat(PassthroughBehavior.of(null)).isEqualTo(PassthroughBehavior.WHEN_NO_MATCH);
    assertThat(PassthroughBehavior.of("when_no_templates")).isEqualTo(PassthroughBehavior.WHEN_NO_TEMPLATES);
    assertThat(PassthroughBehavior.of("NEVER")).isEqualTo(PassthroughBehavior.NEVER);
    assertThat(RequestTemplateSelection.Unsupported.BODY).isEqualTo("{\"message\": \"Unsupported Media Type\"}");
  }

  @Test
  void responseTemplateByAcceptThenJsonThenFirst() {
    Map<String, String> both = new LinkedHashMap<>();
    both.put("application/xml", "xml");
    both.put("application/json", "json");
    assertThat(ResponseTemplateSelection.select(both, "application/xml")).contains(Map.entry("application/xml", "xml"));
    assertThat(ResponseTemplateSelection.select(both, "text/html, application/xml;q=0.9")).contains(Map.entry("application/xml", "xml"));
    assertThat(ResponseTemplateSelection.select(both, null)).contains(Map.entry("application/json", "json"));
    assertThat(ResponseTemplateSelection.select(both, "*/*")).contains(Map.entry("application/json", "json"));
    assertThat(ResponseTemplateSelection.select(Map.of("text/html", "html"), "application/json")).contains(Map.entry("text/html", "html"));
    assertThat(ResponseTemplateSelection.select(Map.of(), "application/json")).isEmpty();
    Map<String, String> empty = new HashMap<>();
    empty.put("application/json", null);
    assertThat(ResponseTemplateSelection.select(empty, null)).isEmpty();
  }

  private static Map<String, String> lambdaResponses() {
    Map<String, String> r = new HashMap<>();
    r.put("200", null);
    r.put("400", ".*\\[BadRequest\\].*");
    r.put("404", "Not found.*");
    r.put("500", "(\\n|.)*Exception(\\n|.)*");
    return r;
  }

  @Test
  void lambdaErrorMessageSelectsByPattern() {
    assertThat(IntegrationResponseSelection.forLambda(lambdaResponses(), null, false)).contains("200");
    assertThat(IntegrationResponseSelection.forLambda(lambdaResponses(), "Not found: pet 7", true)).contains("404");
    assertThat(IntegrationResponseSelection.forLambda(lambdaResponses(), "oops [BadRequest] name", true)).contains("400");
    // The whole message must match, and . does not match a line break.
    assertThat(IntegrationResponseSelection.forLambda(lambdaResponses(), "Pet Not found", true)).contains("200");
    assertThat(IntegrationResponseSelection.forLambda(lambdaResponses(), "line one\n[BadRequest]", true)).contains("200");
    assertThat(IntegrationResponseSelection.forLambda(lambdaResponses(), "boom\nNullPointerException\nat x", true)).contains("500");
    // A function error no pattern matches goes to the default, as API Gateway does (with the default's status).
    assertThat(IntegrationResponseSelection.forLambda(lambdaResponses(), "something else", true)).contains("200");
  }

  @Test
  void httpStatusSelectsByPattern() {
    Map<String, String> r = new HashMap<>();
    r.put("200", "");
    r.put("400", "4\\d{2}");
    r.put("502", "5\\d{2}");
    r.put("503", "(");
    assertThat(IntegrationResponseSelection.forStatus(r, 200)).contains("200");
    assertThat(IntegrationResponseSelection.forStatus(r, 404)).contains("400");
    assertThat(IntegrationResponseSelection.forStatus(r, 503)).contains("502");
    assertThat(IntegrationResponseSelection.forStatus(r, 302)).contains("200");
  }

  @Test
  void noDefaultAndNoMatchIsNothing() {
    assertThat(IntegrationResponseSelection.forStatus(Map.of("400", "4\\d{2}"), 200)).isEqualTo(Optional.empty());
    assertThat(IntegrationResponseSelection.forLambda(Map.of("400", "Bad.*"), null, false)).isEmpty();
    assertThat(IntegrationResponseSelection.forStatus(Map.of(), 200)).isEmpty();
  }
}
