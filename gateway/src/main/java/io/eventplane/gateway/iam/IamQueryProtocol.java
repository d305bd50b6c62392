package io.eventplane.gateway.iam;

import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.error.IamErrorCodes;
import io.eventplane.gateway.query.QueryInputDecoder;
import io.eventplane.gateway.query.QueryXmlEncoder;
import io.eventplane.gateway.query.XmlWriter;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** IAM over the AWS Query protocol: form parameters in, XML out. */
public final class IamQueryProtocol {
  private IamQueryProtocol() {}

  public static JsonObject input(String action, Map<String, String> params) {
    return QueryInputDecoder.decode(IamModel.operation(action).input(), params);
  }

  public static WireResponse success(String action, JsonObject output, String requestId) {
    String xml;
    try {
      xml = QueryXmlEncoder.encode(IamModel.MODEL, action, output, requestId);
    } catch (IllegalStateException e) {
      return error(ServiceError.internal("The service answered " + action + " with output the Query protocol cannot carry: "
          + e.getMessage()), requestId);
    }
    return WireResponse.of(200, WireResponse.XML, xml).withHeader("x-amzn-RequestId", requestId);
  }

  /** IAM writes {@code <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>}. */
  public static WireResponse error(ServiceError error, String requestId) {
    IamErrorCodes.Wire wire = IamErrorCodes.of(error);
    XmlWriter xml = XmlWriter.document()
        .start("ErrorResponse", IamModel.XML_NAMESPACE)
        .start("Error")
        .element("Type", wire.senderFault() ? "Sender" : "Receiver")
        .element("Code", wire.code())
        .element("Message", error.message())
        .end()
        .element("RequestId", requestId)
        .end();
    return WireResponse.of(wire.status(), WireResponse.XML, xml.toString()).withHeader("x-amzn-RequestId", requestId);
  }
}
