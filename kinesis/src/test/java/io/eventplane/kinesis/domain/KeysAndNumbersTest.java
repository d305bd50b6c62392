package io.eventplane.kinesis.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class KeysAndNumbersTest {
  @Test
  void hashKeyRangesSplitTheSpaceAsAwsDoes() {
    assertThat(HashKeys.end(0, 4)).isEqualTo(new BigInteger("85070591730234615865843651857942052863"));
    assertThat(HashKeys.start(1, 4)).isEqualTo(new BigInteger("85070591730234615865843651857942052864"));
    assertThat(HashKeys.end(3, 4)).isEqualTo(HashKeys.MAX);
    assertThat(HashKeys.end(0, 1)).isEqualTo(HashKeys.MAX);
    for (int i = 0; i < 6; i++) assertThat(HashKeys.end(i, 7).add(BigInteger.ONE)).isEqualTo(HashKeys.start(i + 1, 7));
  }

  @Test
  void partitionKeysHashWithMd5() {
    // md5("a") = 0cc175b9c0f1b6a831c399e269772661
    assertThat(HashKeys.of("a")).isEqualTo(new BigInteger("0cc175b9c0f1b6a831c399e269772661", 16));
  }

  @Test
  void sequenceNumbersRoundTripAndOrderWithinAShard() {
    String a = SequenceNumbers.of(SequenceNumbers.MAX_STREAM_ID, 7, 41);
    String b = SequenceNumbers.of(SequenceNumbers.MAX_STREAM_ID, 7, 42);
    assertThat(a).hasSize(56).containsOnlyDigits();
    assertThat(new BigInteger(b)).isGreaterThan(new BigInteger(a));
    assertThat(SequenceNumbers.parse(b)).isEqualTo(new SequenceNumbers.Position(SequenceNumbers.MAX_STREAM_ID, 7, 42));
    assertThat(SequenceNumbers.parse("123")).isNull();
    assertThat(SequenceNumbers.parse(a.substring(0, 55) + "x")).isNull();
  }

  @Test
  void iteratorsRoundTripAndRefuseGarbage() {
    ShardIterator it = new ShardIterator(new StreamRef("000000000000", "us-east-1", "n".repeat(128)), 5, 3, 99, 1234);
    String text = it.encode();
    assertThat(text.length()).isLessThanOrEqualTo(512);
    assertThat(ShardIterator.decode(text)).isEqualTo(it);
    assertThat(ShardIterator.decode("AAAA")).isNull();
    assertThat(ShardIterator.decode("!!")).isNull();
  }

  @Test
  void streamArnsParse() {
    assertThat(StreamRef.fromArn("arn:aws:kinesis:eu-west-1:123456789012:stream/s"))
        .isEqualTo(new StreamRef("123456789012", "eu-west-1", "s"));
    assertThat(StreamRef.fromArn("arn:aws:sqs:eu-west-1:123456789012:stream/s")).isNull();
    assertThat(new StreamRef("000000000000", "us-east-1", "s").arn()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/s");
  }
}
