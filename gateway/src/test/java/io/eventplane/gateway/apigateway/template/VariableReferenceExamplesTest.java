package io.eventplane.gateway.apigateway.template;

import static io.eventplane.gateway.apigateway.template.Requests.map;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The examples of API Gateway's "mapping template and access logging variable reference" and "Examples
 * using variables for mapping template transformations", rendered to the exact text.
 */
class VariableReferenceExamplesTest {
  private final MappingTemplates templates = new MappingTemplates();

  private String render(String template, TemplateVariables variables) {
    return templates.render(template, variables).body();
  }

  @Test
  void contextVariablesExample() {
    String template = """
        {
            "stage" : "$context.stage",
            "request_id" : "$context.requestId",
            "api_id" : "$context.apiId",
            "resource_path" : "$context.resourcePath",
            "resource_id" : "$context.resourceId",
            "http_method" : "$context.httpMethod",
            "source_ip" : "$context.identity.sourceIp",
            "user-agent" : "$context.identity.userAgent",
            "account_id" : "$context.identity.accountId",
            "api_key" : "$context.identity.apiKey",
            "caller" : "$context.identity.caller",
            "user" : "$context.identity.user",
            "user_arn" : "$context.identity.userArn"
        }""";
    assertThat(render(template, Requests.body(""))).isEqualTo("""
        {
            "stage" : "prod",
            "request_id" : "abcdefg-000-000-0000-abcdefg",
            "api_id" : "abcd1234",
            "resource_path" : "/",
            "resource_id" : "efg567",
            "http_method" : "GET",
            "source_ip" : "192.0.2.1",
            "user-agent" : "curl/7.84.0",
            "account_id" : "111122223333",
            "api_key" : "MyTestKey",
            "caller" : "ABCD-0000-12345",
            "user" : "ABCD-0000-12345",
            "user_arn" : "arn:aws:sts::111122223333:assumed-role/Admin/carlos-salazar"
        }""");
  }

  @Test
  void otherContextVariables() {
    String template = "$context.accountId|$context.extendedRequestId|$context.path|$context.protocol|$context.domainName"
        + "|$context.domainPrefix|$context.requestTime|$context.requestTimeEpoch";
    assertThat(render(template, Requests.body(""))).isEqualTo("111122223333|ZxVvXGv3oAMF2ng=|/prod/|HTTP/1.1"
        + "|abcd1234.execute-api.us-east-1.amazonaws.com|abcd1234|05/Dec/2026:09:04:05 +0000|1796461445123");
  }

  @Test
  void authorizerContextValuesAreStringified() {
    // The reference: a Lambda authorizer's context {"key": "value", "numKey": 1, "boolKey": true} reads as strings.
    String template = "$context.authorizer.principalId $context.authorizer.key $context.authorizer.numKey"
        + " $context.authorizer.boolKey #if($context.authorizer.numKey == \"1\")string#end [$context.authorizer.claims.sub]";
    assertThat(render(template, Requests.body(""))).isEqualTo("user|a1b2c3d4 value 1 true string []");
  }

  @Test
  void passAllRequestParametersExample() throws Exception {
    String template = """
        #set($allParams = $input.params())
        {
          "params" : {
            #foreach($type in $allParams.keySet())
            #set($params = $allParams.get($type))
            "$type" : {
              #foreach($paramName in $params.keySet())
              "$paramName" : "$util.escapeJavaScript($params.get($paramName))"
              #if($foreach.hasNext),#end
              #end
            }
            #if($foreach.hasNext),#end
            #end
          }
        }
        """;
    RequestParameters params = new RequestParameters(map(entry("petId", "7")), map(entry("type", "dog's")),
        map(entry("Accept", "*/*"), entry("Host", "abcd1234.execute-api.us-east-1.amazonaws.com")));
    String rendered = render(template, Requests.of("", params));
    // Velocity 1.7's whitespace: a #set line leaves nothing, another directive's line leaves its indentation.
    assertThat(rendered).isEqualTo("""
        {
          "params" : {
                "path" : {
                    "petId" : "7"
                        }
            ,        "header" : {
                    "Accept" : "*\\/*"
              ,            "Host" : "abcd1234.execute-api.us-east-1.amazonaws.com"
                        }
            ,        "querystring" : {
                    "type" : "dog\\'s"
                        }
                  }
        }
        """);
    // The output is what the example outlines (escapeJavaScript's \' aside, which JSON does not allow).
    Map<?, ?> parsed = new ObjectMapper().readValue(rendered.replace("\\'", "'"), Map.class);
    assertThat(parsed).isEqualTo(Map.of("params", Map.of("path", Map.of("petId", "7"), "querystring", Map.of("type", "dog's"),
        "header", Map.of("Accept", "*/*", "Host", "abcd1234.execute-api.us-east-1.amazonaws.com"))));
  }

