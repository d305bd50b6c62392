package io.eventplane.common.id;

import io.eventplane.common.partition.Partitions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * IAM access key ids and secrets as AWS shapes them, with one Eventplane twist: a key id names the
 * partition that indexes it. {@code AKIA} + 2 characters (the partition, base 32) + 14 random
 * characters, all of the uppercase base-32 alphabet {@code A-Z2-7}: 20 characters like AWS's. Any
 * node can so route a request about a key (the gateway's key lookup, GetAccessKeyLastUsed) to the
 * partition's owner without asking anyone where the key lives. Thread-safe.
 */
public final class AccessKeyIds {
  /** The prefix of long-term IAM user keys. */
  public static final String PREFIX = "AKIA";
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final int LENGTH = 20;
  private static final SecureRandom RANDOM = new SecureRandom();

  private AccessKeyIds() {}

  /** A new key id naming {@code partition}. */
  public static String create(int partition) {
    if (partition < 0 || partition >= Partitions.COUNT) throw new IllegalArgumentException("no partition " + partition);
    StringBuilder id = new StringBuilder(PREFIX).append(ALPHABET.charAt(partition / 32)).append(ALPHABET.charAt(partition % 32));
    while (id.length() < LENGTH) id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return id.toString();
  }

  /** The partition a key id names, or -1 when it is no key id of ours (another form, another length, no such partition). */
  public static int partitionOf(String keyId) {
    if (keyId == null || keyId.length() != LENGTH || !keyId.startsWith(PREFIX)) return -1;
    for (int i = PREFIX.length(); i < LENGTH; i++) {
      if (ALPHABET.indexOf(keyId.charAt(i)) < 0) return -1;
    }
    int partition = ALPHABET.indexOf(keyId.charAt(4)) * 32 + ALPHABET.indexOf(keyId.charAt(5));
    return partition < Partitions.COUNT ? partition : -1;
  }

  /** A new secret access key: 40 characters of the base64 alphabet, as AWS's (30 random bytes). */
  public static String secret() {
    byte[] bytes = new byte[30];
    RANDOM.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
