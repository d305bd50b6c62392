package io.eventplane.storage.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostPolicyTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  private static PostPolicy policy(String expiration, JsonArray conditions) {
    return PostPolicy.parse(Base64.getEncoder().encodeToString(new JsonObject().put("expiration", expiration)
        .put("conditions", conditions).encode().getBytes(StandardCharsets.UTF_8)));
  }

  private static ServiceException failure(Runnable r) {
    try {
      r.run();
    } catch (ServiceException e) {
      return e;
    }
    throw new AssertionError("no error");
  }

  private static final JsonArray CONDITIONS = new JsonArray().add(new JsonObject().put("bucket", "b"))
      .add(new JsonArray().add("starts-with").add("$key").add("in/")).add(new JsonArray().add("eq").add("$acl").add("private"))
      .add(new JsonArray().add("content-length-range").add(1).add(10));

  @Test
  void aFormWithinItsPolicyPasses() {
    policy("2026-12-04T13:00:00.000Z", CONDITIONS).check(Map.of("bucket", "b", "key", "in/x", "acl", "private",
        "x-ignore-this", "1", "policy", "p", "x-amz-signature", "s"), 10, NOW);
  }

  @Test
  void eachRuleFailsAsS3Words() {
    PostPolicy p = policy("2026-12-04T13:00:00Z", CONDITIONS);
    assertThat(failure(() -> policy("2026-12-04T11:59:59Z", CONDITIONS).check(Map.of("bucket", "b"), 1, NOW)).error().message())
        .isEqualTo("Invalid according to Policy: Policy expired.");
    ServiceException key = failure(() -> p.check(Map.of("bucket", "b", "key", "out/x", "acl", "private"), 1, NOW));
    assertThat(key.error().code()).isEqualTo("AccessDenied");
    assertThat(key.error().message()).isEqualTo("Invalid according to Policy: Policy Condition failed: [\"starts-with\", \"$key\", \"in/\"]");
    assertThat(failure(() -> p.check(Map.of("bucket", "c", "key", "in/x", "acl", "private"), 1, NOW)).error().message())
        .isEqualTo("Invalid according to Policy: Policy Condition failed: [\"eq\", \"$bucket\", \"b\"]");
    assertThat(failure(() -> p.check(Map.of("bucket", "b", "key", "in/x", "acl", "private"), 11, NOW)).error().code())
        .isEqualTo("EntityTooLarge");
    assertThat(failure(() -> p.check(Map.of("bucket", "b", "key", "in/x", "acl", "private"), 0, NOW)).error().code())
        .isEqualTo("EntityTooSmall");
    assertThat(failure(() -> p.check(Map.of("bucket", "b", "key", "in/x", "acl", "private", "content-type", "a/b"), 1, NOW))
        .error().message()).isEqualTo("Invalid according to Policy: Extra input fields: content-type");
  }

  @Test
  void documentsThatAreNoPolicyAreInvalidPolicyDocument() {
    for (String doc : new String[] {"%%%", Base64.getEncoder().encodeToString("[1]".getBytes()),
        Base64.getEncoder().encodeToString("{\"conditions\":[]}".getBytes()),
        Base64.getEncoder().encodeToString("{\"expiration\":\"tomorrow\",\"conditions\":[]}".getBytes()),
        Base64.getEncoder().encodeToString("{\"expiration\":\"2026-12-04T13:00:00Z\"}".getBytes()),
        Base64.getEncoder().encodeToString("{\"expiration\":\"2026-12-04T13:00:00Z\",\"conditions\":[[\"gt\",\"$key\",\"a\"]]}"
            .getBytes()),
        Base64.getEncoder().encodeToString("{\"expiration\":\"2026-12-04T13:00:00Z\",\"conditions\":[[\"content-length-range\",\"a\",1]]}"
            .getBytes())}) {
      assertThatThrownBy(() -> PostPolicy.parse(doc)).as(doc).isInstanceOf(ServiceException.class)
          .satisfies(e -> assertThat(((ServiceException) e).error().code()).isEqualTo("InvalidPolicyDocument"));
    }
  }
}
