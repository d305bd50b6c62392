package io.eventplane.broker.topic.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing key is made on first use, kept, and read back by the next signer of the same directory. */
class MessageSignerTest {
  @TempDir Path dir;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void nothingIsMadeUntilTheKeyIsNeeded() throws Exception {
    MessageSigner signer = MessageSigner.lazy(dir.resolve("sns"));
    assertThat(signer.isReady()).isFalse();
    assertThat(dir.resolve("sns")).doesNotExist();
    assertThatThrownBy(() -> signer.sign("x", "1")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not loaded yet");

    await(signer);
    assertThat(signer.isReady()).isTrue();
    assertThat(dir.resolve("sns/sns-signing-key.pem")).exists();
    assertThat(dir.resolve("sns/sns-signing-cert.pem")).exists();
  }

  @Test
  void signaturesVerifyWithTheCertificateAfterARestart() throws Exception {
    MessageSigner first = MessageSigner.lazy(dir);
    await(first);
    String signature = first.sign("string to sign", "2");

    MessageSigner second = MessageSigner.lazy(dir);
    await(second);
    assertThat(second.certificateId()).isEqualTo(first.certificateId());
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(second.certificatePem().getBytes(StandardCharsets.US_ASCII)));
    Signature verify = Signature.getInstance("SHA256withRSA");
    verify.initVerify(cert.getPublicKey());
    verify.update("string to sign".getBytes(StandardCharsets.UTF_8));
    assertThat(verify.verify(Base64.getDecoder().decode(signature))).isTrue();
    assertThat(second.sign("string to sign", "2")).isEqualTo(signature);
  }

  @Test
  void aFailedLoadIsTriedAgain() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("file"), "in the way");
    MessageSigner signer = MessageSigner.lazy(notADirectory);
    assertThatThrownBy(() -> await(signer)).hasCauseInstanceOf(java.io.UncheckedIOException.class);
    Files.delete(notADirectory);
    await(signer);
    assertThat(signer.isReady()).isTrue();
  }

  /** Waits for {@code ready()}, asked from an event-loop context as the services ask it. */
  private void await(MessageSigner signer) throws Exception {
    var done = new java.util.concurrent.CompletableFuture<Void>();
    vertx.getOrCreateContext().runOnContext(v -> signer.ready(vertx).onComplete(ar -> {
      if (ar.succeeded()) done.complete(null); else done.completeExceptionally(ar.cause());
    }));
    done.get(60, TimeUnit.SECONDS);
  }
}
