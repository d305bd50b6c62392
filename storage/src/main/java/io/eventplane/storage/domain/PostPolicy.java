package io.eventplane.storage.domain;

import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The policy of a browser (HTML form) upload: until when the form may be used and what its fields
 * and file may be. Parsed once from the form's base64 {@code policy} field, then checked against
 * the fields as posted and the size of the file received.
 *
 * @param conditions in the order the policy lists them (the first that fails is the one S3 names)
 */
public record PostPolicy(Instant expiration, List<Condition> conditions) {
  /** Fields a policy need not mention: the policy itself, the signature, the file, and whatever the form marks ignorable. */
  private static final Set<String> EXEMPT = Set.of("policy", "x-amz-signature", "signature", "awsaccesskeyid", "file");

  public PostPolicy {
    conditions = List.copyOf(conditions);
  }

  /**
   * One condition.
   *
   * @param operation {@code eq}, {@code starts-with} or {@code content-length-range}
   * @param field the form field without {@code $}, lower-cased (null for a length range)
   * @param written how the policy wrote it, as S3 quotes it in its error
   */
  public record Condition(String operation, String field, String value, long min, long max, String written) {}

  /** The policy the form's {@code policy} field holds; InvalidPolicyDocument when it is not one. */
  public static PostPolicy parse(String base64) {
    JsonObject doc;
    try {
      doc = new JsonObject(new String(java.util.Base64.getMimeDecoder().decode(base64.trim()), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw invalid("Invalid JSON.");
    }
    if (!(doc.getValue("expiration") instanceof String expiration)) throw invalid("Policy missing expiration.");
    Instant expires;
    try {
      expires = Instant.parse(expiration);
    } catch (DateTimeParseException e) {
      throw invalid("Invalid 'expiration' value: '" + expiration + "'");
    }
    if (!(doc.getValue("conditions") instanceof JsonArray list)) throw invalid("Policy missing conditions.");
    List<Condition> conditions = new ArrayList<>();
    for (Object c : list) conditions.addAll(condition(c));
    return new PostPolicy(expires, conditions);
  }

  private static List<Condition> condition(Object c) {
    if (c instanceof JsonObject exact) {
      // {"bucket": "b"} and friends: an exact match of each named field.
      List<Condition> out = new ArrayList<>();
      for (Map.Entry<String, Object> e : exact) {
        if (!(e.getValue() instanceof String v)) throw invalid("Invalid Condition: " + exact.encode());
        String field = e.getKey().toLowerCase(Locale.ROOT);
        out.add(new Condition("eq", field, v, 0, 0, "[\"eq\", \"$" + e.getKey() + "\", \"" + v + "\"]"));
      }
      return out;
    }
    if (!(c instanceof JsonArray a) || a.isEmpty() || !(a.getValue(0) instanceof String op)) {
      throw invalid("Invalid Condition: " + c);
    }
    String operation = op.toLowerCase(Locale.ROOT);
    if (operation.equals("content-length-range")) {
      if (a.size() != 3 || !(a.getValue(1) instanceof Number min) || !(a.getValue(2) instanceof Number max)) {
        throw invalid("Invalid content-length-range: " + a.encode());
      }
      return List.of(new Condition(operation, null, null, min.longValue(), max.longValue(),
          "[\"content-length-range\", " + min + ", " + max + "]"));
    }
    if (!operation.equals("eq") && !operation.equals("starts-with")) throw invalid("Invalid Condition: " + a.encode());
    if (a.size() != 3 || !(a.getValue(1) instanceof String name) || !name.startsWith("$") || !(a.getValue(2) instanceof String v)) {
      throw invalid("Invalid Condition: " + a.encode());
    }
    return List.of(new Condition(operation, name.substring(1).toLowerCase(Locale.ROOT), v, 0, 0,
        "[\"" + op + "\", \"" + name + "\", \"" + v + "\"]"));
  }

  /**
   * Checks the form against the policy: not expired, every condition met, no field the policy does
   * not mention, the file's size within the length range.
   *
   * @param fields the form's fields by lower-cased name (with {@code bucket} naming the bucket)
   */
  public void check(Map<String, String> fields, long size, Instant now) {
    if (now.isAfter(expiration)) throw denied("Policy expired.");
    Set<String> mentioned = new java.util.HashSet<>();
    mentioned.add("bucket");
    for (Condition c : conditions) {
      if (c.operation().equals("content-length-range")) {
        if (size > c.max()) throw S3Errors.entityTooLarge(size, c.max());
        if (size < c.min()) throw S3Errors.entityTooSmall(size, c.min());
        continue;
      }
      mentioned.add(c.field());
      String given = fields.getOrDefault(c.field(), "");
      boolean met = c.operation().equals("eq") ? given.equals(c.value()) : given.startsWith(c.value());
      if (!met) throw denied("Policy Condition failed: " + c.written());
    }
    List<String> extra = new ArrayList<>();
    for (String field : fields.keySet()) {
      if (!mentioned.contains(field) && !EXEMPT.contains(field) && !field.startsWith("x-ignore-")) extra.add(field);
    }
    if (!extra.isEmpty()) throw denied("Extra input fields: " + String.join(", ", extra));
  }

  private static ServiceException denied(String why) {
    return new ServiceException(new ServiceError("AccessDenied", "Invalid according to Policy: " + why,
        io.eventplane.common.error.Fault.SENDER));
  }

  private static ServiceException invalid(String why) {
    return new ServiceException(new ServiceError("InvalidPolicyDocument", "Invalid Policy: " + why,
        io.eventplane.common.error.Fault.SENDER));
  }
}
