package io.eventplane.eventbridge.transform;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a target receives for a matched event, exactly as EventBridge makes it from the target's
 * {@code Input}, {@code InputPath} or {@code InputTransformer} (at most one of them):
 *
 * <ul>
 *   <li>none: the event's JSON;
 *   <li>{@code Input}: that text, verbatim;
 *   <li>{@code InputPath}: the JSON text of what the path selects ({@code "baz"} for a string,
 *       {@code null} when it selects nothing);
 *   <li>{@code InputTransformer}: the template filled with the variables of {@code InputPathsMap}
 *       and the reserved {@code aws.events.*} ones, quoted as {@link InputTemplate} describes.
 * </ul>
 *
 * <p>{@link #of} validates at PutTargets time and compiles; {@link #render(JsonObject, String,
 * String, Instant)} runs for every delivery. Instances are immutable and thread-safe.
 */
public final class TargetInput {
  static final String RULE_ARN = "aws.events.rule-arn";
  static final String RULE_NAME = "aws.events.rule-name";
  static final String INGESTION_TIME = "aws.events.event.ingestion-time";
  static final Set<String> RESERVED =
      Set.of(RULE_ARN, RULE_NAME, INGESTION_TIME, InputTemplate.EVENT, InputTemplate.EVENT_JSON);

  private static final Pattern PATH_KEY = Pattern.compile("[A-Za-z0-9_\\-]+");
  private static final int MAX_INPUT = 8192;
  private static final int MAX_PATH = 256;
  private static final int MAX_KEY = 256;
  private static final int MAX_VARIABLES = 100;
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ISO_INSTANT;

  private final String input;
  private final JsonPath inputPath;
  private final Map<String, JsonPath> paths;
  private final InputTemplate template;
  private final Set<String> reservedUsed;

  private TargetInput(String input, JsonPath inputPath, Map<String, JsonPath> paths, InputTemplate template) {
    this.input = input;
    this.inputPath = inputPath;
    this.paths = paths;
    this.template = template;
    this.reservedUsed = template == null ? Set.of()
        : template.placeholders().stream().filter(RESERVED::contains).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /**
   * Validates a target's input members as PutTargets does and compiles them.
   *
   * @param target the target as PutTargets gives it (members {@code Id}, {@code Input},
   *     {@code InputPath}, {@code InputTransformer})
   * @param position the target's 1-based position in the request, which AWS names in its
   *     constraint messages ({@code targets.2.member.input})
   * @throws ServiceException {@code ValidationException} with EventBridge's message
   */
  public static TargetInput of(JsonObject target, int position) {
    String id = target.getString("Id");
    String input = target.getString("Input");
    String inputPath = target.getString("InputPath");
    JsonObject transformer = target.getJsonObject("InputTransformer");
    int given = (input != null ? 1 : 0) + (inputPath != null ? 1 : 0) + (transformer != null ? 1 : 0);
    if (given > 1) {
      throw validation("Only one of Input, InputPath, or InputTransformer must be provided for target " + id + ".");
    }
    String member = "targets." + position + ".member.";
    if (input != null) {
      if (input.length() > MAX_INPUT) throw constraint(input, member + "input", "Member must have length less than or equal to " + MAX_INPUT);
      if (!isJson(input)) throw validation("Input for target " + id + " is not a valid JSON text.");
      return new TargetInput(input, null, null, null);
    }
    if (inputPath != null) {
      if (inputPath.length() > MAX_PATH) throw constraint(inputPath, member + "inputPath", "Member must have length less than or equal to " + MAX_PATH);
      return new TargetInput(null, path(inputPath, id), null, null);
    }
    if (transformer != null) return transformer(transformer, id, member + "inputTransformer.");
    return new TargetInput(null, null, null, null);
  }

  private static TargetInput transformer(JsonObject transformer, String id, String member) {
    JsonObject map = transformer.getJsonObject("InputPathsMap", new JsonObject());
    if (map.size() > MAX_VARIABLES) {
      throw constraint(shown(map), member + "inputPathsMap", "Member must have length less than or equal to " + MAX_VARIABLES);
    }
    for (String key : map.fieldNames()) {
      if (key.isEmpty() || key.length() > MAX_KEY || !PATH_KEY.matcher(key).matches()) {
        throw constraint(shown(map), member + "inputPathsMap", "Map keys must satisfy constraint: [" + keyConstraints(key) + "]");
      }
    }
    String text = transformer.getString("InputTemplate");
    if (text == null) {
      throw validation("1 validation error detected: Value null at '" + member + "inputTemplate' failed to satisfy constraint: Member must not be null");
    }
    if (text.isEmpty()) throw constraint(text, member + "inputTemplate", "Member must have length greater than or equal to 1");
    if (text.length() > MAX_INPUT) throw constraint(text, member + "inputTemplate", "Member must have length less than or equal to " + MAX_INPUT);
    Map<String, JsonPath> paths = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : map) {
      String value = e.getValue() instanceof String s ? s : String.valueOf(e.getValue());
      if (value.length() > MAX_PATH) {
        throw constraint(shown(map), member + "inputPathsMap", "Map value must satisfy constraint: [Member must have length less than or equal to " + MAX_PATH + "]");
      }
      paths.put(e.getKey(), path(value, id));
    }
    InputTemplate template = InputTemplate.compile(text);
    for (String name : template.placeholders()) {
      if (!paths.containsKey(name) && !RESERVED.contains(name)) {
        throw validation("InputTemplate for target " + id + " contains invalid placeholder " + name + ".");
      }
    }
    return new TargetInput(null, null, Map.copyOf(paths), template);
  }

