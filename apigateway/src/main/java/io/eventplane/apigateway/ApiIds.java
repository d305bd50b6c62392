package io.eventplane.apigateway;

import io.eventplane.common.partition.Partitions;
import java.security.SecureRandom;
import java.util.Random;

/**
 * The identifiers API Gateway hands out: an API's id is 10 characters {@code [a-z0-9]} as on AWS,
 * its first two the API's partition in base 36, so any node finds the API from its id alone (an
 * invoke URL carries no account or region). Routes, integrations, authorizers, deployments and API
 * mappings get 7 characters {@code [a-z0-9]}, as AWS's do.
 */
public final class ApiIds {
  public static final int API_ID_LENGTH = 10;
  public static final int CHILD_ID_LENGTH = 7;
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final Random random;

  public ApiIds() {
    this(new SecureRandom());
  }

  public ApiIds(Random random) {
    this.random = random;
  }

  /** A new API id in {@code partition}. */
  public String apiId(int partition) {
    if (partition < 0 || partition >= Partitions.COUNT) throw new IllegalArgumentException("partition " + partition);
    String p = Integer.toString(partition, 36);
    return (p.length() == 1 ? "0" + p : p) + random(API_ID_LENGTH - 2);
  }

  /** A new id of a route, integration, authorizer, deployment or API mapping. */
  public String childId() {
    return random(CHILD_ID_LENGTH);
  }

  /** The partition an API id names, or -1 when the text is no API id of this server. */
  public static int partitionOf(String id) {
    if (id == null || id.length() != API_ID_LENGTH) return -1;
    for (int i = 0; i < id.length(); i++) if (ALPHABET.indexOf(id.charAt(i)) < 0) return -1;
    int p = Character.digit(id.charAt(0), 36) * 36 + Character.digit(id.charAt(1), 36);
    return p < Partitions.COUNT ? p : -1;
  }

  private String random(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    return b.toString();
  }
}
