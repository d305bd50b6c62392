package io.eventplane.gateway.apigateway.template;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.JsonPathException;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JsonSmartJsonProvider;
import com.jayway.jsonpath.spi.mapper.JsonSmartMappingProvider;
import net.minidev.json.JSONValue;

/**
 * A payload as {@code $input.json} and {@code $input.path} see it: parsed once, on first use, with the
 * JSONPath library API Gateway's reference points to (Jayway JsonPath) and its default json-smart
 * reader. That reader decides what templates print: objects become {@code LinkedHashMap}s (printed
 * {@code {a=1, b=x}}), arrays json-smart arrays (printed as JSON), and it is lenient: text that is not
 * JSON is read as one string. An empty payload reads as {@code {}}, as on API Gateway.
 *
 * <p>The parsed document is shared by every call of one render, so {@code #set($b = $input.path('$'))}
 * followed by {@code #set($b.url = "...")} changes what a later {@code $input.json('$')} prints, as it does
 * on API Gateway. Not thread-safe: one instance per render.
 */
final class JsonPayload {
  private static final Configuration JSON_SMART = Configuration.builder()
      .jsonProvider(new JsonSmartJsonProvider())
      .mappingProvider(new JsonSmartMappingProvider())
      .options(Option.SUPPRESS_EXCEPTIONS)
      .build();

  private final String text;
  private DocumentContext document;

  JsonPayload(String text) {
    this.text = text == null || text.isEmpty() ? "{}" : text;
  }

  /** The value at a JSONPath (null when nothing is there; a list for a path with wildcards or filters). */
  Object read(String path) {
    if (path == null) throw new TemplateException("a JSONPath expression is required");
    try {
      return document().read(path);
    } catch (InvalidPathException e) {
      throw new TemplateException("invalid JSONPath expression " + path + ": " + e.getMessage(), e);
    } catch (JsonPathException e) {
      throw new TemplateException("cannot evaluate " + path + ": " + e.getMessage(), e);
    }
  }

  private DocumentContext document() {
    if (document == null) document = JsonPath.using(JSON_SMART).parse(parse(text));
    return document;
  }

  /** Reads JSON text as {@code $util.parseJson} and the payload do: leniently, json-smart's way. */
  static Object parse(String json) {
    try {
      return JSON_SMART.jsonProvider().parse(json);
    } catch (JsonPathException e) {
      throw new TemplateException("not JSON: " + e.getMessage(), e);
    }
  }

  /**
   * JSON text for a value read from a payload ({@code null} for nothing), written as json-smart writes by
   * default, and so as the arrays that {@code $input.path} hands out print themselves: compact, with
   * {@code /} escaped as {@code \/}.
   */
  static String toJson(Object value) {
    return JSONValue.toJSONString(value);
  }
}
