package io.eventplane.broker.topic.domain;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * JSON attribute values (policies) as SNS parses them: a value that does not parse is refused
 * with the parser's own words, {@code "<Name>: failed to parse JSON. <parser message>"}, which
 * for Jackson include the location line ({@code \n at [Source: REDACTED ...; line: 1, column: 2]}).
 */
final class JsonText {
  private static final String VERTX_PREFIX = "Failed to decode:";

  private JsonText() {}

  /** The object, or null when {@code value} is not a JSON object; {@code problem[0]} then says why. */
  static JsonObject parse(String value, String[] problem) {
    try {
      return new JsonObject(value);
    } catch (DecodeException e) {
      String m = e.getMessage() == null ? "" : e.getMessage();
      problem[0] = m.startsWith(VERTX_PREFIX) ? m.substring(VERTX_PREFIX.length()) : m;
      return null;
    } catch (ClassCastException e) {
      problem[0] = "Cannot deserialize value as an object";
      return null;
    }
  }

  /** The object, or InvalidParameter {@code <prefix><name>: failed to parse JSON. <why>}. */
  static JsonObject require(String name, String value, String prefix) {
    String[] problem = new String[1];
    JsonObject json = parse(value, problem);
    if (json == null) throw TopicErrors.invalidParameter(prefix + name + ": failed to parse JSON. " + problem[0]);
    return json;
  }
}
