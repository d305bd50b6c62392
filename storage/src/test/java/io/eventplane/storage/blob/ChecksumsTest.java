package io.eventplane.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ChecksumsTest {
  private static String of(String algorithm, String text) {
    Checksums.Running c = Checksums.start(algorithm);
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    c.update(b, 0, 4);
    c.update(b, 4, b.length - 4);
    return c.value();
  }

  private static String hex(String base64) {
    return java.util.HexFormat.of().formatHex(Base64.getDecoder().decode(base64));
  }

  /** The catalogued check values of "123456789", fed in two pieces. */
  @Test
  void checkValues() {
    assertThat(hex(of("CRC32", "123456789"))).isEqualTo("cbf43926");
    assertThat(hex(of("CRC32C", "123456789"))).isEqualTo("e3069283");
    assertThat(hex(of("CRC64NVME", "123456789"))).isEqualTo("ae8b14860a799888");
    assertThat(hex(of("SHA1", "123456789"))).isEqualTo("f7c3bc1d808e04732adf679965ccc34ca7ae3441");
  }
}
