package io.eventplane.gateway.apigateway.invoke.rest;

import io.eventplane.gateway.apigateway.invoke.InvokeResponse;
import io.eventplane.gateway.apigateway.template.IntegrationResponseSelection;
import io.eventplane.gateway.apigateway.template.RenderedTemplate;
import io.eventplane.gateway.apigateway.template.ResponseTemplateSelection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The method response of a non-proxy integration ("Integration responses for REST APIs"): the
 * integration response the backend's answer selects (the Lambda function's errorMessage, else the
 * backend's status, against each {@code selectionPattern}; the one without a pattern is the default;
 * none: 500 Internal server error), its status code, its response template for the Accept header
 * (none: the backend's body as it is, {@code application/json}), its {@code responseParameters}
 * ({@code method.response.header.X} from {@code 'static'}, {@code integration.response.body},
 * {@code integration.response.body.<JSONPath>}, {@code integration.response.header.Y},
 * {@code method.request.*} and {@code stageVariables.x}) and what the template set in
 * {@code $context.responseOverride}; the payload converted by the integration response's
 * {@code contentHandling} and the Accept header ({@link BinaryPayloads#methodResponse}).
 */
final class IntegrationResponses {
  private IntegrationResponses() {}

  static Future<InvokeResponse> answer(RestInvoke invoke, RestInvoke.Exchange x, AwsServiceCalls.Answer answer, boolean lambda) {
    JsonObject responses = x.integration().getJsonObject("integrationResponses", new JsonObject());
    Map<String, String> patterns = new LinkedHashMap<>();
    for (String status : responses.fieldNames()) {
      patterns.put(status, responses.getJsonObject(status, new JsonObject()).getString("selectionPattern"));
    }
    Optional<String> selected = lambda
        ? IntegrationResponseSelection.forLambda(patterns, answer.errorMessage(), answer.functionError())
        : IntegrationResponseSelection.forStatus(patterns, answer.status());
    if (selected.isEmpty()) return Future.succeededFuture(RestAnswers.internalError());
    JsonObject response = responses.getJsonObject(selected.get(), new JsonObject());
    int status;
    try {
      status = Integer.parseInt(selected.get());
    } catch (NumberFormatException e) {
      return Future.succeededFuture(RestAnswers.internalError());
    }
    Optional<Map.Entry<String, String>> template = ResponseTemplateSelection.select(
        RestInvoke.strings(response.getJsonObject("responseTemplates")), x.request().header("accept"));
    Future<RenderedTemplate> rendered = template.isPresent()
        ? invoke.render(template.get().getValue(), x.variables().withBody(answer.body()))
        : Future.succeededFuture(new RenderedTemplate(answer.body(), io.eventplane.gateway.apigateway.template.Overrides.NONE));
    String contentType = template.map(Map.Entry::getKey).orElse("application/json");
    return rendered.map(out -> {
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      headers.add(Map.entry("Content-Type", contentType));
      JsonObject parameters = response.getJsonObject("responseParameters", new JsonObject());
      for (String name : parameters.fieldNames()) {
        if (!name.startsWith("method.response.header.")) continue;
        String value = value(String.valueOf(parameters.getValue(name)), x, answer);
        if (value == null) continue;
        String header = name.substring("method.response.header.".length());
        headers.removeIf(h -> h.getKey().equalsIgnoreCase(header));
        headers.add(Map.entry(header, value));
      }
      out.overrides().responseHeaders().forEach((name, values) -> {
        headers.removeIf(h -> h.getKey().equalsIgnoreCase(name));
        for (String v : values) headers.add(Map.entry(name, v));
      });
      int finalStatus = out.overrides().responseStatus().orElse(status);
      byte[] body = out.body() == null ? new byte[0] : out.body().getBytes(StandardCharsets.UTF_8);
      try {
        body = x.binary().methodResponse(body, x.request().header("accept"), response.getString("contentHandling"));
      } catch (IllegalArgumentException e) {
        return RestAnswers.internalError();
      }
      return new InvokeResponse(finalStatus, headers, body);
    });
  }

  /** A response parameter's source: a quoted literal or a request, stage or integration response value. */
  private static String value(String source, RestInvoke.Exchange x, AwsServiceCalls.Answer answer) {
    if (source.length() >= 2 && source.startsWith("'") && source.endsWith("'")) return source.substring(1, source.length() - 1);
    if (source.equals("integration.response.body")) return answer.body();
    if (source.startsWith("integration.response.body.")) {
      try {
        Object v = new JsonObject(answer.body());
        for (String step : source.substring("integration.response.body.".length()).split("\\.")) {
          v = v instanceof JsonObject o ? o.getValue(step) : null;
        }
        return v == null ? null : v instanceof JsonObject || v instanceof io.vertx.core.json.JsonArray
            ? io.vertx.core.json.Json.encode(v) : String.valueOf(v);
      } catch (RuntimeException e) {
        return null;
      }
    }
    if (source.startsWith("integration.response.header.")) {
      String name = source.substring("integration.response.header.".length());
      return answer.headers().get(name.toLowerCase(java.util.Locale.ROOT));
    }
    if (source.startsWith("method.request.header.")) return x.request().header(source.substring("method.request.header.".length()));
    if (source.startsWith("method.request.querystring.")) {
      return x.variables().params().querystring().get(source.substring("method.request.querystring.".length()));
    }
    if (source.startsWith("method.request.path.")) return x.match().pathParameters().get(source.substring("method.request.path.".length()));
    if (source.startsWith("stageVariables.")) return x.variables().stageVariables().get(source.substring("stageVariables.".length()));
    return null;
  }
}
