package io.eventplane.broker.queue.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MoveTasksHandleTest {
  private static final String ARN = "arn:aws:sqs:us-east-1:000000000000:dlq";

  @Test
  void handlesAreBase64OfTaskIdAndSourceArn() {
    String handle = MoveTasks.handleOf("10f57157-fc38-4da9-a113-4de7e12d05dd", ARN);
    assertThat(new String(Base64.getDecoder().decode(handle), StandardCharsets.UTF_8))
        .isEqualTo("{\"taskId\":\"10f57157-fc38-4da9-a113-4de7e12d05dd\",\"sourceArn\":\"" + ARN + "\"}");
    assertThat(MoveTasks.sourceArnOf(handle)).isEqualTo(ARN);
  }

  @Test
  void anEarlierVersionsHandleStillNamesItsSource() {
    String legacy = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("6c1b7c9e-0000-4000-8000-000000000000:" + ARN).getBytes(StandardCharsets.UTF_8));
    assertThat(MoveTasks.sourceArnOf(legacy)).isEqualTo(ARN);
  }

  @Test
  void anythingElseIsNoHandle() {
    for (String h : new String[] {"foobared", "bm90LWEtdGFzaw", "", "e30=", Base64.getEncoder().encodeToString("{\"taskId\":1}".getBytes())}) {
      assertThat(MoveTasks.sourceArnOf(h)).as(h).isNull();
    }
  }
}