  /** Shortcut for one delivery: {@link #of} (as the first target of a request) then render. */
  public static String render(JsonObject target, JsonObject event, String ruleArn, String ruleName, Instant ingestion) {
    return of(target, 1).render(event, ruleArn, ruleName, ingestion);
  }

  /**
   * The text to deliver to the target for {@code event} (the full envelope: version, id,
   * detail-type, source, account, time, region, resources, detail).
   */
  public String render(JsonObject event, String ruleArn, String ruleName, Instant ingestion) {
    if (input != null) return input;
    if (inputPath != null) {
      Object v = inputPath.select(event);
      return Json.encode(v == JsonPath.MISSING ? null : v);
    }
    if (template == null) return event.encode();
    Map<String, Object> values = new HashMap<>();
    for (Map.Entry<String, JsonPath> e : paths.entrySet()) values.put(e.getKey(), e.getValue().select(event));
    // Only what the template names: the event copy and the timestamp cost on every delivery.
    for (String name : reservedUsed) {
      values.put(name, switch (name) {
        case RULE_ARN -> ruleArn;
        case RULE_NAME -> ruleName;
        case INGESTION_TIME -> SECONDS.format(ingestion.truncatedTo(ChronoUnit.SECONDS));
        case InputTemplate.EVENT -> withoutDetail(event);
        default -> event;
      });
    }
    return template.render(values);
  }

  /**
   * {@code <aws.events.event>}: the event without its detail, in the shape and member order AWS
   * delivers it (recorded against AWS: {@code detailType}, not {@code detail-type}).
   */
  private static JsonObject withoutDetail(JsonObject event) {
    JsonObject out = new JsonObject();
    copy(event, "id", out, "id");
    copy(event, "account", out, "account");
    copy(event, "detail-type", out, "detailType");
    copy(event, "time", out, "time");
    copy(event, "source", out, "source");
    copy(event, "region", out, "region");
    copy(event, "resources", out, "resources");
    copy(event, "version", out, "version");
    return out;
  }

  private static void copy(JsonObject from, String key, JsonObject to, String as) {
    if (from.containsKey(key)) to.put(as, from.getValue(key));
  }

  private static JsonPath path(String text, String id) {
    try {
      return JsonPath.parse(text);
    } catch (IllegalArgumentException e) {
      throw validation("InputPath for target " + id + " is invalid.");
    }
  }

  private static boolean isJson(String text) {
    try {
      Json.decodeValue(text);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String keyConstraints(String key) {
    StringBuilder b = new StringBuilder();
    if (key.length() > MAX_KEY) b.append("Member must have length less than or equal to ").append(MAX_KEY);
    if (key.isEmpty()) b.append("Member must have length greater than or equal to 1");
    if (!PATH_KEY.matcher(key).matches()) {
      if (b.length() > 0) b.append(", ");
      b.append("Member must satisfy regular expression pattern: [A-Za-z0-9\\_\\-]+");
    }
    return b.toString();
  }

  /** A map as AWS's validation messages show it: {@code {key=value, ...}}. */
  private static String shown(JsonObject map) {
    return map.getMap().toString();
  }

  private static ServiceException constraint(String value, String member, String constraint) {
    return validation("1 validation error detected: Value '" + value + "' at '" + member
        + "' failed to satisfy constraint: " + constraint);
  }

  private static ServiceException validation(String message) {
    return new ServiceException(ServiceError.sender("ValidationException", message));
  }
}
