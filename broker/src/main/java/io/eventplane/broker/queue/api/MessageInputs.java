package io.eventplane.broker.queue.api;

import io.eventplane.broker.queue.domain.AttributeValue;
import io.eventplane.broker.queue.domain.QueueErrors;
import io.eventplane.broker.queue.domain.SendRequest;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Well-formedness rules of a message in SendMessage/SendMessageBatch, as the API reference lists them. */
final class MessageInputs {
  static final int MAX_ATTRIBUTES = 10;
  /** SQS takes letters and digits of any script ("attr.1øßä"), underscores, hyphens and periods. */
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[\\p{L}\\p{N}_.-]{1,256}");
  private static final Pattern GROUP_OR_DEDUP_ID = Pattern.compile("[A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]{1,128}");

  private MessageInputs() {}

  /**
   * The canonical input member the gateway binds SendMessage's and SendMessageBatch's
   * {@code X-Amzn-Trace-Id} header to (no AWS model has it; see the gateway's SqsTraceHeader).
   */
  static final String TRACE_HEADER_MEMBER = "X-Amzn-Trace-Id";

  /**
   * @param traceHeader the call's X-Amzn-Trace-Id, or null
   */
  static SendRequest sendRequest(Inputs in, String traceHeader) {
    String body = in.string("MessageBody");
    // SQS treats an empty body as an absent one (a batch entry reports it as EmptyValue).
    if (body == null || body.isEmpty()) throw QueueErrors.missingParameter("MessageBody");
    checkCharacters(body, "the message body");
    Integer delay = in.integer("DelaySeconds", 0, 900, "DelaySeconds must be >= 0 and <= 900.");
    Map<String, AttributeValue> attrs = attributes(in.object("MessageAttributes"), false);
    Map<String, AttributeValue> system = attributes(in.object("MessageSystemAttributes"), true);
    String dedup = in.string("MessageDeduplicationId");
    String group = in.string("MessageGroupId");
    if (dedup != null && !GROUP_OR_DEDUP_ID.matcher(dedup).matches()) {
      throw QueueErrors.invalidParameter("MessageDeduplicationId", dedup,
          "MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
    }
    if (group != null && !GROUP_OR_DEDUP_ID.matcher(group).matches()) {
      throw QueueErrors.invalidParameter("MessageGroupId", group,
          "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
    }
    return new SendRequest(body, delay, attrs, system, dedup, group, traceHeader);
  }

  /** Characters SQS accepts: #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF. */
  static void checkCharacters(String s, String what) {
    checkCharacters(s, what, "InvalidMessageContents");
  }

  /**
   * As {@link #checkCharacters(String, String)}, failing with {@code code}: a body with such a
   * character is InvalidMessageContents, an attribute value InvalidParameterValue, as on SQS.
   */
  static void checkCharacters(String s, String what, String code) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      boolean ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
          || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (!ok) {
        throw new ServiceException(code, "Invalid binary character '#x"
            + Integer.toHexString(cp).toUpperCase(Locale.ROOT) + "' was found in " + what
            + ", the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
      }
      i += Character.charCount(cp);
    }
  }

  private static Map<String, AttributeValue> attributes(JsonObject json, boolean system) {
    if (json == null || json.isEmpty()) return Map.of();
    String kind = system ? "system attribute" : "(user) attribute";
    if (json.size() > MAX_ATTRIBUTES) {
      throw QueueErrors.invalidParameter("Number of message attributes [" + json.size() + "] exceeds the allowed maximum [" + MAX_ATTRIBUTES + "].");
    }
    Map<String, AttributeValue> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : json) {
      String name = e.getKey();
      if (system) {
        if (!name.equals("AWSTraceHeader")) {
          throw QueueErrors.invalidParameter("Message system attribute name '" + name + "' is invalid.");
        }
      } else if (!ATTRIBUTE_NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".")
          || name.contains("..") || name.toLowerCase(Locale.ROOT).startsWith("aws.")
          || name.toLowerCase(Locale.ROOT).startsWith("amazon.")) {
        throw QueueErrors.invalidParameter("Message " + kind + " name '" + name + "' is invalid. Attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters.");
      }
      if (!(e.getValue() instanceof JsonObject v)) {
        throw QueueErrors.invalidParameter("The message " + kind + " '" + name + "' must contain non-empty message attribute value.");
      }
      out.put(name, value(name, v, kind, system));
    }
    return out;
  }

  /** "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'." (an SQS recording). */
  private static ServiceException emptyValue(String name, String kind, String baseType) {
    return QueueErrors.invalidParameter("Message " + kind + " '" + name + "' must contain a non-empty value of type '"
        + baseType + "'.");
  }

  private static AttributeValue value(String name, JsonObject v, String kind, boolean system) {
    Object typeValue = v.getValue("DataType");
    String type = typeValue instanceof String s ? s : null;
    if (type == null || type.isEmpty()) {
      throw QueueErrors.invalidParameter("The message " + kind + " '" + name + "' must contain non-empty message attribute type.");
    }
    String base = type.contains(".") ? type.substring(0, type.indexOf('.')) : type;
    if (!base.equals("String") && !base.equals("Number") && !base.equals("Binary") || type.length() > 256) {
      throw QueueErrors.invalidParameter("The type of message " + kind + " '" + name
          + "' is invalid. You must use only the following supported type prefixes: Binary, Number, String.");
    }
    if (system && !type.equals("String")) {
      throw QueueErrors.invalidParameter("The message system attribute '" + name + "' must be of type String.");
    }
    if (v.getValue("StringListValues") != null || v.getValue("BinaryListValues") != null) {
      throw QueueErrors.invalidParameter("Message attribute list values in SendMessage operation are not supported.");
    }
    if (base.equals("Binary")) {
      Object b = v.getValue("BinaryValue");
      byte[] bytes;
      try {
        bytes = b instanceof String s ? Base64.getDecoder().decode(s) : null;
      } catch (IllegalArgumentException ex) {
        bytes = null;
      }
      if (bytes == null || bytes.length == 0) throw emptyValue(name, kind, base);
      return new AttributeValue(type, null, bytes);
    }
    Object sv = v.getValue("StringValue");
    String s = sv instanceof String str ? str : sv instanceof Number n ? n.toString() : null;
    if (s == null || s.isEmpty()) throw emptyValue(name, kind, base);
    checkCharacters(s, "the message attribute '" + name + "'", "InvalidParameterValue");
    if (base.equals("Number")) {
      try {
        new BigDecimal(s.trim());
      } catch (NumberFormatException ex) {
        throw QueueErrors.invalidParameter("Can't cast the value of message " + kind + " '" + name + "' to a number.");
      }
    }
    return new AttributeValue(type, s, null);
  }
}
