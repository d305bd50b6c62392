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
}
