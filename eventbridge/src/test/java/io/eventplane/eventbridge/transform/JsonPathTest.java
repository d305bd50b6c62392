package io.eventplane.eventbridge.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonPathTest {
  static final JsonObject DOC = new JsonObject("""
      {"detail":{"a-b":{"c_d":[10,{"e/f":"x"},[1,2]]},"n":null,"s":"str","k:v":1},
       "resources":["r0","r1"],"detail-type":"T"}""");

  static Stream<Arguments> selections() {
    return Stream.of(
        Arguments.of("$", DOC),
        Arguments.of("$.detail-type", "T"),
        Arguments.of("$.detail.s", "str"),
        Arguments.of("$.detail.n", null),
        Arguments.of("$.detail.k:v", 1),
        Arguments.of("$.detail.a-b.c_d[0]", 10),
        Arguments.of("$.detail.a-b.c_d[1].e/f", "x"),
        Arguments.of("$.detail.a-b.c_d[2][1]", 2),
        Arguments.of("$.resources[1]", "r1"),
        Arguments.of("$.resources[*]", new JsonArray().add("r0").add("r1")),
        Arguments.of("$.resources.*", new JsonArray().add("r0").add("r1")),
        Arguments.of("$.nothing[*]", new JsonArray()),
        Arguments.of("$.resources[2]", JsonPath.MISSING),
        Arguments.of("$.detail.s.more", JsonPath.MISSING),
        Arguments.of("$.detail.n.more", JsonPath.MISSING),
        Arguments.of("$.resources.r0", JsonPath.MISSING),
        Arguments.of("$.detail[0]", JsonPath.MISSING),
        Arguments.of("$.DETAIL", JsonPath.MISSING));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selections")
  void selects(String path, Object expected) {
    assertThat(JsonPath.parse(path).select(DOC)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "detail", "$detail", "$.", "$..detail", "$.detail.", "$['detail']", "$.detail[\"a\"]",
      "$.resources[-1]", "$.resources[]", "$.resources[1", "$.resources[a]", "$.a]b", "@.detail", " $.detail"})
  void refuses(String path) {
    assertThatThrownBy(() -> JsonPath.parse(path)).isInstanceOf(IllegalArgumentException.class);
  }
}
