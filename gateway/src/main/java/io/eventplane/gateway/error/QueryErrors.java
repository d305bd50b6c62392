package io.eventplane.gateway.error;

import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.query.XmlWriter;

/** Renders errors of the AWS Query protocol (SQS and STS differ only in the namespace). */
public final class QueryErrors {
  private QueryErrors() {}

  public static WireResponse render(ServiceError error, String requestId, String xmlNamespace) {
    WireError wire = SqsErrorCodes.of(error);
    XmlWriter xml = XmlWriter.document()
        .start("ErrorResponse", xmlNamespace)
        .start("Error")
        .element("Type", JsonErrors.faultName(error.fault()))
        .element("Code", wire.queryCode())
        .element("Message", error.message())
        .empty("Detail")
        .end()
        .element("RequestId", requestId)
        .end();
    return WireResponse.of(wire.status(), WireResponse.XML, xml.toString())
        .withHeader("x-amzn-RequestId", requestId);
  }
}