  @Test
  void nameFromQueryStringAndWholeBody() {
    String template = """
        {
            "name" : "$input.params('name')",
            "body" : $input.json('$')\s
        }""";
    RequestParameters params = new RequestParameters(Map.of(), map(entry("name", "me")), Map.of());
    assertThat(render(template, Requests.of("{\"mykey\": {\"a\": [1, 2.5, \"x\"]}, \"other\": true}", params)))
        .isEqualTo("""
            {
                "name" : "me",
                "body" : {"mykey":{"a":[1,2.5,"x"]},"other":true}\s
            }""");
  }

  @Test
  void oneMemberOfTheBody() {
    String template = """
        {
            "name" : "$input.params('name')",
            "body" : $input.json('$.mykey') \s
        }""";
    RequestParameters params = new RequestParameters(Map.of(), map(entry("name", "me")), Map.of());
    assertThat(render(template, Requests.of("{\"mykey\": {\"a\": \"it's\"}}", params))).isEqualTo("""
        {
            "name" : "me",
            "body" : {"a":"it's"} \s
        }""");
    String escaped = "{\"body\" : $util.escapeJavaScript($input.json('$.mykey'))}";
    assertThat(render(escaped, Requests.of("{\"mykey\": {\"a\": \"it's\"}}", params)))
        .isEqualTo("{\"body\" : {\\\"a\\\":\\\"it\\'s\\\"}}");
  }

  @Test
  void requestAndResponseUsingAllThreeFunctions() {
    String template = """
        {
            "id" : "$input.params('id')",
            "count" : "$input.path('$.things').size()",
            "things" : $util.escapeJavaScript($input.json('$.things'))
        }""";
    RequestParameters params = new RequestParameters(map(entry("id", "abc")), Map.of(), Map.of());
    String body = """
        {
            "things" : {
                "1" : {},
                "2" : {},
                "3" : {}
            }
        }""";
    assertThat(render(template, Requests.of(body, params))).isEqualTo("""
        {
            "id" : "abc",
            "count" : "3",
            "things" : {\\"1\\":{},\\"2\\":{},\\"3\\":{}}
        }""");
  }

  @Test
  void pathGivesObjectsToNavigate() {
    String pets = """
        {"pets": [
          {"id": 1, "type": "dog", "price": 249.99},
          {"id": 2, "type": "cat", "price": 124.99},
          {"id": 3, "type": "fish", "price": 0.99}
        ]}""";
    String template = "$input.path('$.pets').size() #foreach($p in $input.path('$.pets'))$p.type=$p.price;#end"
        + " $input.path('$.pets[1].type') $input.path('$.pets')[2].id $input.path('$.pets[?(@.price < 1)].type')";
    assertThat(render(template, Requests.body(pets))).isEqualTo("3 dog=249.99;cat=124.99;fish=0.99; cat 3 [\"fish\"]");
  }

  @Test
  void pathValuesPrintAsApiGatewayPrintsThem() {
    // Objects print as Java maps, arrays (and what is inside them) as JSON: API Gateway's JSON reader's types.
    String body = "{\"a\": 1, \"b\": [{\"c\": 5}, \"http://x\"], \"d\": {\"e\": null}}";
    assertThat(render("$input.path('$')|$input.path('$.b')|$input.path('$.d')|$input.path('$.a')", Requests.body(body)))
        .isEqualTo("{a=1, b=[{\"c\":5},\"http:\\/\\/x\"], d={e=null}}|[{\"c\":5},\"http:\\/\\/x\"]|{e=null}|1");
  }

