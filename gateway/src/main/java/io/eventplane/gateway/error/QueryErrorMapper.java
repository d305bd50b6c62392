package io.eventplane.gateway.error;

import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.query.XmlWriter;

/**
 * Errors of the AWS Query protocol:
 * {@code <ErrorResponse><Error><Type/><Code/><Message/>[<Detail/>]</Error><RequestId/></ErrorResponse>}
 * in the service's namespace. SQS and STS write an empty {@code <Detail/>}; SNS and IAM do not.
 */
public final class QueryErrorMapper {
  private QueryErrorMapper() {}

  public static WireResponse render(ErrorTable table, ServiceError error, String requestId, String xmlNamespace,
      boolean detailElement) {
    WireError wire = table.of(error);
    XmlWriter xml = XmlWriter.document()
        .start("ErrorResponse", xmlNamespace)
        .start("Error")
        .element("Type", faultName(error.fault()))
        .element("Code", wire.queryCode())
        .element("Message", table.queryMessage(error));
    if (detailElement) xml.empty("Detail");
    xml.end().element("RequestId", requestId).end();
    return WireResponse.of(wire.status(), WireResponse.XML, xml.toString()).withHeader("x-amzn-RequestId", requestId);
  }

  /** The same error for a caller that accepts {@code application/json}. */
  public static WireResponse renderJson(ErrorTable table, ServiceError error, String requestId) {
    WireError wire = table.of(error);
    String body = io.eventplane.gateway.query.QueryJsonEncoder.error(faultName(error.fault()), wire.queryCode(),
        table.queryMessage(error), requestId);
    return WireResponse.of(wire.status(), WireResponse.JSON, body).withHeader("x-amzn-RequestId", requestId);
  }

  static String faultName(Fault fault) {
    return fault == Fault.RECEIVER ? "Receiver" : "Sender";
  }
}
