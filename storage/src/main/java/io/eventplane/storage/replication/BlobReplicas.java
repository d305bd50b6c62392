package io.eventplane.storage.replication;

import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.common.partition.NodeCalls;
import io.eventplane.common.partition.Placement;
import io.eventplane.common.secret.NodeRequestSigner;
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
  private final NodeRequestSigner signer;

  /** @param signer signs the requests when the auth mode verifies signatures (the receiving gateway checks); null: unsigned */
  public BlobReplicas(Vertx vertx, Placement placement, NodeCalls calls, BlobStore blobs, NodeRequestSigner signer) {
    this.signer = signer;
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
      for (BlobRef ref : refs) all.add(endpointOf(node).compose(url -> send(url, ref, ref.id())));
    }
    return Future.all(all).<Void>mapEmpty().recover(e -> Future.failedFuture(new ServiceException(
        ServiceError.unavailable("The object's bytes could not be copied to its replica: " + e.getMessage()))));
  }

  /**
   * Puts a copy of a local blob, under a new id, on the node that owns {@code partition} (bucket
   * replication: the destination bucket may be another node's); completes with the new id. A
   * copy left behind by a call that then fails is deleted by that node's start-up sweep.
   */
  public Future<String> copyToOwner(int partition, BlobRef ref) {
    String owner = placement.ownerOf(partition);
    if (owner == null) return Future.failedFuture(new ServiceException(ServiceError.unavailable("no owner for the partition")));
    if (owner.equals(placement.self())) return blobs.copy(ref.id());
    String id = Ids.uuid().replace("-", "");
    return endpointOf(owner).compose(url -> send(url, ref, id)).map(v -> id);
  }

  /** Deletes a blob on the partition's owner, best-effort (a copy that was not used). */
  public void forgetOnOwner(int partition, String id) {
    String owner = placement.ownerOf(partition);
    if (owner == null) return;
    if (owner.equals(placement.self())) {
      blobs.delete(id);
      return;
    }
    endpointOf(owner)
        .compose(url -> http.request(signed(new RequestOptions().setMethod(HttpMethod.DELETE), url, PATH + id, -1)))
        .compose(request -> request.send())
        .compose(response -> response.body())
        .onFailure(e -> LOG.log(Level.FINE, "could not delete blob " + id + " on " + owner, e));
  }

  private Future<Void> send(String url, BlobRef ref, String targetId) {
    return blobs.read(ref.id(), 0, ref.size()).compose(body -> http.request(signed(new RequestOptions().setMethod(HttpMethod.PUT)
            .putHeader("Content-Length", Long.toString(ref.size())), url, PATH + targetId, ref.size()))
        .compose(request -> request.send(body))
        .compose(response -> response.body().compose(b -> response.statusCode() == 200 ? Future.<Void>succeededFuture()
            : Future.failedFuture("the replica answered " + response.statusCode() + " " + b)))
        .eventually(() -> body.close()));
  }

  /**
   * Copies a blob of another node (the owner of a copy's source bucket, at {@code url}) into a new
   * blob here; completes with the new blob's id, complete and fsynced.
   */
  public Future<String> fetch(String url, BlobRef ref) {
    String id = Ids.uuid().replace("-", "");
    return http.request(signed(new RequestOptions().setMethod(HttpMethod.GET), url,
            PATH + ref.id() + "?length=" + ref.size(), -1))
        .compose(request -> request.send())
        .compose(response -> {
          if (response.statusCode() != 200) {
            return response.body().compose(b -> Future.<String>failedFuture(new ServiceException(ServiceError.unavailable(
                "The copy source's bytes could not be read from its node: " + response.statusCode()))));
          }
          return blobs.receive(id, response).map(v -> id);
        });
  }

  /** Deletes the blobs on the partition's replicas, best-effort. */
  public void forget(int partition, List<String> ids) {
    for (String node : placement.replicasOf(partition)) {
      for (String id : ids) {
        endpointOf(node)
            .compose(url -> http.request(signed(new RequestOptions().setMethod(HttpMethod.DELETE), url, PATH + id, -1)))
            .compose(request -> request.send())
            .compose(response -> response.body())
            .onFailure(e -> LOG.log(Level.FINE, "could not delete blob " + id + " on " + node, e));
      }
    }
  }

  /** The request to {@code url + pathAndQuery}, with the node's signature when there is a signer. */
  private RequestOptions signed(RequestOptions options, String url, String pathAndQuery, long contentLength) {
    options.setAbsoluteURI(url + pathAndQuery);
    if (signer != null) signer.headers(options.getMethod().name(), pathAndQuery, contentLength).forEach(options::putHeader);
    return options;
  }

  /** A blob to copy: its id and size. */
  public record BlobRef(String id, long size) {}
}
