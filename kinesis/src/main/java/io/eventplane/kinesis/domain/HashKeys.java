package io.eventplane.kinesis.domain;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The 128-bit hash-key space of a stream: how AWS splits it among shards and maps partition keys into it. */
public final class HashKeys {
  /** 2^128 - 1, the last hash key. */
  public static final BigInteger MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

  private HashKeys() {}

  /** The hash key of a partition key: MD5 of its UTF-8 bytes as an unsigned 128-bit integer. */
  public static BigInteger of(String partitionKey) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8));
      return new BigInteger(1, md5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every Java runtime", e);
    }
  }

  /** Shard {@code i}'s first hash key when {@code n} shards split the space evenly (the last takes the remainder). */
  public static BigInteger start(int i, int n) {
    return BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(n)).multiply(BigInteger.valueOf(i));
  }

  /** Shard {@code i}'s last hash key when {@code n} shards split the space evenly. */
  public static BigInteger end(int i, int n) {
    return i == n - 1 ? MAX : start(i + 1, n).subtract(BigInteger.ONE);
  }
}
