package io.eventplane.apigateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class PatchesTest {
  private final Patches patches = new Patches()
      .scalar("name", Patches.Kind.STRING, false)
      .scalar("description", Patches.Kind.STRING, true)
      .scalar("enabled", Patches.Kind.BOOL, false)
      .scalar("size", Patches.Kind.INT, true)
      .scalar("rate", Patches.Kind.DOUBLE, false)
      .map("requestParameters", Patches.Kind.BOOL)
      .map("requestTemplates", Patches.Kind.STRING)
      .set("binaryMediaTypes");

  private static JsonObject ops(JsonObject... ops) {
    return new JsonObject().put("patchOperations", new JsonArray(java.util.List.of((Object[]) ops)));
  }

  private static JsonObject op(String op, String path, String value) {
    JsonObject o = new JsonObject().put("op", op).put("path", path);
    if (value != null) o.put("value", value);
    return o;
  }

  private static void assertBadRequest(Runnable r) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ServiceException.class,
        e -> assertThat(e.error().code()).isEqualTo("BadRequestException"));
  }

  @Test
  void scalarsAreReplacedWithValuesOfTheirType() {
    JsonObject out = patches.apply(new JsonObject().put("name", "a").put("description", "d"), ops(
        op("replace", "/name", "b"), op("replace", "/enabled", "true"), op("replace", "/size", "12"),
        op("replace", "/rate", "2.5"), op("remove", "/description", null)));
    assertThat(out).isEqualTo(new JsonObject().put("name", "b").put("enabled", true).put("size", 12).put("rate", 2.5));
  }

  @Test
  void mapsAreKeyedByTheLastSegmentUnescaped() {
    JsonObject out = patches.apply(new JsonObject(), ops(
        op("add", "/requestParameters/method.request.header.X-A", "true"),
        op("add", "/requestTemplates/application~1json", "{}"),
        op("add", "/requestTemplates/text~1plain", "x")));
    assertThat(out.getJsonObject("requestParameters").getBoolean("method.request.header.X-A")).isTrue();
    assertThat(out.getJsonObject("requestTemplates").fieldNames()).containsExactlyInAnyOrder("application/json", "text/plain");
    JsonObject removed = patches.apply(out, ops(op("remove", "/requestTemplates/text~1plain", null)));
    assertThat(removed.getJsonObject("requestTemplates").fieldNames()).containsExactly("application/json");
  }

  @Test
  void setsAddRemoveAndRename() {
    JsonObject out = patches.apply(new JsonObject(), ops(op("add", "/binaryMediaTypes/image~1png", null),
        op("add", "/binaryMediaTypes/*~1*", null), op("add", "/binaryMediaTypes/image~1png", null)));
    assertThat(out.getJsonArray("binaryMediaTypes")).containsExactly("image/png", "*/*");
    out = patches.apply(out, ops(op("replace", "/binaryMediaTypes/image~1png", "image/gif"), op("remove", "/binaryMediaTypes/*~1*", null)));
    assertThat(out.getJsonArray("binaryMediaTypes")).containsExactly("image/gif");
  }

  @Test
  void badOperationsPathsAndValuesAreBadRequests() {
    assertBadRequest(() -> patches.apply(new JsonObject(), ops(op("replace", "/unknown", "x"))));
    assertBadRequest(() -> patches.apply(new JsonObject(), ops(op("remove", "/name", null))));
    assertBadRequest(() -> patches.apply(new JsonObject(), ops(op("replace", "/name", null))));
    assertBadRequest(() -> patches.apply(new JsonObject(), ops(op("replace", "/size", "1.5"))));
    assertBadRequest(() -> patches.apply(new JsonObject(), ops(op("jump", "/name", "x"))));
    assertBadRequest(() -> patches.apply(new JsonObject(), ops(op("replace", "name", "x"))));
    assertBadRequest(() -> patches.apply(new JsonObject(), new JsonObject().put("patchOperations", "replace")));
    assertBadRequest(() -> patches.apply(new JsonObject(), new JsonObject().put("patchOperations", new JsonArray().add(1))));
  }

  @Test
  void booleansAreTrueOnlyForTrueAsApiGatewayReadsThem() {
    assertThat(patches.apply(new JsonObject(), ops(op("replace", "/enabled", "TRUE"))).getBoolean("enabled")).isTrue();
    assertThat(patches.apply(new JsonObject(), ops(op("replace", "/enabled", "yes"))).getBoolean("enabled")).isFalse();
    assertThat(patches.apply(new JsonObject(), ops(op("replace", "/enabled", null))).getBoolean("enabled")).isFalse();
  }

  @Test
  void errorsAreWordedAsApiGatewayWordsThem() {
    assertThatThrownBy(() -> patches.apply(new JsonObject(), ops(op("replace", "/unknown", "x"))))
        .hasMessage("BadRequestException: Invalid patch path  '/unknown' specified for op 'replace'. Must be one of: [/name, /description, /enabled, /size, /rate]");
    assertThatThrownBy(() -> patches.apply(new JsonObject(), ops(op("add", "/name", "x"))))
        .hasMessage("BadRequestException: Invalid patch path  '/name' specified for op 'add'. Please choose supported operations");
    Patches short_ = new Patches().scalar("name", Patches.Kind.STRING, false).map("requestModels", Patches.Kind.STRING).shortErrors();
    assertThatThrownBy(() -> short_.apply(new JsonObject(), ops(op("replace", "/other", "x")))).hasMessage("BadRequestException: Invalid patch path /other");
    assertThatThrownBy(() -> short_.apply(new JsonObject(), ops(op("add", "/requestModels/application/json", "x"))))
        .hasMessage("BadRequestException: Invalid patch path /requestModels/application/json");
    assertThatThrownBy(() -> short_.apply(new JsonObject(), ops(op("add", "/name", "x"))))
        .hasMessage("BadRequestException: Invalid patch operation specified. Must be one of: [replace]");
  }

  @Test
  void noOperationsChangeNothing() {
    JsonObject in = new JsonObject().put("name", "a");
    assertThat(patches.apply(in, new JsonObject())).isEqualTo(in);
  }
}
