package io.eventplane.storage.api;

import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.domain.StoredObject;
import io.vertx.core.json.JsonObject;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Conditional requests as S3 evaluates them (RFC 7232 with S3's precedence): If-Match and
 * If-Unmodified-Since fail with 412; If-None-Match and If-Modified-Since answer 304 for reads;
 * If-Match passing overrides a failing If-Unmodified-Since, If-None-Match failing overrides
 * If-Modified-Since.
 */
final class Conditions {
  enum Outcome { PROCEED, NOT_MODIFIED }

  private Conditions() {}

  static Outcome forRead(JsonObject in, StoredObject o, String prefix) {
    String ifMatch = in.getString(prefix + "IfMatch");
    String ifNoneMatch = in.getString(prefix + "IfNoneMatch");
    Long ifModifiedSince = date(in.getString(prefix + "IfModifiedSince"));
    Long ifUnmodifiedSince = date(in.getString(prefix + "IfUnmodifiedSince"));
    long modifiedSeconds = o.lastModified() / 1000;
    if (ifMatch != null) {
      if (!etagMatches(ifMatch, o.etag())) throw S3Errors.preconditionFailed("If-Match");
    } else if (ifUnmodifiedSince != null && modifiedSeconds > ifUnmodifiedSince / 1000) {
      throw S3Errors.preconditionFailed("If-Unmodified-Since");
    }
    if (ifNoneMatch != null) {
      if (etagMatches(ifNoneMatch, o.etag())) return Outcome.NOT_MODIFIED;
    } else if (ifModifiedSince != null && modifiedSeconds <= ifModifiedSince / 1000) {
      return Outcome.NOT_MODIFIED;
    }
    return Outcome.PROCEED;
  }

  /** Conditional writes: {@code If-None-Match: *} refuses an existing key, {@code If-Match} a changed one. */
  static void forWrite(JsonObject in, StoredObject existing) {
    String ifNoneMatch = in.getString("IfNoneMatch");
    String ifMatch = in.getString("IfMatch");
    if (ifNoneMatch != null) {
      if (!ifNoneMatch.trim().equals("*")) {
        throw S3Errors.notImplemented("A header you provided implies functionality that is not implemented");
      }
      if (existing != null) throw S3Errors.preconditionFailed("If-None-Match");
    }
    if (ifMatch != null) {
      if (existing == null) throw S3Errors.noSuchKey(in.getString("Key"));
      if (!etagMatches(ifMatch, existing.etag())) throw S3Errors.preconditionFailed("If-Match");
    }
  }

  static boolean etagMatches(String header, String etag) {
    for (String candidate : header.split(",")) {
      String c = candidate.trim();
      if (c.equals("*") || c.equals(etag) || ("\"" + c + "\"").equals(etag)) return true;
    }
    return false;
  }

  /** An HTTP date (RFC 1123) or an ISO-8601 instant, in millis; an unparsable one is ignored, as S3 does. */
  static Long date(String value) {
    if (value == null) return null;
    try {
      return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return java.time.Instant.parse(value).toEpochMilli();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
