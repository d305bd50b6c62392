package io.eventplane.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signature Version 4 signing keys ({@code HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region),
 * service), "aws4_request")}), derived once per (secret, date, region, service) and kept: a client
 * signs with the same key all day, so the four HMACs are paid once a day per key and scope instead
 * of once a request. The cache is per node, bounded, and dropped whole when full (cheap, and a
 * key is re-derived on its next use). Thread-safe.
 */
public final class SigningKeys {
  private record Scope(String secretId, String date, String region, String service) {}

  private final ConcurrentHashMap<Scope, byte[]> keys = new ConcurrentHashMap<>();
  private final int capacity;

  public SigningKeys(int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be positive");
    this.capacity = capacity;
  }

  /** The signing key; {@code secretId} names the secret's version, as {@link KeyLookup.Found} says. */
  byte[] key(String secretId, String secret, String date, String region, String service) {
    Scope scope = new Scope(secretId, date, region, service);
    byte[] key = keys.get(scope);
    if (key != null) return key;
    key = derive(secret, date, region, service);
    if (keys.size() >= capacity) keys.clear();
    keys.put(scope, key);
    return key;
  }

  static byte[] derive(String secret, String date, String region, String service) {
    byte[] k = Crypto.hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    k = Crypto.hmac(k, region);
    k = Crypto.hmac(k, service);
    return Crypto.hmac(k, "aws4_request");
  }

  /** How many keys are cached (for tests). */
  int size() {
    return keys.size();
  }
}
