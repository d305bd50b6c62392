package io.eventplane.gateway.console;

/**
 * The chrome every console page shares: head (styles, htmx with its SSE extension, uPlot, the
 * console's own script), a skip link, the navigation, one {@code h1}. A page passes its already
 * escaped body; the title is escaped here.
 */
final class Layout {
  private Layout() {}

  /** Navigation sections; a later page adds its entry here. */
  enum Section {
    OVERVIEW("Overview", ""),
    QUEUES("Queues", "queues"),
    TOPICS("Topics", "topics"),
    BUCKETS("Buckets", "buckets"),
    FUNCTIONS("Functions", "functions"),
    BUSES("Event buses", "buses"),
    STREAMS("Streams", "streams"),
    AUDIT("Audit trail", "audit"),
    CLUSTER("Cluster", "cluster");

    final String label;
    final String path;

    Section(String label, String path) {
      this.label = label;
      this.path = path;
    }
  }

  static String page(String title, Section active, String body) {
    StringBuilder nav = new StringBuilder();
    for (Section s : Section.values()) {
      nav.append("<li><a href=\"").append(ConsoleRoute.PREFIX).append(s.path).append('"')
          .append(s == active ? " aria-current=\"page\"" : "").append('>').append(s.label).append("</a></li>");
    }
    String a = ConsoleRoute.ASSETS;
    return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>
        <title>%s · Eventplane console</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="%suPlot.min.css">
        <link rel="stylesheet" href="%sconsole.css">
        <script src="%shtmx.min.js" defer></script>
        <script src="%ssse.js" defer></script>
        <script src="%suPlot.iife.min.js" defer></script>
        <script src="%sconsole.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header><p class="brand"><a href="%s">Eventplane</a></p><nav aria-label="Console"><ul>%s</ul></nav></header>
        <main id="main">
        <h1>%s</h1>
        %s
        </main>
        </body>
        </html>
        """.formatted(Html.text(title), a, a, a, a, a, a, ConsoleRoute.PREFIX, nav, Html.text(title), body);
  }

  /** A page that says what went wrong (an AWS error's code and message, or the console's own). */
  static String error(String title, String code, String message) {
    return page(title, null, "<p role=\"alert\" class=\"error\"><strong>" + Html.text(code) + "</strong>: "
        + Html.text(message) + "</p><p><a href=\"" + ConsoleRoute.PREFIX + "\">Back to the overview</a></p>");
  }
}
