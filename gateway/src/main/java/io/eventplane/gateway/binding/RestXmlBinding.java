package io.eventplane.gateway.binding;

import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.error.ErrorTable;
import io.eventplane.gateway.error.RestXmlErrorMapper;
import java.time.Duration;
import java.util.Map;

/**
 * A service on REST-XML (S3): resources in the path (or the Host), operations by method and
 * subresource, bodies streamed rather than read, XML documents for the rest.
 */
public record RestXmlBinding(String signingName, String address, ErrorTable errors, Map<String, Duration> slowOperations)
    implements ProtocolBinding {

  public RestXmlBinding {
    slowOperations = Map.copyOf(slowOperations);
  }

  public WireResponse error(ServiceError error, String requestId, String resource, boolean head) {
    return RestXmlErrorMapper.render(errors, error, requestId, hostId(requestId), resource, head);
  }

  /** S3's x-amz-id-2 for a request id. */
  public static String hostId(String requestId) {
    return io.eventplane.common.id.Ids.hostId(requestId);
  }
}
