package io.eventplane.gateway.binding;

import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;

/**
 * HTTP headers an operation takes as input besides its body or form, bound into the canonical
 * input (as REST protocols bind headers to members). SQS reads {@code X-Amzn-Trace-Id} on
 * SendMessage and SendMessageBatch, for instance.
 */
@FunctionalInterface
public interface HeaderMembers {
  HeaderMembers NONE = (operation, input, header) -> input;

  /**
   * @param header the request's header of a name (case-insensitive), or null
   * @return the input with the operation's header members added
   */
  JsonObject bind(String operation, JsonObject input, UnaryOperator<String> header);
}
