package io.eventplane.gateway.binding;

import java.time.Duration;
import java.util.Map;

/**
 * How one AWS service meets the wire: its SigV4 signing name, wire protocol, model, error table and
 * the event-bus address its calls go to. The gateway knows services only through
 * {@link ProtocolBindings#ALL}; routing, error rendering and the gateway tests' fake services
 * derive from that list.
 */
public sealed interface ProtocolBinding permits QueryBinding, JsonBinding, RestJsonBinding, RestXmlBinding {
  /** The service's SigV4 signing name ({@code sqs}): how a signed request names it. */
  String signingName();

  /** The event-bus address of the service; null when the gateway answers the calls itself (STS). */
  String address();

  /** Operations that may legitimately take longer than the gateway's service timeout, and by how much. */
  Map<String, Duration> slowOperations();

  default Duration extraWait(String operation) {
    return slowOperations().getOrDefault(operation, Duration.ZERO);
  }
}
