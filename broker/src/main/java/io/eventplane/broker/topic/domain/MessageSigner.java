package io.eventplane.broker.topic.domain;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The node's SNS signing key: an RSA 2048 key and a self-signed X.509 certificate for it, made
 * on first use and kept in the data directory, so envelopes signed before a restart still
 * verify after it. The certificate is served at {@link #certificateUrl}; its file name carries a
 * digest of the certificate, so nodes of a cluster (each with its own key) never clash.
 *
 * <p>Loaded lazily: making an RSA key costs 0.1-1 s of CPU and loading one pulls in BouncyCastle,
 * which a node that never delivers an SNS envelope does not need before (or at all after) it starts
 * serving. Callers wait for {@link #ready} before they {@link #sign}; it loads (or makes) the key
 * once, on a worker thread, whichever context asks first. Safe to use from several threads.
 */
public final class MessageSigner {
  public static final String CERT_PATH_PREFIX = "/_eventplane/sns/SimpleNotificationService-";

  /** The loaded key and certificate; immutable. */
  private record Material(PrivateKey key, String certificatePem, String certificateId) {}

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
      vertx.executeBlocking(() -> load(dir), false).onComplete(ar -> {
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

  private static Material load(Path dir) {
    Path keyFile = dir.resolve("sns-signing-key.pem");
    Path certFile = dir.resolve("sns-signing-cert.pem");
    try {
      if (Files.exists(keyFile) && Files.exists(certFile)) {
        return material(readKey(Files.readString(keyFile)), Files.readString(certFile));
      }
      Files.createDirectories(dir);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      String certPem = pem(selfSigned(pair));
      String keyPem = pem(pair.getPrivate());
      Path tmpKey = dir.resolve("sns-signing-key.pem.tmp");
      Path tmpCert = dir.resolve("sns-signing-cert.pem.tmp");
      Files.writeString(tmpKey, keyPem);
      Files.writeString(tmpCert, certPem);
      Files.move(tmpCert, certFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Files.move(tmpKey, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return material(pair.getPrivate(), certPem);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the SNS signing key in " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make the SNS signing key", e);
    }
  }

  private static Material material(PrivateKey key, String certificatePem) throws GeneralSecurityException {
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

  private static X509Certificate selfSigned(KeyPair pair) throws OperatorCreationException, GeneralSecurityException {
    X500Name name = new X500Name("CN=sns.eventplane.local, O=Eventplane");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
    ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate());
    X509CertificateHolder holder = builder.build(signer);
    return new JcaX509CertificateConverter().getCertificate(holder);
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  private static PrivateKey readKey(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair pair) return converter.getKeyPair(pair).getPrivate();
      if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) return converter.getPrivateKey(info);
      throw new IOException("not a private key");
    }
  }
}
