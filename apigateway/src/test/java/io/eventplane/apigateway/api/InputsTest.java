package io.eventplane.apigateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class InputsTest {
  private static void badRequest(Runnable r, String member) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ServiceException.class, e -> {
      assertThat(e.error().code()).isEqualTo("BadRequestException");
      assertThat(e.error().message()).contains("'" + member + "'");
    });
  }

  @Test
  void membersOfTheWrongTypeAreBadRequestsNamingTheWireMember() {
    JsonObject in = new JsonObject().put("Name", 5).put("TimeoutInMillis", "x").put("AutoDeploy", "yes")
        .put("Tags", new JsonObject().put("a", 1)).put("AllowOrigins", new JsonArray().add(3)).put("Big", 4_294_967_396L)
        .put("Half", 2.5).put("Cors", "text");
    badRequest(() -> Inputs.string(in, "Name"), "name");
    badRequest(() -> Inputs.integer(in, "TimeoutInMillis"), "timeoutInMillis");
    badRequest(() -> Inputs.bool(in, "AutoDeploy"), "autoDeploy");
    badRequest(() -> Inputs.stringMap(in, "Tags"), "tags");
    badRequest(() -> Inputs.stringList(in, "AllowOrigins"), "allowOrigins");
    badRequest(() -> Inputs.integer(in, "Big"), "big");
    badRequest(() -> Inputs.integer(in, "Half"), "half");
    badRequest(() -> Inputs.object(in, "Cors"), "cors");
    badRequest(() -> Inputs.required(in, "Missing"), "missing");
  }

  @Test
  void integersMayComeAsTextFromTheQueryString() {
    assertThat(Inputs.integer(new JsonObject().put("MaxResults", "25"), "MaxResults")).isEqualTo(25);
    assertThat(Inputs.integer(new JsonObject().put("MaxResults", 25.0), "MaxResults")).isEqualTo(25);
    assertThat(Inputs.integer(new JsonObject(), "MaxResults")).isNull();
  }
}
