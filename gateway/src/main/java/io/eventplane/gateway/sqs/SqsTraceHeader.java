package io.eventplane.gateway.sqs;

import io.eventplane.gateway.binding.HeaderMembers;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The X-Ray trace header of SendMessage and SendMessageBatch: SQS takes {@code X-Amzn-Trace-Id}
 * as the AWSTraceHeader of every message the call sends, unless a message names its own in
 * MessageSystemAttributes (AWS X-Ray developer guide, "Amazon SQS and AWS X-Ray"). The header
 * rides in the canonical input under its own name, a member no AWS model has, so the service can
 * tell it from a system attribute the caller sent (which alone counts toward
 * MD5OfMessageSystemAttributes).
 */
public final class SqsTraceHeader {
  public static final String HEADER = "X-Amzn-Trace-Id";
  public static final HeaderMembers MEMBERS = SqsTraceHeader::bind;
  private static final Set<String> SENDS = Set.of("SendMessage", "SendMessageBatch");

  private SqsTraceHeader() {}

  static JsonObject bind(String operation, JsonObject input, UnaryOperator<String> header) {
    if (!SENDS.contains(operation)) return input;
    String value = header.apply(HEADER);
    if (value == null || value.isBlank()) return input;
    return input.put(HEADER, value);
  }
}
