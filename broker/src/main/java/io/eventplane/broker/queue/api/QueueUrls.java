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
    String[] parts = java.util.Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toArray(String[]::new);
    if (parts.length == 1) return new Address(defaultAccount, region, parts[0]);
    if (parts.length >= 2 && isAccountId(parts[parts.length - 2])) {
      return new Address(parts[parts.length - 2], region, parts[parts.length - 1]);
    }
    throw QueueErrors.queueDoesNotExist();
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
