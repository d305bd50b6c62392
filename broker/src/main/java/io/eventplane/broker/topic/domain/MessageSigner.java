package io.eventplane.broker.topic.domain;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's SNS signing key: an RSA 2048 key and a self-signed X.509 certificate for it, made
 * on first use and kept in the data directory, so envelopes signed before a restart still
 * verify after it. The certificate is served at {@link #certificateUrl}; its file name carries a
 * digest of the certificate, so nodes of a cluster (each with its own key) never clash.
 *
 * <p>Loaded lazily: making the RSA key took 1.9 s of a fresh node's 3.9 s start (class-load
 * timestamps, on a shared 2-core machine) and loading one pulls in BouncyCastle, which a node needs
 * only once it delivers an SNS envelope. Callers wait for {@link #ready} before they {@link #sign}; it loads (or makes) the key
 * once, on a worker thread, whichever context asks first. Safe to use from several threads.
 */
public final class MessageSigner {
  public static final String CERT_PATH_PREFIX = "/_eventplane/sns/SimpleNotificationService-";

  /** The loaded key and certificate; immutable. */
  record Material(PrivateKey key, String certificatePem, String certificateId) {}

  private final Path dir;
  private final AtomicReference<CompletableFuture<Material>> loading = new AtomicReference<>();
  private volatile Material material;

  private MessageSigner(Path dir) {
    this.dir = dir;
  }

  /** A signer whose key lives in {@code dir}; nothing is read or made until {@link #ready} is called. */
  public static MessageSigner lazy(Path dir) {
    return new MessageSigner(dir);
  }

  /**
   * Completes, on the caller's context, once the key is loaded. The first call starts the load on
   * a worker; a failed load is forgotten, so the next call tries again.
   */
  public Future<Void> ready(Vertx vertx) {
    if (material != null) return Future.succeededFuture();
    CompletableFuture<Material> mine = new CompletableFuture<>();
    CompletableFuture<Material> current = loading.compareAndExchange(null, mine);
    if (current == null) {
      current = mine;
      vertx.executeBlocking(() -> SigningKeyFiles.load(dir), false).onComplete(ar -> {
        if (ar.succeeded()) {
          material = ar.result();
          mine.complete(ar.result());
        } else {
          loading.compareAndSet(mine, null);
          mine.completeExceptionally(ar.cause());
        }
      });
    }
    return Future.fromCompletionStage(current, vertx.getOrCreateContext()).mapEmpty();
  }

  public boolean isReady() {
    return material != null;
  }

  private Material loaded() {
    Material m = material;
    if (m == null) throw new IllegalStateException("the SNS signing key is not loaded yet: wait for ready()");
    return m;
  }

  static Material material(PrivateKey key, String certificatePem) throws GeneralSecurityException {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificatePem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return new Material(key, certificatePem, HexFormat.of().formatHex(digest, 0, 16));
  }

  /** SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA; Base64. */
  public String sign(String stringToSign, String signatureVersion) {
    try {
      Signature s = Signature.getInstance("2".equals(signatureVersion) ? "SHA256withRSA" : "SHA1withRSA");
      s.initSign(loaded().key());
      s.update(stringToSign.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed", e);
    }
  }

  public String certificateId() {
    return loaded().certificateId();
  }

  public String certificatePem() {
    return loaded().certificatePem();
  }

  public String certificateUrl(String baseUrl) {
    return baseUrl + CERT_PATH_PREFIX + certificateId() + ".pem";
  }

}
