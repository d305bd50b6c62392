package io.eventplane.gateway.auth;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Requests for the verifier's tests: built by hand (test-suite vectors) or from what the SDK signed. */
final class TestRequests {
  static final String SUITE_KEY = "AKIDEXAMPLE";
  static final String SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");

  private TestRequests() {}

  /** A header map with lower-cased names and every value kept in order. */
  static final class Headers implements SignedRequest.Headers {
    final Map<String, List<String>> values = new LinkedHashMap<>();

    Headers add(String name, String value) {
      values.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
      return this;
    }

    Headers set(String name, String value) {
      values.remove(name.toLowerCase(Locale.ROOT));
      return add(name, value);
    }

    Headers remove(String name) {
      values.remove(name.toLowerCase(Locale.ROOT));
      return this;
    }

    @Override
    public List<String> all(String lowerCaseName) {
      return values.getOrDefault(lowerCaseName, List.of());
    }
  }

  static Headers headers(Map<String, List<String>> sdkHeaders) {
    Headers h = new Headers();
    sdkHeaders.forEach((name, values) -> values.forEach(v -> h.add(name, v)));
    return h;
  }

  static Clock clockAt(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }

  /** A lookup that knows one key (and, when the token is not null, requires that session token). */
  static KeyLookup oneKey(String accessKeyId, String secret, String token) {
    return (id, sessionToken, now) -> {
      if (!id.equals(accessKeyId)) return KeyLookup.UNKNOWN;
      if (token != null && !token.equals(sessionToken)) return KeyLookup.UNKNOWN;
      return new KeyLookup.Found(id + "#1", secret, "123456789012", "arn:aws:iam::123456789012:user/test");
    };
  }

  static SigV4Verifier verifier(KeyLookup keys, Instant now) {
    return new SigV4Verifier(keys, new SigningKeys(64), clockAt(now));
  }
}
