package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.QueueErrors;
import io.eventplane.common.config.QueueUrlStyle;

/**
 * Queue URLs: {@code <base>/<account>/<name>} ({@link QueueUrlStyle#PATH}) or, with the region in
 * the host as AWS forms them, {@code <scheme>://sqs.<region>.<host>/<account>/<name>}
 * ({@link QueueUrlStyle#REGION}); accepted from any host form by account and name. The region is
 * the one a host names ({@code sqs.eu-west-1.amazonaws.com}, {@code sqs.eu-west-1.localhost:4566},
 * {@code eu-west-1.queue.amazonaws.com}), else the request's (its signature's scope), as a path-style
 * URL names no region.
 */
final class QueueUrls {
  private final QueueUrlStyle style;

  QueueUrls(QueueUrlStyle style) {
    this.style = style;
  }

  record Address(String accountId, String region, String name) {}

  /** The URL of a queue of this region, on the base URL the request reached (or the configured one). */
  String of(String baseUrl, String region, String accountId, String name) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    if (style == QueueUrlStyle.REGION) base = withRegion(base, region);
    return base + "/" + accountId + "/" + name;
  }

  /** {@code http://host:port} as {@code http://sqs.<region>.host:port}, replacing a region the host already names. */
  static String withRegion(String base, String region) {
    int scheme = base.indexOf("://");
    int hostStart = scheme < 0 ? 0 : scheme + 3;
    String rest = base.substring(hostStart);
    if (rest.startsWith("sqs.")) {
      int dot = rest.indexOf('.', 4);
      if (dot > 0 && isRegion(rest.substring(4, dot))) rest = rest.substring(dot + 1);
    }
    return base.substring(0, hostStart) + "sqs." + region + "." + rest;
  }

  /** Parses a queue URL; a bare name means the caller's account. */
  static Address parse(String url, io.eventplane.common.bus.RequestContext ctx) {
    String defaultAccount = ctx.accountId();
    String region = ctx.region();
    String path = url;
    int scheme = path.indexOf("://");
    if (scheme >= 0) {
      int slash = path.indexOf('/', scheme + 3);
      region = regionOfHost(slash < 0 ? path.substring(scheme + 3) : path.substring(scheme + 3, slash), region);
      path = slash < 0 ? "" : path.substring(slash);
    }
    int query = path.indexOf('?');
    if (query >= 0) path = path.substring(0, query);
    // The last two non-empty segments, found from the end (this runs for every request naming a queue).
    int nameEnd = lastNonSlash(path, path.length());
    if (nameEnd < 0) throw QueueErrors.queueDoesNotExist();
    int nameStart = path.lastIndexOf('/', nameEnd - 1) + 1;
    String name = path.substring(nameStart, nameEnd);
    int accountEnd = lastNonSlash(path, nameStart);
    if (accountEnd < 0) return new Address(defaultAccount, region, name);
    int accountStart = path.lastIndexOf('/', accountEnd - 1) + 1;
    if (accountEnd - accountStart == 12 && isAccountId(path.substring(accountStart, accountEnd))) {
      return new Address(path.substring(accountStart, accountEnd), region, name);
    }
    throw QueueErrors.queueDoesNotExist();
  }

  /** The end (exclusive) of the last non-empty segment of path before {@code end}, or -1 if none. */
  private static int lastNonSlash(String path, int end) {
    int i = end;
    while (i > 0 && path.charAt(i - 1) == '/') i--;
    return i == 0 ? -1 : i;
  }

  /**
   * The region a queue URL's host names: {@code sqs.<region>.<any host>} (AWS's form, and the one
   * {@link QueueUrlStyle#REGION} hands out) or AWS's legacy {@code <region>.queue.amazonaws.com};
   * else {@code otherwise}.
   */
  static String regionOfHost(String host, String otherwise) {
    int colon = host.indexOf(':');
    String h = colon < 0 ? host : host.substring(0, colon);
    if (h.startsWith("sqs.")) {
      int dot = h.indexOf('.', 4);
      if (dot > 0 && isRegion(h.substring(4, dot))) return h.substring(4, dot);
      return otherwise;
    }
    if (!h.endsWith(".amazonaws.com")) return otherwise;
    String[] labels = h.split("\\.");
    if (labels.length == 4 && labels[1].equals("queue")) return labels[0];
    return otherwise;
  }

  /** An AWS region name: {@code us-east-1}, {@code ap-southeast-2}, {@code us-gov-west-1}, {@code eu-central-2}. */
  static boolean isRegion(String s) {
    return REGION.matcher(s).matches();
  }

  private static final java.util.regex.Pattern REGION = java.util.regex.Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

  /** Twelve digits; by hand, as this runs for every request that names a queue. */
  private static boolean isAccountId(String s) {
    if (s.length() != 12) return false;
    for (int i = 0; i < 12; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    }
    return true;
  }
}
