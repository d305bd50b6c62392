package io.eventplane.storage.replication;

import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.Placement;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies a partition's new blobs to the nodes that replicate the partition, over HTTP (the
 * receiving node's {@code PUT /_eventplane/s3/blobs/<id>}), before the metadata that names them is
 * committed: so a write is acknowledged only when its bytes are on the replicas too, and a replica
 * that takes the partition over has every body its metadata names. Deleted blobs are forgotten on
 * the replicas best-effort (what is missed, a replica's start-up sweep deletes).
 */
public final class BlobReplicas {
  /** The internal question a node's storage service answers with its HTTP endpoint. */
  public static final String ENDPOINT = "eventplane:Endpoint";
  /** The endpoint path prefix where a node receives blobs. */
  public static final String PATH = "/_eventplane/s3/blobs/";
  private static final Logger LOG = Logger.getLogger(BlobReplicas.class.getName());

  private final Placement placement;
  private final NodeCalls calls;
  private final BlobStore blobs;
  private final HttpClient http;
  private final Map<String, String> endpoints = new ConcurrentHashMap<>();

  public BlobReplicas(Vertx vertx, Placement placement, NodeCalls calls, BlobStore blobs) {
    this.placement = placement;
    this.calls = calls;
    this.blobs = blobs;
    this.http = vertx.createHttpClient(new HttpClientOptions().setIdleTimeout(60), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(16));
    placement.onMemberLeft(endpoints::remove);
  }

  /** A node's HTTP endpoint, as its storage service says (cached while it is a member). */
  public Future<String> endpointOf(String node) {
    String known = endpoints.get(node);
    if (known != null) return Future.succeededFuture(known);
    ApiRequest question = new ApiRequest(ENDPOINT, new JsonObject(),
        new RequestContext("internal", "internal", Ids.uuid(), "http://internal"));
    return calls.call(node, question).map(answer -> {
      String url = answer.getString("url");
      endpoints.put(node, url);
      return url;
    });
  }

  /** Copies the blobs to every replica of the partition; fails (retryably) when one of them does not take them. */
  public Future<Void> copy(int partition, List<BlobRef> refs) {
    List<String> replicas = placement.replicasOf(partition);
    if (replicas.isEmpty() || refs.isEmpty()) return Future.succeededFuture();
    List<Future<Void>> all = new ArrayList<>();
    for (String node : replicas) {
      for (BlobRef ref : refs) all.add(endpointOf(node).compose(url -> send(url, ref)));
    }
    return Future.all(all).<Void>mapEmpty().recover(e -> Future.failedFuture(new ServiceException(
        ServiceError.unavailable("The object's bytes could not be copied to its replica: " + e.getMessage()))));
  }

  private Future<Void> send(String url, BlobRef ref) {
    return blobs.read(ref.id(), 0, ref.size()).compose(body -> http.request(new RequestOptions().setMethod(HttpMethod.PUT)
            .setAbsoluteURI(url + PATH + ref.id()).putHeader("Content-Length", Long.toString(ref.size())))
        .compose(request -> request.send(body))
        .compose(response -> response.body().compose(b -> response.statusCode() == 200 ? Future.<Void>succeededFuture()
            : Future.failedFuture("the replica answered " + response.statusCode() + " " + b)))
        .eventually(() -> body.close()));
  }

  /**
   * A GET to the S3 endpoint of the partition's owner, marked as forwarded so that the owner answers
   * it itself: how a node reads bytes of an object another node keeps (UploadPartCopy from a bucket
   * of another owner). The caller consumes or resets the response.
   */
  public Future<io.vertx.core.http.HttpClientResponse> getFromOwner(int partition, String uri, Map<String, String> headers) {
    String owner = placement.ownerOf(partition);
    if (owner == null) {
      return Future.failedFuture(new ServiceException(ServiceError.unavailable("The source bucket's node is not known yet.")));
    }
    return endpointOf(owner).compose(url -> {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url + uri)
          .putHeader(FORWARDED, "1");
      headers.forEach(options::putHeader);
      return http.request(options);
    }).compose(request -> request.send());
  }

  /** The gateway's mark of a request one node sends another (S3Forwarder's). */
  private static final String FORWARDED = "x-eventplane-forwarded";

  /** Deletes the blobs on the partition's replicas, best-effort. */
  public void forget(int partition, List<String> ids) {
    for (String node : placement.replicasOf(partition)) {
      for (String id : ids) {
        endpointOf(node)
            .compose(url -> http.request(new RequestOptions().setMethod(HttpMethod.DELETE).setAbsoluteURI(url + PATH + id)))
            .compose(request -> request.send())
            .compose(response -> response.body())
            .onFailure(e -> LOG.log(Level.FINE, "could not delete blob " + id + " on " + node, e));
      }
    }
  }

  /** A blob to copy: its id and size. */
  public record BlobRef(String id, long size) {}
}
