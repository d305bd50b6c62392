package io.eventplane.gateway.apigateway.invoke;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of an integration's request parameters, as the developer guide's "Transforming API
 * requests and responses for HTTP APIs" defines them: {@code $request.header.name},
 * {@code $request.querystring.name}, {@code $request.path.name}, {@code $request.body} and
 * {@code $request.body.a.b[0].c} (a JSON path into a JSON body), {@code $context.variable},
 * {@code $stageVariables.name}, also written {@code ${request.header.name}}, and static text around
 * them; for response parameters also {@code $response.header.name} (repeats comma-joined) and
 * {@code $response.body.a.b} over the integration's answer ({@link #withResponse}). A value that is not text (an object, a number) takes its JSON form; what is missing is empty.
 */
final class ParameterMapping {
  private static final Pattern EXPRESSION = Pattern.compile(
      "\\$\\{(request|response|context|stageVariables)((?:\\.[^}]*)?)}|\\$(request|response|context|stageVariables)((?:\\.[A-Za-z0-9_\\-]+(?:\\[\\d+])*)*)");

  private final InvokeRequest request;
  private final Map<String, String> pathParameters;
  private final Map<String, String> stageVariables;
  private final Map<String, Object> context;
  private Object body;
  private boolean bodyRead;
  /** The integration's answer, for response parameters ({@code $response.*}); null for request parameters. */
  private InvokeResponse response;
  private Object responseBody;
  private boolean responseBodyRead;

  /** @param context the {@code $context} variables (requestId, apiId, stage ...) */
  ParameterMapping(InvokeRequest request, Map<String, String> pathParameters, Map<String, String> stageVariables,
      Map<String, Object> context) {
    this.request = request;
    this.pathParameters = pathParameters;
    this.stageVariables = stageVariables;
    this.context = context;
  }

  /** The same values with {@code $response.header.x} and {@code $response.body.a.b} read from an integration's answer. */
  ParameterMapping withResponse(InvokeResponse answer) {
    ParameterMapping out = new ParameterMapping(request, pathParameters, stageVariables, context);
    out.response = answer;
    return out;
  }

  /** The mapped parameters, each value evaluated. */
  JsonObject apply(JsonObject parameters) {
    JsonObject out = new JsonObject();
    if (parameters == null) return out;
    for (String name : parameters.fieldNames()) out.put(name, evaluate(String.valueOf(parameters.getValue(name))));
    return out;
  }

  String evaluate(String template) {
    Matcher m = EXPRESSION.matcher(template);
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (m.find()) {
      out.append(template, at, m.start());
      String source = m.group(1) != null ? m.group(1) : m.group(3);
      String path = m.group(1) != null ? m.group(2) : m.group(4);
      int end = m.end();
      // Only header names (and body keys) have hyphens: after a stage variable or context variable one is text.
      if (m.group(3) != null && !source.equals("request") && !source.equals("response") && path.indexOf('-') >= 0) {
        end -= path.length() - path.indexOf('-');
        path = path.substring(0, path.indexOf('-'));
      }
      out.append(resolve(source, path.isEmpty() ? "" : path.substring(1)));
      at = end;
    }
    return out.append(template.substring(at)).toString();
  }

  private String resolve(String source, String path) {
    switch (source) {
      case "stageVariables":
        return orEmpty(stageVariables.get(path));
      case "context": {
        Object v = context.get(path);
        return v == null ? "" : String.valueOf(v);
      }
      default:
        break;
    }
    int dot = path.indexOf('.');
    String part = dot < 0 ? path : path.substring(0, dot);
    String name = dot < 0 ? "" : path.substring(dot + 1);
    if (source.equals("response")) return response == null ? "" : fromResponse(part, name);
    switch (part) {
      case "header":
        return orEmpty(request.header(name));
      case "querystring": {
        List<String> values = QueryStrings.parse(request.rawQuery()).get(name);
        return values == null ? "" : String.join(",", values);
      }
      case "path":
        return orEmpty(pathParameters.get(name));
      case "body":
        return name.isEmpty() ? new String(request.body(), StandardCharsets.UTF_8) : text(walk(body(), name));
      default:
        return "";
    }
  }

  private String fromResponse(String part, String name) {
    switch (part) {
      case "header": {
        List<String> values = new java.util.ArrayList<>();
        for (Map.Entry<String, String> h : response.headers()) if (h.getKey().equalsIgnoreCase(name)) values.add(h.getValue());
        return String.join(",", values);
      }
      case "body":
        if (name.isEmpty()) return new String(response.body(), StandardCharsets.UTF_8);
        if (!responseBodyRead) {
          responseBodyRead = true;
          try {
            responseBody = response.body().length == 0 ? null : Json.decodeValue(io.vertx.core.buffer.Buffer.buffer(response.body()));
          } catch (RuntimeException e) {
            responseBody = null;
          }
        }
        return text(walk(responseBody, name));
      default:
        return "";
    }
  }

  private Object body() {
    if (!bodyRead) {
      bodyRead = true;
      try {
        body = request.body().length == 0 ? null : Json.decodeValue(io.vertx.core.buffer.Buffer.buffer(request.body()));
      } catch (RuntimeException e) {
        body = null;
      }
    }
    return body;
  }

  /** Follows {@code a.b[0].c} into a JSON value; null where it leads nowhere. */
  static Object walk(Object value, String path) {
    Object at = value;
    for (String step : path.split("\\.")) {
      Matcher m = Pattern.compile("([^\\[]*)((?:\\[\\d+])*)").matcher(step);
      if (!m.matches()) return null;
      if (!m.group(1).isEmpty()) {
        if (!(at instanceof JsonObject o)) return null;
        at = o.getValue(m.group(1));
      }
      Matcher index = Pattern.compile("\\[(\\d+)]").matcher(m.group(2));
      while (index.find()) {
        int i = Integer.parseInt(index.group(1));
        if (!(at instanceof JsonArray a) || i >= a.size()) return null;
        at = a.getValue(i);
      }
    }
    return at;
  }

  private static String text(Object v) {
    if (v == null) return "";
    return v instanceof String s ? s : Json.encode(v);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
