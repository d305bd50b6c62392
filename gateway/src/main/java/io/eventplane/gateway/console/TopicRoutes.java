package io.eventplane.gateway.console;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The topic pages' paths: {@code topics} (the list), {@code topics/<name>} and its {@code /publish} form. */
final class TopicRoutes {
  private static final Pattern TOPIC = Pattern.compile("topics/(" + Topics.NAME + ")(?:/(publish))?");

  private TopicRoutes() {}

  static void route(ConsoleRoute console, HttpServerRequest request, Caller as, String rest) {
    HttpMethod method = request.method();
    if (rest.equals("topics")) {
      if (method != HttpMethod.GET) {
        ConsoleRoute.methodNotAllowed(request, "GET");
        return;
      }
      ConsoleRoute.page(request, 200, TopicListPage.render(as, request.getParam("token"))
          .map(body -> Layout.page("Topics", Layout.Section.TOPICS, as.banner() + body)));
      return;
    }
    Matcher m = TOPIC.matcher(rest);
    if (!m.matches()) {
      request.resume();
      ConsoleRoute.notFound(request);
      return;
    }
    String name = m.group(1);
    boolean publish = m.group(2) != null;
    if (!publish && method == HttpMethod.GET) {
      ConsoleRoute.page(request, 200, TopicPage.render(as, name, request.params())
          .map(body -> Layout.page("Topic " + name, Layout.Section.TOPICS, as.banner() + body)));
    } else if (publish && method == HttpMethod.POST) {
      console.withForm(request, as, form -> TopicActions.publish(as, name, form).onComplete(query -> {
        if (query.succeeded()) ConsoleRoute.redirect(request, Topics.href(name) + "?" + query.result());
        else ConsoleRoute.page(request, 200, Future.failedFuture(query.cause()));
      }));
    } else {
      ConsoleRoute.methodNotAllowed(request, publish ? "POST" : "GET");
    }
  }
}
