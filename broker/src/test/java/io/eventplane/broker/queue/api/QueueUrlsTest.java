package io.eventplane.broker.queue.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.bus.RequestContext;
import org.junit.jupiter.api.Test;

class QueueUrlsTest {
  private final RequestContext ctx = new RequestContext("000000000000", "us-east-1", "r", "http://localhost:4566");

  @Test
  void accountAndNameFromAnyHostForm() {
    assertThat(QueueUrls.parse("http://localhost:4566/123456789012/orders", ctx))
        .isEqualTo(new QueueUrls.Address("123456789012", "us-east-1", "orders"));
    assertThat(QueueUrls.parse("https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo?x=1", ctx))
        .isEqualTo(new QueueUrls.Address("123456789012", "eu-west-1", "orders.fifo"));
    assertThat(QueueUrls.parse("http://h/prefix//123456789012//orders/", ctx))
        .isEqualTo(new QueueUrls.Address("123456789012", "us-east-1", "orders"));
  }

  @Test
  void aBareNameIsTheCallersAccount() {
    assertThat(QueueUrls.parse("orders", ctx)).isEqualTo(new QueueUrls.Address("000000000000", "us-east-1", "orders"));
    assertThat(QueueUrls.parse("http://localhost:4566/orders", ctx))
        .isEqualTo(new QueueUrls.Address("000000000000", "us-east-1", "orders"));
  }

  @Test
  void anythingElseIsAQueueThatDoesNotExist() {
    for (String url : new String[] {"", "http://localhost:4566/", "http://h/notanaccount/orders", "http://h/12345678901x/q", "///"}) {
      assertThatThrownBy(() -> QueueUrls.parse(url, ctx)).as(url).hasMessageContaining("does not exist");
    }
  }

  @Test
  void aHostOfTheFormSqsRegionNamesItsRegion() {
    assertThat(QueueUrls.parse("http://sqs.eu-west-1.localhost.localstack.cloud:4566/123456789012/orders", ctx))
        .isEqualTo(new QueueUrls.Address("123456789012", "eu-west-1", "orders"));
    assertThat(QueueUrls.parse("http://sqs.ap-southeast-2.localhost:4566/123456789012/orders", ctx))
        .isEqualTo(new QueueUrls.Address("123456789012", "ap-southeast-2", "orders"));
    assertThat(QueueUrls.parse("https://eu-central-1.queue.amazonaws.com/123456789012/orders", ctx))
        .isEqualTo(new QueueUrls.Address("123456789012", "eu-central-1", "orders"));
    // sqs.<not a region> is just a host.
    assertThat(QueueUrls.parse("http://sqs.internal:4566/123456789012/orders", ctx))
        .isEqualTo(new QueueUrls.Address("123456789012", "us-east-1", "orders"));
  }

  @Test
  void urlsAreFormedInTheConfiguredStyle() {
    QueueUrls path = new QueueUrls(io.eventplane.common.config.QueueUrlStyle.PATH);
    QueueUrls region = new QueueUrls(io.eventplane.common.config.QueueUrlStyle.REGION);
    assertThat(path.of("http://localhost:4566/", "eu-west-1", "000000000000", "q")).isEqualTo("http://localhost:4566/000000000000/q");
    assertThat(region.of("http://localhost:4566", "eu-west-1", "000000000000", "q"))
        .isEqualTo("http://sqs.eu-west-1.localhost:4566/000000000000/q");
    // A request that reached a region-style host gets the queue's region in it, not the host's.
    assertThat(region.of("http://sqs.us-east-1.localhost.localstack.cloud:4566", "eu-west-1", "000000000000", "q"))
        .isEqualTo("http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/q");
  }
}
