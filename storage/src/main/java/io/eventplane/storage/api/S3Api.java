package io.eventplane.storage.api;

import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceException;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.notify.Notifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.eventplane.common.config.StorageSettings;
import java.time.Clock;
import java.util.List;

/** S3's operations, by name, on the buckets of this node's partitions. */
public final class S3Api {
  /** Before a body streams into a blob: the bucket exists, a conditional write may go ahead. */
  public static final String PREPARE_WRITE = "eventplane:PrepareWrite";
  /** Before a part's body streams into a blob: the upload exists. */
  public static final String PREPARE_PART = "eventplane:PreparePart";

  private final BucketOperations bucketOps;
  private final ObjectOperations objects;
  private final DeleteOperations deletes;
  private final Listing listing;
  private final VersionListing versionListing;
  private final MultipartOperations multipart;
  private final NotificationOperations notifications;
  private final CopySources sources;
  private final CorsOperations cors;
  private final BucketTaggingOperations bucketTagging;
  private final PolicyOperations policies;
  private final EncryptionOperations encryption;
  private final AclOperations acls;
  private final OwnershipControlsOperations ownership;
  private final PublicAccessBlockOperations publicAccess;
  private final RestoreOperations restores;
  private final LifecycleOperations lifecycles;
  private final LifecycleSweep lifecycleSweep;
  private final Buckets buckets;
  private final Clock clock;
  private final PostOperations posts;
  private final PartCopies partCopies;
  private final Attributes attributes;
  private final VersioningOperations versioning;
  private final ReplicationTasks replicationTasks;
  private final ReplicationOperations replication;

  /**
   * @param replicas copies bodies to the partition's replicas (null standalone)
   * @param endpointUrl this node's HTTP endpoint for other nodes (null standalone): a copy source
   *     whose owner answers with it is on this node's disk, linked rather than fetched
   * @param route sends a request to the owner of the bucket it names, this node or another (a copy's
   *     source may be anywhere, a replication destination too)
   */
  public S3Api(io.vertx.core.Vertx vertx, Buckets buckets, BlobStore blobs,
      io.eventplane.storage.replication.BlobReplicas replicas, Notifier notifier, Clock clock, StorageSettings settings,
      String endpointUrl, java.util.function.Function<ApiRequest, Future<JsonObject>> route) {
    Events events = new Events(buckets, clock);
    Bodies bodies = new Bodies(blobs, replicas);
    this.replicationTasks = new ReplicationTasks(vertx, buckets, blobs, replicas, route, events, notifier, clock,
        settings.replicationDelayMillis());
    this.buckets = buckets;
    this.clock = clock;
    this.bucketOps = new BucketOperations(buckets, clock);
    Versions versions = new Versions(buckets, clock);
    this.sources = new CopySources(buckets, bodies, replicas, route, versions, endpointUrl);
    this.objects = new ObjectOperations(buckets, bodies, events, notifier, clock, settings.dayLengthMillis(), sources, versions,
        replicationTasks);
    this.deletes = new DeleteOperations(buckets, bodies, events, notifier, versions, replicationTasks);
    this.versionListing = new VersionListing(buckets);
    this.versioning = new VersioningOperations(buckets);
    this.listing = new Listing(buckets);
    this.multipart = new MultipartOperations(buckets, bodies, events, notifier, clock, settings.dayLengthMillis(), versions,
        replicationTasks);
    this.replication = new ReplicationOperations(buckets, blobs, bodies, objects, deletes, route);
    this.notifications = new NotificationOperations(buckets, notifier, clock);
    this.cors = new CorsOperations(buckets);
    this.bucketTagging = new BucketTaggingOperations(buckets);
    this.policies = new PolicyOperations(buckets);
    this.encryption = new EncryptionOperations(buckets);
    this.acls = new AclOperations(buckets, events, notifier);
    this.ownership = new OwnershipControlsOperations(buckets);
    this.publicAccess = new PublicAccessBlockOperations(buckets);
    this.restores = new RestoreOperations(buckets, events, notifier, clock, settings);
    this.lifecycles = new LifecycleOperations(buckets);
    this.lifecycleSweep = new LifecycleSweep(buckets, deletes, multipart, events, notifier, clock, settings.dayLengthMillis());
    this.posts = new PostOperations(objects, clock);
    this.partCopies = new PartCopies(buckets, bodies, multipart, sources);
    this.attributes = new Attributes(buckets);
  }

  /** The owner's answer to another node copying one of its objects: the object's metadata. */
  public Future<JsonObject> copySource(ApiRequest request) {
    return sources.describe(request.input());
  }

  /** The internal operation that asks a bucket's owner for a copy source. */
  public static boolean isCopySource(String operation) {
    return operation.equals(CopySources.SOURCE_OBJECT);
  }

  /** Runs the partition's schedule entries that are due (restores completing, restored copies expiring). */
  public Future<Void> runDue(int partition) {
    return buckets.blocking(() -> buckets.store().dueSchedules(partition, clock.millis(), 1000)).compose(due -> {
      List<Future<Void>> all = new java.util.ArrayList<>();
      for (JsonObject entry : due) all.add(restores.run(partition, entry));
      return Future.join(all).mapEmpty();
    });
  }

  /** Applies the lifecycle rules of the partition's buckets once. */
  public Future<Void> sweepLifecycle(int partition) {
    return lifecycleSweep.sweep(partition);
  }

