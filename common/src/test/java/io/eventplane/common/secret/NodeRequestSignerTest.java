package io.eventplane.common.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.time.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeRequestSignerTest {
  private static final byte[] KEY = new byte[32];
  private static final String PATH = "/_eventplane/s3/blobs/0123456789abcdef0123456789abcdef";

  @Test
  void aSignatureHoldsForItsMethodPathLengthAndTimeOnly() {
    MutableClock clock = new MutableClock();
    NodeRequestSigner signer = new NodeRequestSigner(KEY, clock);
    Map<String, String> put = signer.headers("PUT", PATH, 5);
    String date = put.get(NodeRequestSigner.DATE_HEADER);
    String signature = put.get(NodeRequestSigner.SIGNATURE_HEADER);
    assertThat(signer.verify("PUT", PATH, "5", date, signature)).isTrue();
    assertThat(signer.verify("PUT", PATH, "6", date, signature)).isFalse();
    assertThat(signer.verify("PUT", PATH, null, date, signature)).isFalse();
    assertThat(signer.verify("GET", PATH, "5", date, signature)).isFalse();
    assertThat(signer.verify("PUT", PATH + "0", "5", date, signature)).isFalse();
    assertThat(signer.verify("PUT", PATH, "5", Long.toString(Long.parseLong(date) + 1), signature)).isFalse();
    assertThat(signer.verify("PUT", PATH, "5", date, signature.toUpperCase().replace('A', 'B'))).isFalse();
    assertThat(signer.verify("PUT", PATH, "5", date, "zz")).isFalse();
    assertThat(signer.verify("PUT", PATH, "5", null, signature)).isFalse();
    assertThat(signer.verify("PUT", PATH, "5", "-1", signature)).isFalse();
    // Another cluster's key.
    byte[] other = new byte[32];
    other[0] = 1;
    assertThat(new NodeRequestSigner(other, clock).verify("PUT", PATH, "5", date, signature)).isFalse();
    // Fresh for five minutes either way.
    clock.advance(Duration.ofSeconds(NodeRequestSigner.MAX_SKEW_SECONDS));
    assertThat(signer.verify("PUT", PATH, "5", date, signature)).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(signer.verify("PUT", PATH, "5", date, signature)).isFalse();
    Map<String, String> get = signer.headers("GET", PATH + "?length=5", -1);
    assertThat(signer.verify("GET", PATH + "?length=5", "0", get.get(NodeRequestSigner.DATE_HEADER),
        get.get(NodeRequestSigner.SIGNATURE_HEADER))).isTrue();
  }
}
