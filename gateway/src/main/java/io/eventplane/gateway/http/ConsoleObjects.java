package io.eventplane.gateway.http;

import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.gateway.binding.RestXmlBinding;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.function.Supplier;

/**
 * The console's object bodies (upload, download), on S3's own path: a body streams into this node's
 * blob store and only the blob's id travels to the service (the console then calls PutObject, as
 * {@link S3Route} does for a PUT); a download streams the blob segments GetObject names. Clustered, a bucket's bodies live on
 * its owner node, so the console's request is forwarded there over HTTP as S3's requests are.
 */
final class ConsoleObjects {
  private final ServiceBus bus;
  private final RestXmlBinding s3;
  private final Supplier<BlobStore> blobs;
  /** Null standalone: every bucket's bodies are on this node. */
  private final S3Forwarder forwarder;

  ConsoleObjects(ServiceBus bus, RestXmlBinding s3, Supplier<BlobStore> blobs, S3Forwarder forwarder) {
    this.bus = bus;
    this.s3 = s3;
    this.blobs = blobs;
    this.forwarder = forwarder;
  }

  Future<String> bodiesElsewhere(HttpServerRequest request, String bucket, RequestContext context) {
    if (forwarder == null || S3Forwarder.isForwarded(request)) return Future.succeededFuture();
    return bus.call(s3, new ApiRequest("eventplane:Locate", new JsonObject().put("Bucket", bucket), context)).map(reply -> {
      // An error (no such bucket) is the service's to answer where the request is: here.
      if (!reply.succeeded() || reply.output().getBoolean("Local", false)) return null;
      return reply.output().getString("Url");
    });
  }

  Future<Void> forward(HttpServerRequest request, String baseUrl) {
    if (forwarder == null) return Future.failedFuture("standalone: nothing to forward to");
    return forwarder.forward(request, baseUrl);
  }

  Future<JsonObject> writeBlob(ReadStream<Buffer> body) {
    BlobStore store = blobs.get();
    if (store == null) return Future.failedFuture("This node stores no objects.");
    return store.write(body, null, S3Route.MAX_PUT).map(blob -> blob.toJson());
  }

  void dropBlob(String blobId) {
    BlobStore store = blobs.get();
    if (store != null) store.delete(blobId);
  }

  Future<Void> writeObject(JsonObject out, HttpServerResponse to) {
    BlobStore store = blobs.get();
    JsonArray segments = out.getJsonArray("Segments", new JsonArray());
    if (store == null && !segments.isEmpty()) return Future.failedFuture("This node stores no objects.");
    return segment(store, segments, 0, to);
  }

  private Future<Void> segment(BlobStore store, JsonArray segments, int index, HttpServerResponse to) {
    if (index == segments.size()) return to.end();
    JsonObject s = segments.getJsonObject(index);
    return store.read(s.getString("Blob"), s.getLong("Offset"), s.getLong("Length"))
        .compose(file -> file.pipe().endOnSuccess(false).to(to).eventually(() -> file.close()))
        .compose(v -> segment(store, segments, index + 1, to));
  }
}
