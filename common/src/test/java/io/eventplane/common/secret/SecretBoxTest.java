package io.eventplane.common.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
  private static final byte[] KEY = new byte[32];
  private static final byte[] AAD = "AKIA0000EXAMPLE".getBytes(StandardCharsets.UTF_8);

  @Test
  void opensWhatItSealedAndNothingChanged() {
    SecretBox box = new SecretBox(KEY);
    byte[] secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".getBytes(StandardCharsets.UTF_8);
    byte[] sealed = box.seal(secret, AAD);
    assertThat(box.open(sealed, AAD)).hasValueSatisfying(p -> assertThat(p).isEqualTo(secret));
    assertThat(box.seal(secret, AAD)).as("a fresh nonce each time").isNotEqualTo(sealed);

    byte[] flipped = sealed.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThat(box.open(flipped, AAD)).isEmpty();
    assertThat(box.open(sealed, "AKIA0000OTHER".getBytes(StandardCharsets.UTF_8))).as("bound to its key id").isEmpty();
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    assertThat(new SecretBox(otherKey).open(sealed, AAD)).isEmpty();
    assertThat(box.open(new byte[5], AAD)).isEmpty();
    assertThat(box.open(null, AAD)).isEmpty();
  }
}
