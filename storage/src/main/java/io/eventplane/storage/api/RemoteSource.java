package io.eventplane.storage.api;

import io.eventplane.common.blob.Blob;
import io.eventplane.common.error.Fault;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.replication.BlobReplicas;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A copy source in a bucket another node owns (clustered): its bytes are read with a GetObject at
 * the owner's S3 endpoint, streamed straight into the new blob here. The copy-source conditions
 * travel as GetObject's conditions and the range as its Range, and S3's copy errors are made of
 * the owner's answers.
 */
final class RemoteSource {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes \\d+-\\d+/(\\d+)");
  private static final Map<String, String> CONDITIONS = Map.of("CopySourceIfMatch", "If-Match", "CopySourceIfNoneMatch",
      "If-None-Match", "CopySourceIfModifiedSince", "If-Modified-Since", "CopySourceIfUnmodifiedSince", "If-Unmodified-Since");

  private final BlobReplicas nodes;

  RemoteSource(BlobReplicas nodes) {
    this.nodes = nodes;
  }

  /**
   * @param range {@code [first, last]} asked for, or null for the whole object
   * @param write streams the source's bytes into a blob
   */
  Future<Blob> copy(String bucket, String key, JsonObject in, long[] range, Function<ReadStream<Buffer>, Future<Blob>> write) {
    Map<String, String> headers = new LinkedHashMap<>();
    CONDITIONS.forEach((member, header) -> {
      if (in.getString(member) != null) headers.put(header, in.getString(member));
    });
    if (range != null) headers.put("Range", "bytes=" + range[0] + "-" + range[1]);
    String uri = "/" + encode(bucket) + "/" + encode(key).replace("%2F", "/");
    return nodes.getFromOwner(ObjectStore.partitionOf(bucket), uri, headers).compose(response -> {
      int status = response.statusCode();
      if (status == 200 || status == 206) {
        long total = total(response);
        if (range != null && range[1] >= total) {
          response.request().reset();
          throw S3Errors.invalidRequest("Range specified is not valid for source object of size: " + total);
        }
        if (range == null && total > PartCopies.MAX_COPY) {
          response.request().reset();
          throw S3Errors.invalidRequest("The specified copy source is larger than the maximum allowable size for a copy "
              + "source: " + PartCopies.MAX_COPY);
        }
        return write.apply(response);
      }
      return response.body().compose(body -> Future.failedFuture(error(status, body.toString(StandardCharsets.UTF_8))));
    });
  }

  private static long total(HttpClientResponse response) {
    String contentRange = response.getHeader("Content-Range");
    if (contentRange != null) {
      Matcher m = CONTENT_RANGE.matcher(contentRange);
      if (m.matches()) return Long.parseLong(m.group(1));
    }
    return Long.parseLong(response.getHeader("Content-Length"));
  }

  /** The copy's error from the owner's answer to GetObject. */
  private static ServiceException error(int status, String xml) {
    return switch (status) {
      case 304 -> S3Errors.preconditionFailed("x-amz-copy-source-If-None-Match");
      case 412 -> S3Errors.preconditionFailed("x-amz-copy-source-If-Match");
      case 416 -> S3Errors.invalidRequest("Range specified is not valid for source object of size: "
          + element(xml, "ActualObjectSize"));
      default -> {
        String code = element(xml, "Code");
        if (code == null || status >= 500) {
          yield new ServiceException(ServiceError.unavailable("The source object's node answered " + status + "."));
        }
        JsonObject details = new JsonObject();
        for (String d : new String[] {"Key", "BucketName"}) if (element(xml, d) != null) details.put(d, element(xml, d));
        yield new ServiceException(new ServiceError(code, element(xml, "Message"), Fault.SENDER, details));
      }
    };
  }

  private static String element(String xml, String name) {
    int start = xml.indexOf("<" + name + ">");
    int end = xml.indexOf("</" + name + ">");
    return start < 0 || end < start ? null : xml.substring(start + name.length() + 2, end).replace("&lt;", "<")
        .replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
