package io.eventplane.gateway.error;

import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.query.XmlWriter;

/**
 * Errors of REST-XML services (S3): {@code <Error><Code/><Message/>[members]<Resource/><RequestId/>
 * <HostId/></Error>} with the error's extra members ({@code BucketName}, {@code Key}, ...) as
 * elements, and the request id headers. A HEAD request's error has no body, as on S3.
 */
public final class RestXmlErrorMapper {
  private RestXmlErrorMapper() {}

  public static WireResponse render(ErrorTable table, ServiceError error, String requestId, String hostId, String resource,
      boolean head) {
    WireError wire = table.of(error);
    XmlWriter x = XmlWriter.document().start("Error").element("Code", wire.queryCode()).element("Message", error.message());
    if (error.details() != null) {
      error.details().forEach(e -> {
        if (e.getValue() != null) x.element(e.getKey(), String.valueOf(e.getValue()));
      });
    }
    if (resource != null) x.element("Resource", resource);
    x.element("RequestId", requestId).element("HostId", hostId).end();
    return WireResponse.of(wire.status(), "application/xml", head ? "" : x.toString())
        .withHeader("x-amz-request-id", requestId).withHeader("x-amz-id-2", hostId);
  }
}
