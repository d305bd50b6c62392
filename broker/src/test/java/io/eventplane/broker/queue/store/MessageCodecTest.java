package io.eventplane.broker.queue.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.broker.queue.domain.AttributeValue;
import io.eventplane.broker.queue.domain.StoredMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
  @Test
  void roundTripsEveryFieldWithMultiByteTextAndNulls() {
    Map<String, AttributeValue> attrs = new LinkedHashMap<>();
    attrs.put("name", new AttributeValue("String", "wert \u00e9\u4e2d", null));
    attrs.put("bin", new AttributeValue("Binary", null, new byte[] {0, 1, (byte) 0xFF}));
    Map<String, AttributeValue> sys = Map.of("AWSTraceHeader", new AttributeValue("String", "Root=1", null));
    for (String body : new String[] {"", "plain", "caf\u00e9 \u4e2d\u6587 \uD83D\uDE00", "lone \uD83D surrogate"}) {
      StoredMessage m = new StoredMessage("id-1", body, 42L, "sender", null, "dedup", attrs, sys, null);
      StoredMessage back = MessageCodec.decode(MessageCodec.encode(m));
      assertThat(back.body()).isEqualTo(new String(body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          java.nio.charset.StandardCharsets.UTF_8));
      assertThat(back.messageId()).isEqualTo("id-1");
      assertThat(back.sentTimestamp()).isEqualTo(42L);
      assertThat(back.groupId()).isNull();
      assertThat(back.deduplicationId()).isEqualTo("dedup");
      assertThat(back.deadLetterSourceArn()).isNull();
      assertThat(back.messageAttributes()).containsOnlyKeys("name", "bin");
      assertThat(back.messageAttributes().get("bin").binaryValue()).containsExactly(0, 1, 0xFF);
      assertThat(back.messageAttributes().get("name").stringValue()).isEqualTo("wert \u00e9\u4e2d");
      assertThat(back.systemAttributes().get("AWSTraceHeader").stringValue()).isEqualTo("Root=1");
    }
  }

  @Test
  void roundTripsAMessageWithoutAttributes() {
    StoredMessage m = new StoredMessage("id-2", "body", 7L, "sender", "group", null, null, null, "arn:dlq");
    StoredMessage back = MessageCodec.decode(MessageCodec.encode(m));
    assertThat(back).isEqualTo(m);
    assertThat(back.messageAttributes()).isEmpty();
    assertThat(back.systemAttributes()).isEmpty();
  }
}
