package io.eventplane.storage.api;

import io.eventplane.common.blob.BlobStore;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceException;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.notify.Notifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
  private final Listing listing;
  private final MultipartOperations multipart;
  private final NotificationOperations notifications;
  private final PostOperations posts;
  private final PartCopies partCopies;
  private final Attributes attributes;

  /** @param replicas copies bodies to the partition's replicas (null standalone) */
  public S3Api(Buckets buckets, BlobStore blobs, io.eventplane.storage.replication.BlobReplicas replicas, Notifier notifier,
      Clock clock) {
    Events events = new Events(buckets, clock);
    Bodies bodies = new Bodies(blobs, replicas);
    this.bucketOps = new BucketOperations(buckets, clock);
    this.objects = new ObjectOperations(buckets, bodies, events, notifier, clock);
    this.listing = new Listing(buckets);
    this.multipart = new MultipartOperations(buckets, bodies, events, notifier, clock);
    this.notifications = new NotificationOperations(buckets, notifier, clock);
    this.posts = new PostOperations(objects, clock);
    this.partCopies = new PartCopies(buckets, bodies, multipart, replicas == null ? null : new RemoteSource(replicas));
    this.attributes = new Attributes(buckets);
  }

  public Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
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
      case "DeleteObject" -> objects.delete(in, request.context());
      case "DeleteObjects" -> objects.deleteMany(in, request.context());
      case "CopyObject" -> objects.copy(in, request.context());
      case "GetObjectTagging" -> objects.getTagging(in);
      case "PutObjectTagging" -> objects.putTagging(in, request.context(), false);
      case "DeleteObjectTagging" -> objects.putTagging(in, request.context(), true);
      case "ListObjectsV2" -> listing.v2(in);
      case "ListObjects" -> listing.v1(in);
      case "CreateMultipartUpload" -> multipart.create(in);
      case "UploadPart" -> multipart.uploadPart(in);
      case "UploadPartCopy" -> partCopies.copyPart(in);
      case "CompleteMultipartUpload" -> multipart.complete(in, request.context());
      case "AbortMultipartUpload" -> multipart.abort(in);
      case "ListParts" -> multipart.listParts(in);
      case "ListMultipartUploads" -> multipart.listUploads(in);
      case "PutBucketNotificationConfiguration" -> notifications.put(in, request.context());
      case "GetBucketNotificationConfiguration" -> notifications.get(in);
      default -> throw new ServiceException(io.eventplane.common.error.ServiceError.sender("NotImplemented",
          "A header you provided implies functionality that is not implemented"));
    };
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
