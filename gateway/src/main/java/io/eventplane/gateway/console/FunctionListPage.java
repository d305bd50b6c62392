package io.eventplane.gateway.console;

import io.eventplane.gateway.lambda.LambdaRestProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The functions, a page at a time: one ListFunctions call with MaxItems and the Marker of the page before. */
final class FunctionListPage {
  static final int PAGE_SIZE = 50;

  private FunctionListPage() {}

  static Future<String> render(Caller caller, String marker) {
    JsonObject in = new JsonObject().put("MaxItems", PAGE_SIZE);
    if (marker != null && !marker.isEmpty()) in.put("Marker", marker);
    return caller.call(LambdaRestProtocol.BINDING, "ListFunctions", in).map(out -> {
      JsonArray functions = out.getJsonArray("Functions", new JsonArray());
      StringBuilder b = new StringBuilder();
      if (functions.isEmpty()) {
        b.append("<p>No functions.</p>");
      } else {
        b.append("<table id=\"functions\"><caption>Functions, ").append(functions.size()).append(" on this page</caption><thead><tr>")
            .append("<th scope=\"col\">Name</th><th scope=\"col\">Runtime</th><th scope=\"col\">Handler</th>")
            .append("<th scope=\"col\">Memory (MB)</th><th scope=\"col\">Timeout (s)</th><th scope=\"col\">Last modified</th>")
            .append("</tr></thead><tbody>");
        for (Object o : functions) {
          JsonObject f = (JsonObject) o;
          String name = f.getString("FunctionName");
          b.append("<tr><th scope=\"row\"><a href=\"").append(FunctionPage.href(name)).append("\">").append(Html.text(name))
              .append("</a></th><td>").append(Html.text(f.getValue("Runtime", "-"))).append("</td><td><code>")
              .append(Html.text(f.getValue("Handler", "-"))).append("</code></td><td>").append(Html.text(f.getValue("MemorySize")))
              .append("</td><td>").append(Html.text(f.getValue("Timeout"))).append("</td><td>")
              .append(Html.text(f.getValue("LastModified"))).append("</td></tr>");
        }
        b.append("</tbody></table>");
      }
      return b.append(Paging.nav(ConsoleRoute.PREFIX + "functions", "marker", marker, out.getString("NextMarker"))).toString();
    });
  }
}
