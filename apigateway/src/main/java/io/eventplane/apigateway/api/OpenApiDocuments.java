package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * OpenAPI (and Swagger) documents as text, read and written: what ImportApi/ReimportApi (v2),
 * ImportRestApi/PutRestApi (v1) read, and ExportApi (v2) and GetExport (v1) write. JSON when the
 * text starts with {@code {}, else YAML by SnakeYAML's safe loader (no tags, no objects built).
 */
public final class OpenApiDocuments {
  private OpenApiDocuments() {}

  /**
   * The document as one object; {@code invalid} words the BadRequestException for text that is
   * neither (with the parser's first line after it when {@code withDetail}).
   */
  public static JsonObject read(String body, String invalid, boolean withDetail) {
    if (body == null || body.isBlank()) throw badRequest(invalid);
    String text = body.strip();
    try {
      if (text.startsWith("{")) return new JsonObject(text);
      Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
      if (!(yaml instanceof Map<?, ?> map)) throw badRequest(invalid);
      return new JsonObject(Json.encode(map));
    } catch (DecodeException | org.yaml.snakeyaml.error.YAMLException | IllegalStateException e) {
      throw badRequest(withDetail ? invalid + ": " + String.valueOf(e.getMessage()).split("\n")[0] : invalid);
    }
  }

  /** The document as YAML (block style, as AWS's exports) or as indented JSON. */
  public static String write(JsonObject document, boolean yaml) {
    if (!yaml) return document.encodePrettily();
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setSplitLines(false);
    // Plain maps and lists (JsonObject is no Map to SnakeYAML), in the document's order.
    return new Yaml(new Representer(options), options).dump(Json.decodeValue(document.encode(), Map.class));
  }
}
