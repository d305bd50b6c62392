package io.eventplane.broker.topic.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static List<Long> delays(RetryPolicy p, int retries) {
    List<Long> out = new ArrayList<>();
    for (int i = 1; i <= retries; i++) out.add(p.delayMillis(i) / 1000);
    return out;
  }

  @Test
  void awsManagedPolicyHasItsFourPhases() {
    RetryPolicy p = RetryPolicy.AWS_MANAGED;
    List<Long> first = delays(p, 16);
    assertThat(first.subList(0, 3)).containsOnly(0L);
    assertThat(first.subList(3, 5)).containsOnly(1L);
    assertThat(first.subList(5, 15)).isSorted().startsWith(1L).endsWith(20L);
    assertThat(first.get(15)).isEqualTo(20L);
    assertThat(p.retriesLeft(100_014)).isTrue();
    assertThat(p.retriesLeft(100_015)).isFalse();
  }

  @Test
  void httpDefaultIsThreeRetriesTwentySecondsApart() {
    assertThat(delays(RetryPolicy.HTTP_DEFAULT, 3)).containsExactly(20L, 20L, 20L);
    assertThat(RetryPolicy.HTTP_DEFAULT.retriesLeft(3)).isTrue();
    assertThat(RetryPolicy.HTTP_DEFAULT.retriesLeft(4)).isFalse();
  }

  @Test
  void customPolicyPhasesAndLinearBackoff() {
    RetryPolicy p = RetryPolicy.fromHealthyRetryPolicy(new JsonObject().put("minDelayTarget", 2).put("maxDelayTarget", 10)
        .put("numRetries", 8).put("numNoDelayRetries", 1).put("numMinDelayRetries", 1).put("numMaxDelayRetries", 1));
    // 1 immediate, 1 at min, 5 backing off 2 -> 10, 1 at max
    assertThat(delays(p, 8)).containsExactly(0L, 2L, 2L, 4L, 6L, 8L, 10L, 10L);
  }

  @Test
  void validationFollowsTheDocumentedLimits() {
    assertThatThrownBy(() -> RetryPolicy.validate(new JsonObject().put("minDelayTarget", 0))).isInstanceOf(ServiceException.class);
    assertThatThrownBy(() -> RetryPolicy.validate(new JsonObject().put("numRetries", 101))).isInstanceOf(ServiceException.class);
    assertThatThrownBy(() -> RetryPolicy.validate(new JsonObject().put("minDelayTarget", 3600).put("maxDelayTarget", 3600)
        .put("numRetries", 2))).isInstanceOf(ServiceException.class);
    assertThatThrownBy(() -> RetryPolicy.validate(new JsonObject().put("backoffFunction", "cubic"))).isInstanceOf(ServiceException.class);
    RetryPolicy.validate(new JsonObject().put("minDelayTarget", 1).put("maxDelayTarget", 60).put("numRetries", 20)
        .put("backoffFunction", "exponential"));
  }
}
