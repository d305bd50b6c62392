package io.eventplane.identity.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One of an IAM user's access keys. The secret is kept only sealed with the node's credentials key
 * (associated data: the key id), so neither the store nor a replica holds it in the clear.
 *
 * @param sealedSecret the SecretBox message, base64
 * @param status {@code Active} or {@code Inactive}
 * @param generation changes whenever the status does, so a cached lookup of the key can tell it is stale
 * @param createDate epoch millis
 */
public record AccessKey(String keyId, String sealedSecret, String status, int generation, long createDate) {
  public static final String ACTIVE = "Active";
  public static final String INACTIVE = "Inactive";

  public boolean active() {
    return ACTIVE.equals(status);
  }

  public AccessKey withStatus(String next) {
    return next.equals(status) ? this : new AccessKey(keyId, sealedSecret, next, generation + 1, createDate);
  }

  public String created() {
    return Instant.ofEpochMilli(createDate).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
