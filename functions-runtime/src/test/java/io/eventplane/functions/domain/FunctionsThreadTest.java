package io.eventplane.functions.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** A lane's function state belongs to the thread that made it: another thread touching it fails under -ea. */
class FunctionsThreadTest {
  private static final FunctionName NAME = new FunctionName("000000000000", "us-east-1", "f", null);

  @Test
  void stateIsTouchedOnlyFromTheOwningThread() {
    Functions functions = new Functions(null, null, null);
    assertThat(functions.get(NAME)).isNull();
    assertThatThrownBy(() -> CompletableFuture.supplyAsync(() -> functions.get(NAME)).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(AssertionError.class)
        .cause().hasMessageContaining("function state of " + Thread.currentThread().getName() + " touched from");
  }
}
