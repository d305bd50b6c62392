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
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
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
 * The signing key's files: {@code sns-signing-key.pem} and {@code sns-signing-cert.pem}, read or
 * made (RSA 2048, self-signed for ten years). Apart from {@link MessageSigner} so that BouncyCastle's
 * classes load only when a key is first needed, not with the SNS service. Blocking.
 */
final class SigningKeyFiles {
  private SigningKeyFiles() {}

  static MessageSigner.Material load(Path dir) {
    Path keyFile = dir.resolve("sns-signing-key.pem");
    Path certFile = dir.resolve("sns-signing-cert.pem");
    try {
      if (Files.exists(keyFile) && Files.exists(certFile)) {
        return MessageSigner.material(readKey(Files.readString(keyFile)), Files.readString(certFile));
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
      return MessageSigner.material(pair.getPrivate(), certPem);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the SNS signing key in " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make the SNS signing key", e);
    }
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
