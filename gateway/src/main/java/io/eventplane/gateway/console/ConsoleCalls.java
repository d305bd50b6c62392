package io.eventplane.gateway.console;

import io.eventplane.common.audit.AuditCaller;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.gateway.binding.ProtocolBinding;
import io.vertx.core.Future;

/**
 * How the console reaches the services: the gateway's own path for a client's call (lanes, the
 * owner node, the audit trail, the API metrics), so what the console does is recorded and counted
 * like an SDK's call, and it never reads storage itself.
 */
public interface ConsoleCalls {
  /** A client call to a service: routed, audited and metered as the gateway does for an SDK. */
  Future<ApiReply> call(ProtocolBinding service, ApiRequest request, AuditCaller caller);

  /** A call to this node's own endpoints (health, cluster). */
  Future<ApiReply> node(String address, ApiRequest request);

  /**
   * Where a bucket's object bodies are kept: null when on this node (always standalone, and for a
   * request another node forwarded here), else the base URL of the node that keeps them.
   */
  Future<String> bodiesElsewhere(io.vertx.core.http.HttpServerRequest request, String bucket,
      io.eventplane.common.bus.RequestContext context);

  /** Sends the paused console request to the node at {@code baseUrl} (its bucket's bodies are there) and relays the answer. */
  Future<Void> forward(io.vertx.core.http.HttpServerRequest request, String baseUrl);

  /**
   * Streams a body the console reads (an upload form's file) into this node's blob store, as S3's
   * PUT does before its PutObject: the answer is the blob's JSON for PutObject's {@code Blob}
   * member; it fails with {@link io.eventplane.common.blob.BlobStore.TooLarge} past S3's 5 GiB.
   */
  Future<io.vertx.core.json.JsonObject> writeBlob(io.vertx.core.streams.ReadStream<io.vertx.core.buffer.Buffer> body);

  /** Deletes a blob {@link #writeBlob} wrote that no object took (the upload was refused). */
  void dropBlob(String blobId);

  /** Writes the body a GetObject answer names (its blob segments, kept on this node) to {@code to}, then ends it. */
  Future<Void> writeObject(io.vertx.core.json.JsonObject getObjectOutput, io.vertx.core.http.HttpServerResponse to);
}
