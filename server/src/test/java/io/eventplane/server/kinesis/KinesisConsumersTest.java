package io.eventplane.server.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Consumer;
import software.amazon.awssdk.services.kinesis.model.ConsumerDescription;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ListStreamConsumersResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/** Register/Describe/List/DeregisterStreamConsumer and DeleteStream's EnforceConsumerDeletion, over CBOR and JSON. */
class KinesisConsumersTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private static KinesisClient client(boolean cbor) {
    if (cbor) return server.kinesis();
    synchronized (KinesisConsumersTest.class) {
      if (json == null) json = EmbeddedServer.kinesisClient(server.endpoint(), false);
      return json;
    }
  }

  private static KinesisClient json;

  @org.junit.jupiter.api.AfterAll
  static synchronized void closeJson() {
    if (json != null) json.close();
  }

  private static String stream(KinesisClient k, String name) {
    k.createStream(b -> b.streamName(name).shardCount(1));
    return k.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aConsumerIsRegisteredDescribedListedAndDeregistered(boolean cbor) {
    KinesisClient k = client(cbor);
    String name = "consumers-" + cbor;
    String streamArn = stream(k, name);
    Instant now = server.clock().instant();
    Consumer c = k.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("reader")).consumer();
    assertThat(c.consumerName()).isEqualTo("reader");
    assertThat(c.consumerStatus()).isEqualTo(ConsumerStatus.CREATING);
    assertThat(c.consumerCreationTimestamp()).isEqualTo(now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertThat(c.consumerARN()).isEqualTo(streamArn + "/consumer/reader:" + now.getEpochSecond());

    ConsumerDescription byArn = k.describeStreamConsumer(b -> b.consumerARN(c.consumerARN())).consumerDescription();
    ConsumerDescription byName = k.describeStreamConsumer(b -> b.streamARN(streamArn).consumerName("reader"))
        .consumerDescription();
    assertThat(byArn).isEqualTo(byName);
    assertThat(byArn.consumerStatus()).isEqualTo(ConsumerStatus.ACTIVE);
    assertThat(byArn.streamARN()).isEqualTo(streamArn);
    assertThat(byArn.consumerARN()).isEqualTo(c.consumerARN());
    assertThat(byArn.consumerCreationTimestamp()).isEqualTo(c.consumerCreationTimestamp());

    List<Consumer> listed = k.listStreamConsumers(b -> b.streamARN(streamArn)).consumers();
    assertThat(listed).extracting(Consumer::consumerName, Consumer::consumerStatus)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("reader", ConsumerStatus.ACTIVE));
    assertThat(k.describeStreamSummary(b -> b.streamARN(streamArn)).streamDescriptionSummary().consumerCount()).isEqualTo(1);

    k.deregisterStreamConsumer(b -> b.consumerARN(c.consumerARN()));
    assertThatThrownBy(() -> k.describeStreamConsumer(b -> b.consumerARN(c.consumerARN())))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThat(k.listStreamConsumers(b -> b.streamARN(streamArn)).consumers()).isEmpty();
    assertThat(k.describeStreamSummary(b -> b.streamARN(streamArn)).streamDescriptionSummary().consumerCount()).isZero();

    // Registered again a second later, the consumer has a new ARN; the old one names nothing.
    server.advance(Duration.ofSeconds(1));
    Consumer again = k.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("reader")).consumer();
    assertThat(again.consumerARN()).isNotEqualTo(c.consumerARN());
    assertThatThrownBy(() -> k.describeStreamConsumer(b -> b.consumerARN(c.consumerARN())))
        .isInstanceOf(ResourceNotFoundException.class);
    k.deregisterStreamConsumer(b -> b.streamARN(streamArn).consumerName("reader"));
    k.deleteStream(b -> b.streamARN(streamArn));
  }

  @Test
  void listStreamConsumersPagesByName() {
    KinesisClient k = client(true);
    String streamArn = stream(k, "paging");
    for (String n : List.of("c", "a", "e", "b", "d")) k.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName(n));
    List<String> names = new ArrayList<>();
    ListStreamConsumersResponse page = k.listStreamConsumers(b -> b.streamARN(streamArn).maxResults(2));
    int pages = 1;
    page.consumers().forEach(c -> names.add(c.consumerName()));
    while (page.nextToken() != null) {
      String token = page.nextToken();
      page = k.listStreamConsumers(b -> b.streamARN(streamArn).nextToken(token).maxResults(2));
      page.consumers().forEach(c -> names.add(c.consumerName()));
      pages++;
    }
    assertThat(names).containsExactly("a", "b", "c", "d", "e");
    assertThat(pages).isEqualTo(3);
    // The paginator does the same.
    assertThat(k.listStreamConsumersPaginator(b -> b.streamARN(streamArn).maxResults(2)).stream()
        .flatMap(p -> p.consumers().stream()).toList()).extracting(Consumer::consumerName).containsExactly("a", "b", "c", "d", "e");

    Instant created = k.describeStreamSummary(b -> b.streamARN(streamArn)).streamDescriptionSummary().streamCreationTimestamp();
    assertThat(k.listStreamConsumers(b -> b.streamARN(streamArn).streamCreationTimestamp(created)).consumers()).hasSize(5);
    assertThatThrownBy(() -> k.listStreamConsumers(b -> b.streamARN(streamArn).streamCreationTimestamp(created.minusSeconds(60))))
        .isInstanceOf(ResourceNotFoundException.class);
    String token = k.listStreamConsumers(b -> b.streamARN(streamArn).maxResults(2)).nextToken();
    assertThatThrownBy(() -> k.listStreamConsumers(b -> b.streamARN(streamArn).nextToken(token).streamCreationTimestamp(created)))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> k.listStreamConsumers(b -> b.streamARN(streamArn).nextToken("bm90IGEgdG9rZW4=")))
        .isInstanceOf(InvalidArgumentException.class);
    server.advance(Duration.ofSeconds(301));
    assertThatThrownBy(() -> k.listStreamConsumers(b -> b.streamARN(streamArn).nextToken(token)))
        .isInstanceOf(KinesisException.class).satisfies(e -> assertThat(((KinesisException) e).awsErrorDetails().errorCode())
            .isEqualTo("ExpiredNextTokenException"));
    k.deleteStream(b -> b.streamARN(streamArn).enforceConsumerDeletion(true));
  }

  @Test
  void aStreamHasAtMostTwentyConsumersAndNamesAreUnique() {
    KinesisClient k = client(false);
    String streamArn = stream(k, "limits");
    for (int i = 0; i < 20; i++) {
      String n = "c" + i;
      k.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName(n));
    }
    assertThatThrownBy(() -> k.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("c0")))
        .isInstanceOf(ResourceInUseException.class);
    assertThatThrownBy(() -> k.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("c20")))
        .isInstanceOf(LimitExceededException.class);
    k.deregisterStreamConsumer(b -> b.streamARN(streamArn).consumerName("c3"));
    k.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("c20"));
    k.deleteStream(b -> b.streamARN(streamArn).enforceConsumerDeletion(true));
  }

  @Test
  void deleteStreamWithConsumersNeedsEnforceConsumerDeletion() {
    KinesisClient k = client(true);
    String streamArn = stream(k, "enforced");
    String consumerArn = k.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("x")).consumer().consumerARN();
    assertThatThrownBy(() -> k.deleteStream(b -> b.streamName("enforced")))
        .isInstanceOf(ResourceInUseException.class)
        .hasMessageContaining("DeleteStream can't delete " + streamArn + " because there are consumers associated with this data stream.");
    assertThatThrownBy(() -> k.deleteStream(b -> b.streamName("enforced").enforceConsumerDeletion(false)))
        .isInstanceOf(ResourceInUseException.class);
    k.deleteStream(b -> b.streamName("enforced").enforceConsumerDeletion(true));
    assertThatThrownBy(() -> k.describeStreamConsumer(b -> b.consumerARN(consumerArn)))
        .isInstanceOf(ResourceNotFoundException.class);
    // A stream made again under the name starts without consumers.
    String again = stream(k, "enforced");
    assertThat(k.listStreamConsumers(b -> b.streamARN(again)).consumers()).isEmpty();
    k.deleteStream(b -> b.streamName("enforced"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void badConsumerInputsAreTheClientsErrors(boolean cbor) {
    KinesisClient k = client(cbor);
    String streamArn = stream(k, "bad-" + cbor);
    assertThatThrownBy(() -> k.registerStreamConsumer(b -> b.streamARN(streamArn)))
        .isInstanceOf(KinesisException.class)
        .satisfies(e -> {
          assertThat(((KinesisException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(((KinesisException) e).awsErrorDetails().errorMessage()).isEqualTo(
              "1 validation error detected: Value null at 'consumerName' failed to satisfy constraint: Member must not be null");
        });
    assertThatThrownBy(() -> k.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("no spaces")))
        .isInstanceOf(KinesisException.class)
        .satisfies(e -> assertThat(((KinesisException) e).awsErrorDetails().errorMessage()).isEqualTo(
            "1 validation error detected: Value 'no spaces' at 'consumerName' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"));
    assertThatThrownBy(() -> k.registerStreamConsumer(b -> b.consumerName("x")))
        .isInstanceOf(KinesisException.class)
        .satisfies(e -> assertThat(((KinesisException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    String missing = streamArn.replace("bad-", "missing-");
    assertThatThrownBy(() -> k.registerStreamConsumer(b -> b.streamARN(missing).consumerName("x")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> k.describeStreamConsumer(b -> b.consumerName("x")))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> k.describeStreamConsumer(b -> b.streamARN(streamArn).consumerName("nobody")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> k.describeStreamConsumer(b -> b.consumerARN(streamArn + "/consumer/nobody:1")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> k.describeStreamConsumer(b -> b.consumerARN("not-an-arn")))
        .isInstanceOf(KinesisException.class)
        .satisfies(e -> assertThat(((KinesisException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    assertThatThrownBy(() -> k.deregisterStreamConsumer(b -> b.streamARN(streamArn).consumerName("nobody")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> k.listStreamConsumers(b -> b.streamARN(streamArn).maxResults(0)))
        .isInstanceOf(KinesisException.class)
        .satisfies(e -> assertThat(((KinesisException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    assertThatThrownBy(() -> k.listStreamConsumers(b -> b.streamARN(missing)))
        .isInstanceOf(ResourceNotFoundException.class);
    k.deleteStream(b -> b.streamARN(streamArn));
  }
}
