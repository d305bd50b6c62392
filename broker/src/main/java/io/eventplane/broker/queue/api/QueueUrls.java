package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.QueueErrors;

/** Queue URLs: {@code <base>/<account>/<name>}, accepted from any host form by account and name. */
final class QueueUrls {
  private QueueUrls() {}

  record Address(String accountId, String name) {}

  static String of(String baseUrl, String accountId, String name) {
    String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return base + "/" + accountId + "/" + name;
  }

  /** Parses a queue URL; a bare name means the caller's account. */
  static Address parse(String url, String defaultAccount) {
    String path = url;
    int scheme = path.indexOf("://");
    if (scheme >= 0) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "" : path.substring(slash);
    }
    int query = path.indexOf('?');
    if (query >= 0) path = path.substring(0, query);
    String[] parts = java.util.Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toArray(String[]::new);
    if (parts.length == 1) return new Address(defaultAccount, parts[0]);
    if (parts.length >= 2 && isAccountId(parts[parts.length - 2])) {
      return new Address(parts[parts.length - 2], parts[parts.length - 1]);
    }
    throw QueueErrors.queueDoesNotExist();
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
