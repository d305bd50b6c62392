package io.eventplane.gateway.apigateway.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code $util}'s functions and the overrides a template sets in {@code $context}. */
class TemplateUtilTest {
  private final TemplateUtil util = TemplateUtil.INSTANCE;
  private final MappingTemplates templates = new MappingTemplates();

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "it's|it\\'s",
      "\"\"|\\\"\\\"",
      "{\"foo\": 123}|{\\\"foo\\\": 123}",
      "a/b\\c|a\\/b\\\\c",
      "0010|0010",
      "caf\u00e9 \u20ac \uD83D\uDE00|caf\\u00E9 \\u20AC \\uD83D\\uDE00",
      "`tab\tnl\ncr\rbs\bff\f`|tab\\tnl\\ncr\\rbs\\bff\\f",
      "`\u0001\u001f\u007f`|\\u0001\\u001F\u007f"})
  void escapeJavaScriptAsCommonsLang(String in, String out) {
    assertThat(util.escapeJavaScript(in)).isEqualTo(out);
  }

  @Test
  void escapeJavaScriptOfNonStrings() {
    assertThat(util.escapeJavaScript(1)).isEqualTo("1");
    assertThat(util.escapeJavaScript(true)).isEqualTo("true");
    assertThat(util.escapeJavaScript(null)).isNull();
  }

  @Test
  void urlEncodingIsFormEncoding() {
    assertThat(util.urlEncode("x=a+b c&d/\u00e9*~")).isEqualTo("x%3Da%2Bb+c%26d%2F%C3%A9*%7E");
    assertThat(util.urlDecode("x%3Da+b%2Bc%C3%A9")).isEqualTo("x=a b+c\u00e9");
    assertThat(util.urlDecode(util.urlEncode("round trip \u00e9 & = +"))).isEqualTo("round trip \u00e9 & = +");
  }

  @Test
  void base64IsOfUtf8() {
    assertThat(util.base64Encode("caf\u00e9")).isEqualTo("Y2Fmw6k=");
    assertThat(util.base64Decode("Y2Fmw6k=")).isEqualTo("caf\u00e9");
    assertThat(util.base64Decode("Y2Fm\r\nw6k=")).isEqualTo("caf\u00e9");
    assertThat(util.base64Encode("")).isEmpty();
  }

  @Test
  void parseJsonGivesNavigableValues() {
    assertThat(util.parseJson("[1,2,3]")).isEqualTo(List.of(1, 2, 3));
    assertThat(util.parseJson("{\"key1\":\"var1\",\"key2\":{\"arr\":[1,2,3]}}"))
        .isEqualTo(Map.of("key1", "var1", "key2", Map.of("arr", List.of(1, 2, 3))));
    assertThat(util.parseJson("\"string\"")).isEqualTo("string");
    assertThat(util.parseJson("1")).isEqualTo(1);
    assertThat(util.parseJson("true")).isEqualTo(true);
    assertThat(util.parseJson("[]")).isEqualTo(List.of());
  }

  @Test
  void requestAndResponseOverrides() {
    String template = """
        #set($context.requestOverride.header.oHeader = "1header")
        #set($context.requestOverride.header.multivalue = ["1header", "2header"])
        #set($context.requestOverride.path.proxy = "proxy")
        #set($context.requestOverride.querystring.query = "query")
        #set($context.responseOverride.status = 400)
        #set($context.responseOverride.header.Retry-After = "5")
        body""";
    RenderedTemplate rendered = templates.render(template, Requests.body("{}"));
    assertThat(rendered.body()).isEqualTo("body");
    Overrides o = rendered.overrides();
    assertThat(o.requestHeaders()).containsExactly(Map.entry("oHeader", List.of("1header")),
        Map.entry("multivalue", List.of("1header", "2header")));
    assertThat(o.requestPath()).containsExactly(Map.entry("proxy", List.of("proxy")));
    assertThat(o.requestQuerystring()).containsExactly(Map.entry("query", List.of("query")));
    assertThat(o.responseHeaders()).containsExactly(Map.entry("Retry-After", List.of("5")));
    assertThat(o.responseStatus()).isEqualTo(OptionalInt.of(400));
  }

  @Test
  void statusOverrideAsTextAndNoOverrides() {
    assertThat(templates.render("#set($context.responseOverride.status = '404')", Requests.body("")).overrides().responseStatus())
        .isEqualTo(OptionalInt.of(404));
    assertThat(templates.render("plain", Requests.body("")).overrides()).isEqualTo(Overrides.NONE);
  }

  @Test
  void eachRenderStartsWithFreshOverrides() {
    templates.render("#set($context.requestOverride.header.x = 'y')", Requests.body(""));
    assertThat(templates.render("#set($n = 1)", Requests.body("")).overrides()).isEqualTo(Overrides.NONE);
  }
}
