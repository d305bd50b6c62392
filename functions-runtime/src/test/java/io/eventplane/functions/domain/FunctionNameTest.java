package io.eventplane.functions.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import org.junit.jupiter.api.Test;

class FunctionNameTest {
  private static final String ME = "000000000000";
  private static final String HERE = "eu-west-1";

  @Test
  void namesFullAndPartialArnsWithQualifiers() {
    assertThat(FunctionName.parse("orders", "functionName", ME, HERE)).isEqualTo(new FunctionName(ME, HERE, "orders", null));
    assertThat(FunctionName.parse("orders:$LATEST", "functionName", ME, HERE)).isEqualTo(new FunctionName(ME, HERE, "orders", "$LATEST"));
    assertThat(FunctionName.parse("arn:aws:lambda:eu-west-1:123456789012:function:orders", "functionName", ME, HERE))
        .isEqualTo(new FunctionName("123456789012", HERE, "orders", null));
    assertThat(FunctionName.parse("arn:aws:lambda:eu-west-1:123456789012:function:orders:prod", "functionName", ME, HERE))
        .isEqualTo(new FunctionName("123456789012", HERE, "orders", "prod"));
    assertThat(FunctionName.parse("123456789012:function:orders", "functionName", ME, HERE))
        .as("a partial ARN names no region: the caller's").isEqualTo(new FunctionName("123456789012", HERE, "orders", null));
  }

  /** Recorded against AWS: an ARN of another region is not followed but refused as not found. */
  @Test
  void anArnOfAnotherRegionIsNotReachable() {
    assertThatThrownBy(() -> FunctionName.parse("arn:aws:lambda:us-east-1:123456789012:function:orders", "functionName", ME, HERE))
        .isInstanceOf(ServiceException.class)
        .satisfies(e -> {
          assertThat(((ServiceException) e).error().code()).isEqualTo("ResourceNotFoundException");
          assertThat(((ServiceException) e).error().message())
              .isEqualTo("Functions from 'us-east-1' are not reachable in this region ('eu-west-1')");
        });
  }

  @Test
  void refusesWhatLambdaRefuses() {
    for (String bad : new String[] {"", "has space", "a/b", "x".repeat(65), "arn:aws:lambda:us-east-1:123456789012:layer:x",
        "arn:aws:s3:::bucket"}) {
      assertThatThrownBy(() -> FunctionName.parse(bad, "functionName", ME, HERE)).as(bad)
          .isInstanceOf(ServiceException.class)
          .satisfies(e -> assertThat(((ServiceException) e).error().code()).isEqualTo("ValidationException"));
    }
  }
}
