package io.eventplane.gateway.console;

/**
 * The "First page" and "Next page" links of a list paged by its service's own token (NextToken,
 * Marker, ContinuationToken): the console never loads a whole list.
 */
final class Paging {
  private Paging() {}

  /**
   * @param base the list's path, with its other query parameters already encoded (or none)
   * @param param the query parameter that carries the token
   * @param current this page's token (null on the first page)
   * @param next the service's token for the page after this one (null on the last page)
   */
  static String nav(String base, String param, String current, String next) {
    String joiner = base.contains("?") ? "&amp;" : "?";
    StringBuilder b = new StringBuilder("<nav aria-label=\"Pages\" class=\"pages\">");
    if (current != null && !current.isEmpty()) b.append("<a href=\"").append(base).append("\">First page</a> ");
    if (next != null && !next.isEmpty()) {
      b.append("<a rel=\"next\" href=\"").append(base).append(joiner).append(param).append('=').append(Html.url(next))
          .append("\">Next page</a>");
    }
    return b.append("</nav>").toString();
  }

  /** A table of names and values (attributes, a configuration), sorted by name. */
  static String table(String id, String caption, java.util.Map<String, ?> values) {
    StringBuilder b = new StringBuilder("<table id=\"").append(id).append("\"><caption>").append(Html.text(caption))
        .append("</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Value</th></tr></thead><tbody>");
    new java.util.TreeMap<String, Object>(values).forEach((k, v) -> b.append("<tr><th scope=\"row\">").append(Html.text(k))
        .append("</th><td><code>").append(Html.text(v)).append("</code></td></tr>"));
    return b.append("</tbody></table>").toString();
  }

  /** What the last action did, said once on the page a form's redirect lands on. */
  static String flash(String said, String failed) {
    StringBuilder b = new StringBuilder();
    if (said != null) b.append("<p role=\"status\" class=\"flash\" id=\"flash\">").append(Html.text(said)).append("</p>");
    if (failed != null) b.append("<p role=\"alert\" class=\"error\" id=\"flash\">").append(Html.text(failed)).append("</p>");
    return b.toString();
  }
}
