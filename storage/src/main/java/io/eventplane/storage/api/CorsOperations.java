package io.eventplane.storage.api;

import io.eventplane.common.error.ServiceException;
import io.eventplane.storage.domain.Bucket;
import io.eventplane.storage.domain.Buckets;
import io.eventplane.storage.domain.CorsConfiguration;
import io.eventplane.storage.domain.S3Errors;
import io.eventplane.storage.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Put/Get/DeleteBucketCors, the browser's preflight ({@code OPTIONS}) and the CORS headers of an
 * actual request from an allowed origin. The rules live in the bucket's configurations under
 * {@value #NAME}; a preflight never reads the object it names, as on S3.
 */
final class CorsOperations {
  static final String NAME = "cors";
  /** The preflight, which S3 has no operation name for. */
  static final String PREFLIGHT = "eventplane:CorsPreflight";
  /** The error detail that carries an actual request's CORS headers to the gateway (never rendered). */
  static final String ERROR_MEMBER = "eventplane:CorsHeaders";
  private static final String NOT_ALLOWED = "CORSResponse: This CORS request is not allowed. This is usually because the "
      + "evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not "
      + "whitelisted by the resource's CORS spec.";

  private final Buckets buckets;

  CorsOperations(Buckets buckets) {
    this.buckets = buckets;
  }

  Future<JsonObject> put(JsonObject in) {
    String name = Inputs.bucket(in);
    buckets.require(name);
    CorsConfiguration config = CorsConfiguration.parse(in.getJsonObject("CORSConfiguration"));
    return buckets.update(name, b -> b.withConfiguration(NAME, config.toJson())).map(b -> new JsonObject());
  }

  Future<JsonObject> get(JsonObject in) {
    Bucket bucket = buckets.require(Inputs.bucket(in));
    JsonObject stored = bucket.configuration(NAME);
    if (stored == null) throw S3Errors.noSuchCorsConfiguration(bucket.name());
    return Future.succeededFuture(stored.copy());
  }

  Future<JsonObject> delete(JsonObject in) {
    String name = Inputs.bucket(in);
    buckets.require(name);
    return buckets.update(name, b -> b.withConfiguration(NAME, null)).map(b -> new JsonObject());
  }

  /**
   * OPTIONS: checked in S3's order (an Origin, the bucket, a configuration, a valid method, then
   * a rule), answering the headers a browser needs or S3's own refusals.
   */
  Future<JsonObject> preflight(JsonObject in) {
    String origin = in.getString("Origin");
    if (origin == null || origin.isEmpty()) throw S3Errors.badRequest("Insufficient information. Origin request header needed.");
    String method = in.getString("AccessControlRequestMethod");
    String shownMethod = method == null ? "OPTIONS" : method;
    String name = Inputs.bucket(in);
    Bucket bucket = buckets.find(name);
    if (bucket == null) {
      if (!buckets.owns(ObjectStore.partitionOf(name))) throw Buckets.notHere();
      throw S3Errors.accessForbidden("CORSResponse: Bucket not found", shownMethod, "BUCKET");
    }
    CorsConfiguration config = CorsConfiguration.fromJson(bucket.configuration(NAME));
    if (config == null) throw S3Errors.accessForbidden("CORSResponse: CORS is not enabled for this bucket.", shownMethod, "BUCKET");
    if (method == null || !CorsConfiguration.METHODS.contains(method)) {
      throw S3Errors.badRequest("Invalid Access-Control-Request-Method: " + (method == null ? "null" : method));
    }
    JsonObject headers = config.preflight(origin, method,
        CorsConfiguration.requestHeaders(in.getString("AccessControlRequestHeaders")));
    if (headers == null) throw S3Errors.accessForbidden(NOT_ALLOWED, method, in.getString("Key") == null ? "BUCKET" : "OBJECT");
    return Future.succeededFuture(new JsonObject().put("CorsHeaders", headers));
  }

  /**
   * Adds the CORS headers an actual request from an allowed origin gets to an operation's output;
   * the method that decides is the one the request names in Access-Control-Request-Method, else
   * its own. A request no rule allows is served all the same, without them.
   */
  JsonObject decorate(JsonObject in, JsonObject out) {
    JsonObject headers = actualHeaders(in);
    return headers == null || out == null ? out : out.put("CorsHeaders", headers);
  }

  /**
   * The same for an error: S3 sends the CORS headers with a refusal too (a 404 for a missing key,
   * say), so the browser lets the page read it. They ride in the error's details under
   * {@value #ERROR_MEMBER}, which the gateway turns into headers.
   */
  Throwable decorate(JsonObject in, Throwable failure) {
    if (!(failure instanceof ServiceException e)) return failure;
    JsonObject headers = actualHeaders(in);
    if (headers == null) return failure;
    JsonObject details = e.error().details() == null ? new JsonObject() : e.error().details().copy();
    return new ServiceException(e.error().with(details.put(ERROR_MEMBER, headers)));
  }

  private JsonObject actualHeaders(JsonObject in) {
    String origin = in.getString("Origin");
    String bucketName = in.getString("Bucket");
    if (origin == null || origin.isEmpty() || bucketName == null) return null;
    Bucket bucket = buckets.find(bucketName);
    if (bucket == null || bucket.configuration(NAME) == null) return null;
    String method = in.getString("AccessControlRequestMethod", in.getString("RequestMethod"));
    if (method == null) return null;
    return CorsConfiguration.fromJson(bucket.configuration(NAME)).actual(origin, method);
  }
}