  public Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    if (in.getString("Origin") == null || request.operation().equals(CorsOperations.PREFLIGHT)) return dispatch(request, in);
    Future<JsonObject> out;
    try {
      out = dispatch(request, in);
    } catch (RuntimeException e) {
      out = Future.failedFuture(e);
    }
    // A browser's actual request from an allowed origin gets the CORS headers with its answer, an error too.
    return out.map(o -> cors.decorate(in, o)).recover(e -> Future.failedFuture(cors.decorate(in, e)));
  }

  private Future<JsonObject> dispatch(ApiRequest request, JsonObject in) {
    return switch (request.operation()) {
      case "CreateBucket" -> bucketOps.create(in, request.context());
      case "HeadBucket" -> bucketOps.head(in);
      case "DeleteBucket" -> bucketOps.delete(in);
      case "GetBucketLocation" -> bucketOps.location(in);
      case PREPARE_WRITE -> objects.prepareWrite(in);
      case PREPARE_PART -> multipart.prepare(in);
      case "PutObject" -> objects.put(in, request.context());
      case "PostObject" -> posts.post(in, request.context());
      case "GetObject" -> objects.get(in, true);
      case "HeadObject" -> objects.get(in, false);
      case "GetObjectAttributes" -> attributes.get(in);
      case "DeleteObject" -> deletes.delete(in, request.context());
      case "DeleteObjects" -> deletes.deleteMany(in, request.context());
      case "CopyObject" -> objects.copy(in, request.context());
      case "GetObjectTagging" -> objects.getTagging(in);
      case "PutObjectTagging" -> objects.putTagging(in, request.context(), false);
      case "DeleteObjectTagging" -> objects.putTagging(in, request.context(), true);
      case "ListObjectsV2" -> listing.v2(in);
      case "ListObjects" -> listing.v1(in);
      case "ListObjectVersions" -> versionListing.list(in);
      case "CreateMultipartUpload" -> multipart.create(in);
      case "UploadPart" -> multipart.uploadPart(in);
      case "UploadPartCopy" -> partCopies.copyPart(in, request.context());
      case "CompleteMultipartUpload" -> multipart.complete(in, request.context());
      case "AbortMultipartUpload" -> multipart.abort(in);
      case "ListParts" -> multipart.listParts(in);
      case "ListMultipartUploads" -> multipart.listUploads(in);
      case "PutBucketNotificationConfiguration" -> notifications.put(in, request.context());
      case "GetBucketNotificationConfiguration" -> notifications.get(in);
      case "PutBucketCors" -> cors.put(in);
      case "GetBucketCors" -> cors.get(in);
      case "DeleteBucketCors" -> cors.delete(in);
      case CorsOperations.PREFLIGHT -> cors.preflight(in);
      case "PutBucketTagging" -> bucketTagging.put(in);
      case "GetBucketTagging" -> bucketTagging.get(in);
      case "DeleteBucketTagging" -> bucketTagging.delete(in);
      case "PutBucketPolicy" -> policies.put(in);
      case "GetBucketPolicy" -> policies.get(in);
      case PolicyOperations.FOR_AUTHORIZATION -> policies.forAuthorization(in);
      case "DeleteBucketPolicy" -> policies.delete(in);
      case "GetBucketPolicyStatus" -> policies.status(in);
      case "PutBucketEncryption" -> encryption.put(in);
      case "GetBucketEncryption" -> encryption.get(in);
      case "DeleteBucketEncryption" -> encryption.delete(in);
      case "GetBucketAcl" -> acls.getBucket(in);
      case "PutBucketAcl" -> acls.putBucket(in);
      case "GetObjectAcl" -> acls.getObject(in);
      case "PutObjectAcl" -> acls.putObject(in, request.context());
      case "PutBucketOwnershipControls" -> ownership.put(in);
      case "GetBucketOwnershipControls" -> ownership.get(in);
      case "DeleteBucketOwnershipControls" -> ownership.delete(in);
      case "PutPublicAccessBlock" -> publicAccess.put(in);
      case "GetPublicAccessBlock" -> publicAccess.get(in);
      case "DeletePublicAccessBlock" -> publicAccess.delete(in);
      case "RestoreObject" -> restores.restore(in, request.context());
      case "PutBucketLifecycleConfiguration" -> lifecycles.put(in);
      case "GetBucketLifecycleConfiguration" -> lifecycles.get(in);
      case "DeleteBucketLifecycle" -> lifecycles.delete(in);
      case "PutBucketVersioning" -> versioning.put(in);
      case "GetBucketVersioning" -> versioning.get(in);
      case "PutBucketReplication" -> replication.put(in, request.context());
      case "GetBucketReplication" -> replication.get(in);
      case "DeleteBucketReplication" -> replication.delete(in);
      case ReplicationOperations.TARGET -> replication.target(in);
      case ReplicationTasks.PUT_REPLICA -> replication.putReplica(in, request.context());
      case ReplicationTasks.PUT_REPLICA_DELETE_MARKER -> replication.putReplicaDeleteMarker(in, request.context());
      default -> throw new ServiceException(io.eventplane.common.error.ServiceError.sender("NotImplemented",
          "A header you provided implies functionality that is not implemented"));
    };
  }

  /** Resumes the bucket replication tasks of a partition this node has just taken. */
  public Future<Void> resumeReplication(int partition) {
    return replicationTasks.resume(partition);
  }

  /** This node's part of ListBuckets. */
  public JsonArray bucketsHere(String account) {
    return bucketOps.bucketsHere(account);
  }

  /** ListBuckets from every node's part. */
  public static JsonObject listBuckets(List<JsonObject> all, JsonObject in, String account) {
    return BucketOperations.listing(all, in, account);
  }
}
