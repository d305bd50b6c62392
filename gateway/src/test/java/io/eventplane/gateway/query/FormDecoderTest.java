package io.eventplane.gateway.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FormDecoderTest {
  @Test
  void decodesPlusPercentAndMultiByteUtf8() {
    assertThat(FormDecoder.decode("Action=SendMessage&MessageBody=a+b%2Bc%0D%0A%E2%82%AC%F0%9F%98%80"))
        .containsExactly(
            java.util.Map.entry("Action", "SendMessage"),
            java.util.Map.entry("MessageBody", "a b+c\r\n\u20ac\uD83D\uDE00"));
  }

  @Test
  void keepsRawUtf8BytesAndEmptyValues() {
    byte[] raw = "MessageBody=caf\u00e9&Empty=&Flag".getBytes(StandardCharsets.UTF_8);
    assertThat(FormDecoder.decode(raw))
        .containsEntry("MessageBody", "caf\u00e9")
        .containsEntry("Empty", "")
        .containsEntry("Flag", "");
  }

  @Test
  void firstValueOfARepeatedNameWinsAndEmptyPairsAreSkipped() {
    assertThat(FormDecoder.decode("&&a=1&a=2&")).containsExactly(java.util.Map.entry("a", "1"));
    assertThat(FormDecoder.decode((String) null)).isEmpty();
  }

  @Test
  void rejectsBrokenEscapes() {
    assertThatThrownBy(() -> FormDecoder.decode("a=%4")).isInstanceOf(FormDecoder.MalformedFormException.class);
    assertThatThrownBy(() -> FormDecoder.decode("a=%zz")).isInstanceOf(FormDecoder.MalformedFormException.class);
    assertThatThrownBy(() -> FormDecoder.decode("a%=1")).isInstanceOf(FormDecoder.MalformedFormException.class);
  }

  @Test
  void rejectsBytesThatAreNotUtf8() {
    assertThatThrownBy(() -> FormDecoder.decode("MessageBody=%FF%FE")).isInstanceOf(FormDecoder.MalformedFormException.class);
    assertThatThrownBy(() -> FormDecoder.decode("MessageBody=%ED%A0%80")) // an encoded lone surrogate
        .isInstanceOf(FormDecoder.MalformedFormException.class);
  }
}
