package io.eventplane.gateway.console;

/**
 * "First page" and "Next page" links of a list paged by its service's own token: the console asks
 * for one page at a time and never walks the whole list.
 */
final class PageLinks {
  private PageLinks() {}

  /**
   * @param path the page's path under the console
   * @param query the page's other parameters, already encoded ({@code a=b&c=d}), or empty
   * @param token the token this page was asked with (null on the first page)
   * @param next the token of the next page (null when this is the last)
   * @param tokenParam the query parameter that carries the token
   */
  static String nav(String path, String query, String token, String next, String tokenParam) {
    StringBuilder b = new StringBuilder("<nav aria-label=\"Pages\" class=\"pages\">");
    String base = ConsoleRoute.PREFIX + path;
    if (token != null && !token.isEmpty()) {
      b.append("<a href=\"").append(base).append(query.isEmpty() ? "" : "?" + Html.text(query)).append("\">First page</a> ");
    }
    if (next != null && !next.isEmpty()) {
      b.append("<a rel=\"next\" href=\"").append(base).append('?').append(query.isEmpty() ? "" : Html.text(query) + "&amp;")
          .append(tokenParam).append('=').append(Html.url(next)).append("\">Next page</a>");
    }
    return b.append("</nav>").toString();
  }

  /** The last segment of an ARN's resource ({@code arn:...:event-bus/name} gives {@code name}). */
  static String lastSegment(String arn) {
    if (arn == null) return "";
    int slash = arn.lastIndexOf('/');
    return slash < 0 ? arn.substring(arn.lastIndexOf(':') + 1) : arn.substring(slash + 1);
  }
}
