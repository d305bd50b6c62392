package io.eventplane.storage.api;

import io.eventplane.storage.domain.S3Errors;

/** HTTP byte ranges as S3 reads them: one range; a malformed header is ignored (the whole object). */
final class Ranges {
  private Ranges() {}

  /** {@code [first, last]} inclusive, or null for "the whole object"; InvalidRange when nothing of it exists. */
  static long[] parse(String header, long size) {
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.contains(",")) return null;
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) return null;
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    try {
      if (a.isEmpty()) {
        if (b.isEmpty()) return null;
        long suffix = Long.parseLong(b);
        if (suffix == 0) throw S3Errors.invalidRange(size, header);
        if (size == 0) return null;
        return new long[] {Math.max(0, size - suffix), size - 1};
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
      if (!b.isEmpty() && Long.parseLong(b) < first) return null;
      if (first >= size) throw S3Errors.invalidRange(size, header);
      return new long[] {first, last};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
