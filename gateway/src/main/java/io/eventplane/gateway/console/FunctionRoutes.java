package io.eventplane.gateway.console;

import io.eventplane.gateway.lambda.LambdaRestProtocol;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The function pages' paths: {@code functions} (the list), {@code functions/<name>} and its
 * {@code /invoke} form, which answers the page with the invocation's result (a result is not kept
 * anywhere a redirect could fetch it from).
 */
final class FunctionRoutes {
  private static final Pattern FUNCTION = Pattern.compile("functions/(" + FunctionPage.NAME + ")(?:/(invoke))?");

  private FunctionRoutes() {}

  static void route(ConsoleRoute console, HttpServerRequest request, Caller as, String rest) {
    HttpMethod method = request.method();
    if (rest.equals("functions")) {
      if (method != HttpMethod.GET) {
        ConsoleRoute.methodNotAllowed(request, "GET");
        return;
      }
      ConsoleRoute.page(request, 200, FunctionListPage.render(as, request.getParam("marker"))
          .map(body -> Layout.page("Functions", Layout.Section.FUNCTIONS, as.banner() + body)));
      return;
    }
    Matcher m = FUNCTION.matcher(rest);
    if (!m.matches()) {
      request.resume();
      ConsoleRoute.notFound(request);
      return;
    }
    String name = m.group(1);
    boolean invoke = m.group(2) != null;
    String title = "Function " + name;
    if (!invoke && method == HttpMethod.GET) {
      ConsoleRoute.page(request, 200, FunctionPage.render(as, name, null)
          .map(body -> Layout.page(title, Layout.Section.FUNCTIONS, as.banner() + body)));
    } else if (invoke && method == HttpMethod.POST) {
      console.withForm(request, as, form -> {
        String payload = form.get("payload") == null ? "" : form.get("payload");
        Future<FunctionPage.Invoked> invoked = as.call(LambdaRestProtocol.BINDING, "Invoke", new JsonObject()
            .put("FunctionName", name).put("InvocationType", "RequestResponse").put("LogType", "Tail")
            .put("Payload", payload.getBytes(StandardCharsets.UTF_8)))
            .map(out -> new FunctionPage.Invoked(payload, out, null))
            .recover(e -> e instanceof ConsoleFailure f && f.status() != 404
                ? Future.succeededFuture(new FunctionPage.Invoked(payload, null, f)) : Future.failedFuture(e));
        ConsoleRoute.page(request, 200, invoked.compose(done -> FunctionPage.render(as, name, done))
            .map(body -> Layout.page(title, Layout.Section.FUNCTIONS, as.banner() + body)));
      });
    } else {
      ConsoleRoute.methodNotAllowed(request, invoke ? "POST" : "GET");
    }
  }
}
