package io.eventplane.gateway.apigateway.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A template is written by any API's author and runs in the server: what it cannot reach, how its errors
 * surface (a {@link TemplateException}, API Gateway's 500), and its limits.
 */
class TemplateSafetyTest {
  private final MappingTemplates templates = new MappingTemplates();

  private String render(String template) {
    return templates.render(template, Requests.body("{\"a\": \"x\", \"list\": [1, 2]}")).body();
  }

  @Test
  void noWayFromTheVariablesToReflection() {
    assertThat(render("[$input.getClass()][$input.class][$util.class.forName('java.lang.Runtime')][$input.body.class.name]"
        + "[$input.path('$.list').getClass()][$context.getClass().getClassLoader()][${input.path('$.a').class}]"))
        .isEqualTo("[][][][][][][]");
    assertThat(render("#set($c = $input.body.getClass())#set($r = $c.forName('java.lang.Runtime'))[$r.getRuntime()]"))
        .isEqualTo("[]");
    assertThat(render("[$input.path('$.list').stream().findFirst()][$input.body.chars().count()]")).isEqualTo("[][]");
  }

  @Test
  void plainValuesKeepTheirMethods() {
    assertThat(render("$input.path('$.a').toUpperCase() $input.body.length() $input.path('$.list').get(1)"
        + " $input.body.replaceAll('\"', '').substring(1, 6) #set($s = 'a,b,c')#foreach($p in $s.split(','))$p#end $s.split(',').size()"))
        .isEqualTo("X 26 2 a: x,abc 3");
  }

  @Test
  void noFilesOrResources(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "secret");
    assertThatThrownBy(() -> render("#include('" + secret + "')")).isInstanceOf(TemplateException.class);
    assertThatThrownBy(() -> render("#parse('" + secret + "')")).isInstanceOf(TemplateException.class);
    assertThatThrownBy(() -> render("#include('org/apache/velocity/runtime/defaults/velocity.properties')"))
        .isInstanceOf(TemplateException.class);
  }

  @Test
  void macrosStayInTheirTemplate() {
    assertThat(render("#macro(greet $n)hi $n#end#greet('x')")).isEqualTo("hi x");
    assertThat(render("#greet('y')")).isEqualTo("#greet('y')");
  }

  @Test
  void syntaxErrorsAreTemplateErrors() {
    assertThatThrownBy(() -> render("#foreach($x in $input.path('$.list'))")).isInstanceOf(TemplateException.class)
        .hasMessageContaining("does not parse");
    assertThatThrownBy(() -> render("#if(")).isInstanceOf(TemplateException.class);
    assertThatThrownBy(() -> render("#end")).isInstanceOf(TemplateException.class);
  }

  @Test
  void functionErrorsAreTemplateErrors() {
    assertThatThrownBy(() -> render("$input.json('$[')")).isInstanceOf(TemplateException.class)
        .hasMessageContaining("JSONPath");
    assertThatThrownBy(() -> render("$input.path('no dollar')")).isInstanceOf(TemplateException.class);
    assertThatThrownBy(() -> render("$util.parseJson('{\"a\": ')")).isInstanceOf(TemplateException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> render("$util.urlDecode('%zz')")).isInstanceOf(TemplateException.class);
    assertThatThrownBy(() -> render("$util.base64Decode('a')")).isInstanceOf(TemplateException.class);
    assertThatThrownBy(() -> render("#set($context.responseOverride.status = 'teapot')")).isInstanceOf(TemplateException.class);
    assertThatThrownBy(() -> render("#set($context.responseOverride.status = 99)")).isInstanceOf(TemplateException.class);
  }

  @Test
  void endlessRecursionIsATemplateError() {
    assertThatThrownBy(() -> render("#macro(r)#r()#end#r()")).isInstanceOf(TemplateException.class);
    assertThatThrownBy(() -> render("#set($t = '#evaluate($t)')#evaluate($t)")).isInstanceOf(TemplateException.class);
  }

  @Test
  void foreachStopsAfterApiGatewaysThousandIterations() {
    String out = render("#foreach($i in [1..5000])x#end");
    assertThat(out).hasSize(MappingTemplates.MAX_FOREACH_ITERATIONS);
  }

  @Test
  void loopsStopAtTheTimeBudget() {
    // 10^9 iterations without output: a minute of CPU if nothing stopped it.
    MappingTemplates quick = new MappingTemplates(java.time.Duration.ofMillis(50));
    long start = System.nanoTime();
    assertThatThrownBy(() -> quick.render("#foreach($i in [1..1000])#foreach($j in [1..1000])#foreach($k in [1..1000])#end#end#end",
        Requests.body(""))).isInstanceOf(TemplateException.class).hasMessageContaining("time budget");
    assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    // The budget is per render: the next one has its own.
    assertThat(quick.render("#foreach($i in [1..3])$i#end", Requests.body("")).body()).isEqualTo("123");
    // A huge range is not built as a list.
    assertThat(render("#foreach($i in [1..2000000000])#end done")).isEqualTo(" done");
  }

  @Test
  void stringsCannotBeAskedToAllocateWithoutLimit() {
    assertThat(render("[$input.body.repeat(2000000000)][$input.body.format('%0999999999d', 1)]")).isEqualTo("[][]");
  }

  @Test
  void outputIsCappedAtTheIntegrationPayloadLimit() {
    // 1,000 x 1,000 x 11 characters = 11 M characters, past the 10 MB cap. A generous time budget, so that
    // on a loaded machine the cap, not the clock, is what stops it (the time budget failed it in CI).
    MappingTemplates patient = new MappingTemplates(java.time.Duration.ofMinutes(2));
    assertThatThrownBy(() -> patient.render("#foreach($i in [1..1000])#foreach($j in [1..1000])0123456789\n#end#end",
        Requests.body(""))).isInstanceOf(TemplateException.class).hasMessageContaining("over");
  }

  @Test
  void aTemplateIsParsedOnceAndRenderedConcurrently() throws Exception {
    String template = "{\"n\": $input.path('$.n'), \"id\": \"$context.requestId\", \"items\": [#foreach($i in $input.path('$.items'))$i#if($foreach.hasNext),#end#end]}";
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        results.add(pool.submit(() -> {
          for (int n = 0; n < 300; n++) {
            String body = "{\"n\": " + n + ", \"items\": [" + n + "," + (n + 1) + "]}";
            String out = templates.render(template, Requests.body(body)).body();
            if (!out.equals("{\"n\": " + n + ", \"id\": \"abcdefg-000-000-0000-abcdefg\", \"items\": [" + n + "," + (n + 1) + "]}")) {
              return false;
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> r : results) assertThat(r.get()).isTrue();
    } finally {
      pool.shutdownNow();
    }
    assertThat(templates.cachedTemplates()).isEqualTo(1);
  }
}