  @Test
  void jsonGivesJsonText() {
    String body = "{\"s\": \"a \\\"q\\\" \\u00e9 / b\", \"n\": 1.50, \"i\": 12345678901234567890, \"t\": true, \"z\": null}";
    assertThat(render("$input.json('$.s')|$input.json('$.n')|$input.json('$.i')|$input.json('$.t')|$input.json('$.z')"
        + "|$input.json('$.absent')|$input.json('$..n')", Requests.body(body)))
        .isEqualTo("\"a \\\"q\\\" \u00e9 \\/ b\"|1.5|12345678901234567890|true|null|null|[1.5]");
  }

  @Test
  void changesThroughPathShowInJson() {
    String template = """
        #set($body = $input.path('$'))
        #set($body.url = "https://example.tld/thingy/$body.id")
        $input.json('$')""";
    assertThat(render(template, Requests.body("{\"id\": 7}"))).isEqualTo("{\"id\":7,\"url\":\"https:\\/\\/example.tld\\/thingy\\/7\"}");
  }

  @Test
  void emptyBodyReadsAsAnEmptyObject() {
    String template = "[$input.body] [$input.json('$')] [$input.path('$')] [$input.path('$.a')] [$input.path('$').size()]";
    assertThat(render(template, Requests.body(""))).isEqualTo("[{}] [{}] [{}] [] [0]");
    assertThat(render(template, Requests.body(null))).isEqualTo("[{}] [{}] [{}] [] [0]");
  }

  @Test
  void bodyThatIsNotJsonReadsAsOneString() {
    assertThat(render("$input.body|$input.json('$')|$input.path('$')|[$input.path('$.a')]", Requests.body("a=1&b=two words")))
        .isEqualTo("a=1&b=two words|\"a=1&b=two words\"|a=1&b=two words|[]");
  }

  @Test
  void paramsSearchPathThenQueryStringThenHeaders() {
    RequestParameters params = new RequestParameters(map(entry("x", "from-path")), map(entry("x", "from-query"),
        entry("y", "from-query")), map(entry("X", "from-header"), entry("Y", "from-header"), entry("Z-Token", "t")));
    String template = "$input.params('x') $input.params('y') $input.params('z-token') [$input.params('absent')]"
        + " $input.params().header.get('z-token') $input.params().querystring.y $input.params().path.size()";
    assertThat(render(template, Requests.of("", params))).isEqualTo("from-path from-query t [] t from-query 1");
  }

  @Test
  void stageVariablesInTheirThreeForms() {
    Map<String, String> stage = new LinkedHashMap<>();
    stage.put("url", "example.com");
    stage.put("my-var", "dashed");
    TemplateVariables vars = new TemplateVariables("", RequestParameters.NONE, Requests.context(), stage);
    assertThat(render("$stageVariables.url $stageVariables['my-var'] ${stageVariables['url']} [$stageVariables.absent]", vars))
        .isEqualTo("example.com dashed example.com []");
  }

  @Test
  void parseJsonExample() {
    String template = """
        #set ($errorMessageObj = $util.parseJson($input.path('$.errorMessage')))
        {
           "errorMessageObjKey2ArrVal" : $errorMessageObj.key2.arr[0]
        }
        """;
    String body = "{\"errorMessage\":\"{\\\"key1\\\":\\\"var1\\\",\\\"key2\\\":{\\\"arr\\\":[1,2,3]}}\"}";
    assertThat(render(template, Requests.body(body))).isEqualTo("""
        {
           "errorMessageObjKey2ArrVal" : 1
        }
        """);
  }

  @Test
  void undefinedAndNullReferencesRenderAsNothing() {
    assertThat(render("[$nothing] [$input.path('$.a.b.c')] [$context.authorizer.absent] [$!quiet] [$util.escapeJavaScript($nothing)]",
        Requests.body("{}"))).isEqualTo("[] [] [] [] []");
  }

  @Test
  void ifIsTrueForAnyValueButNullAndFalseAsInVelocity17() {
    assertThat(render("#if($input.params('absent'))empty string is true#end|#if($input.path('$.f'))#{else}false is false#end"
        + "|#if($input.path('$.none'))#{else}null is false#end", Requests.body("{\"f\": false}")))
        .isEqualTo("empty string is true|false is false|null is false");
  }
}
