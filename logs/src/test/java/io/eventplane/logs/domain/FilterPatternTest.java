package io.eventplane.logs.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import org.junit.jupiter.api.Test;

class FilterPatternTest {
  @Test
  void termsPhrasesOptionalAndExcludedTerms() {
    assertThat(FilterPattern.parse("").matches("anything")).isTrue();
    assertThat(FilterPattern.parse("ERROR").matches("an ERROR here")).isTrue();
    assertThat(FilterPattern.parse("ERROR").matches("an error here")).isFalse();
    assertThat(FilterPattern.parse("ERROR ARGUMENTS").matches("ERROR: bad ARGUMENTS")).isTrue();
    assertThat(FilterPattern.parse("ERROR ARGUMENTS").matches("ERROR only")).isFalse();
    assertThat(FilterPattern.parse("\"failed: timeout\"").matches("order failed: timeout")).isTrue();
    assertThat(FilterPattern.parse("\"failed: timeout\"").matches("failed, timeout")).isFalse();
    assertThat(FilterPattern.parse("?ERROR ?WARN").matches("WARN disk")).isTrue();
    assertThat(FilterPattern.parse("?ERROR ?WARN").matches("INFO disk")).isFalse();
    assertThat(FilterPattern.parse("ERROR -Exiting").matches("ERROR Exiting now")).isFalse();
    assertThat(FilterPattern.parse("ERROR -Exiting").matches("ERROR again")).isTrue();
    assertThat(FilterPattern.parse("\"say \\\"hi\\\"\"").matches("they say \"hi\"")).isTrue();
  }

  @Test
  void refusesPatternsItDoesNotMatch() {
    assertThatThrownBy(() -> FilterPattern.parse("{ $.level = \"ERROR\" }")).isInstanceOf(ServiceException.class);
    assertThatThrownBy(() -> FilterPattern.parse("[ip, user]")).isInstanceOf(ServiceException.class);
    assertThatThrownBy(() -> FilterPattern.parse("\"open")).isInstanceOf(ServiceException.class);
  }
}
