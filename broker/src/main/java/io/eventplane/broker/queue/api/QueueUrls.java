package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.QueueErrors;

/**
 * Queue URLs: {@code <base>/<account>/<name>}, accepted from any host form by account and name. The
 * region is the one in an AWS host name ({@code sqs.eu-west-1.amazonaws.com},
 * {@code eu-west-1.queue.amazonaws.com}), else the request's (its signature's scope), as a queue
 * URL handed out here names no region.
 */
final class QueueUrls {
  private QueueUrls() {}

  record Address(String accountId, String region, String name) {}

  static String of(String baseUrl, String accountId, String name) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return base + "/" + accountId + "/" + name;
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

  /** The region of an AWS SQS host name, else {@code otherwise}. */
  static String regionOfHost(String host, String otherwise) {
    int colon = host.indexOf(':');
    String h = colon < 0 ? host : host.substring(0, colon);
    if (!h.endsWith(".amazonaws.com")) return otherwise;
    String[] labels = h.split("\\.");
    if (labels.length == 4 && labels[0].equals("sqs")) return labels[1];
    if (labels.length == 4 && labels[1].equals("queue")) return labels[0];
    return otherwise;
  }

  /** Twelve digits; by hand, as this runs for every request that names a queue. */
  private static boolean isAccountId(String s) {
    if (s.length() != 12) return false;
    for (int i = 0; i < 12; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    }
    return true;
  }
}
