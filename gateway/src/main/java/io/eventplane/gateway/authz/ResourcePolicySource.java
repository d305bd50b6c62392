package io.eventplane.gateway.authz;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.Ids;
import io.eventplane.identity.policy.MalformedPolicyDocumentException;
import io.eventplane.identity.policy.PolicyDocument;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Where each service keeps its resources' own policies, and how to ask it for one: a queue's
 * {@code Policy} attribute (SQS), a topic's {@code Policy} attribute (SNS, its default policy when
 * none was set), a bucket policy (S3, with the bucket's owner), a function's permissions (Lambda, per
 * qualifier), an event bus's permissions (EventBridge). Each is asked as Eventplane itself (no
 * caller), in the resource's account and region, and compiled with {@code PolicyDocument.parse}.
 *
 * <p>A resource that does not exist has no policy ({@link ResourcePolicy#none}); the service then
 * answers the call in its own words. A stored policy that does not parse (the services keep what they
 * are given) fails closed: {@link ResourcePolicy#unreadable}, logged. A service that cannot be reached fails the lookup (and the call with it): the cache keeps no
 * failure.
 */
public final class ResourcePolicySource implements Function<String, Future<ResourcePolicy>> {
  /** The S3 service's internal operation: a bucket's owner and policy. */
  public static final String BUCKET_POLICY = "eventplane:BucketPolicy";
  private static final Logger LOG = Logger.getLogger(ResourcePolicySource.class.getName());
  private static final String INTERNAL_URL = "http://eventplane.internal";
  private static final Set<String> NOT_FOUND = Set.of("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
      "NotFound", "NoSuchBucket", "NoSuchBucketPolicy", "ResourceNotFoundException");

  private final BiFunction<String, ApiRequest, Future<ApiReply>> bus;

  /** @param bus sends a request to a service address and completes with its reply */
  public ResourcePolicySource(BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    this.bus = bus;
  }

  /**
   * The ARN of the resource whose own policy governs access to {@code arn} (an object's bucket, a
   * queue, a topic, a function or its version or alias, an event bus), or null when its service keeps
   * no resource policies (or the ARN names no such resource).
   */
  public static String holderOf(String arn) {
    // Runs for every authorized call: indexes, no split.
    if (arn == null || !arn.startsWith("arn:")) return null;
    int partitionEnd = arn.indexOf(':', 4);
    int serviceEnd = partitionEnd < 0 ? -1 : arn.indexOf(':', partitionEnd + 1);
    int regionEnd = serviceEnd < 0 ? -1 : arn.indexOf(':', serviceEnd + 1);
    int accountEnd = regionEnd < 0 ? -1 : arn.indexOf(':', regionEnd + 1);
    if (accountEnd < 0) return null;
    int resource = accountEnd + 1;
    boolean account = accountEnd > regionEnd + 1;
    if (is(arn, partitionEnd + 1, serviceEnd, "s3")) {
      if (account || resource == arn.length() || (arn.length() == resource + 1 && arn.charAt(resource) == '*')) return null;
      int slash = arn.indexOf('/', resource);
      return slash < 0 ? arn : arn.substring(0, slash);
    }
    if (is(arn, partitionEnd + 1, serviceEnd, "sqs") || is(arn, partitionEnd + 1, serviceEnd, "sns")) {
      return account && plainName(arn, resource) ? arn : null;
    }
    if (is(arn, partitionEnd + 1, serviceEnd, "lambda")) {
      if (!arn.startsWith("function:", resource)) return null;
      int name = resource + "function:".length();
      return name < arn.length() && arn.indexOf('*', name) < 0 && arn.indexOf('/', name) < 0 ? arn : null;
    }
    if (is(arn, partitionEnd + 1, serviceEnd, "events")) {
      return arn.startsWith("event-bus/", resource) && plainName(arn, resource + "event-bus/".length()) ? arn : null;
    }
    return null;
  }

  private static boolean is(String arn, int from, int to, String service) {
    return to - from == service.length() && arn.startsWith(service, from);
  }

  /** Whether {@code arn} from {@code from} on is a plain name: not empty, no ':', '/' or '*'. */
  private static boolean plainName(String arn, int from) {
    if (from >= arn.length()) return false;
    for (int i = from; i < arn.length(); i++) {
      char c = arn.charAt(i);
      if (c == ':' || c == '/' || c == '*') return false;
    }
    return true;
  }

  /** The policy of a holder ({@link #holderOf}). */
  @Override
  public Future<ResourcePolicy> apply(String holder) {
    String[] p = holder.split(":", 6);
    String region = p[3].isEmpty() ? "us-east-1" : p[3];
    String account = p[4].isEmpty() ? null : p[4];
    RequestContext context = new RequestContext(account == null ? "000000000000" : account, region, Ids.uuid(), INTERNAL_URL);
    String resource = p[5];
    return switch (p[2]) {
      case "sqs" -> ask(Contracts.SQS, new ApiRequest("GetQueueAttributes", new JsonObject()
          .put("QueueUrl", INTERNAL_URL + "/" + account + "/" + resource).put("AttributeNames", new JsonArray().add("Policy")),
          context), account, out -> out.getJsonObject("Attributes", new JsonObject()).getString("Policy"), holder);
      case "sns" -> ask(Contracts.SNS, new ApiRequest("GetTopicAttributes", new JsonObject().put("TopicArn", holder), context),
          account, out -> out.getJsonObject("Attributes", new JsonObject()).getString("Policy"), holder);
      case "s3" -> bucket(resource, context, holder);
      case "lambda" -> {
        String[] fn = resource.split(":", 3);
        JsonObject in = new JsonObject().put("FunctionName", fn[1]);
        if (fn.length == 3) in.put("Qualifier", fn[2]);
        yield ask(Contracts.LAMBDA, new ApiRequest("GetPolicy", in, context), account, out -> out.getString("Policy"), holder);
      }
      case "events" -> ask(Contracts.EVENTS, new ApiRequest("DescribeEventBus",
          new JsonObject().put("Name", resource.substring("event-bus/".length())), context), account,
          out -> out.getString("Policy"), holder);
      default -> Future.succeededFuture(ResourcePolicy.none(account));
    };
  }

  private Future<ResourcePolicy> bucket(String bucket, RequestContext context, String holder) {
    return bus.apply(Contracts.S3, new ApiRequest(BUCKET_POLICY, new JsonObject().put("Bucket", bucket), context))
        .map(reply -> {
          if (!reply.succeeded()) {
            if (NOT_FOUND.contains(reply.error().code())) return ResourcePolicy.none(null);
            throw new ServiceException(reply.error());
          }
          return compile(reply.output().getString("Account"), reply.output().getString("Policy"), holder);
        });
  }

  private Future<ResourcePolicy> ask(String address, ApiRequest request, String account, Function<JsonObject, String> policy,
      String holder) {
    return bus.apply(address, request).map(reply -> {
      if (!reply.succeeded()) {
        if (NOT_FOUND.contains(reply.error().code())) return ResourcePolicy.none(account);
        throw new ServiceException(reply.error());
      }
      return compile(account, policy.apply(reply.output()), holder);
    }).recover(e -> Future.failedFuture(e instanceof ServiceException ? e
        : new ServiceException(ServiceError.internal(request.operation() + " for " + holder + " failed: " + e))));
  }

  /** The resource with its compiled policy; {@link ResourcePolicy#unreadable} when the policy does not parse. */
  static ResourcePolicy compile(String account, String json, String holder) {
    if (json == null || json.isBlank()) return ResourcePolicy.none(account);
    try {
      return new ResourcePolicy(account, PolicyDocument.parse(json));
    } catch (MalformedPolicyDocumentException | IllegalArgumentException e) {
      LOG.warning("the policy of " + holder + " does not parse: only the account's root may act on it until it is fixed: "
          + e.getMessage());
      return ResourcePolicy.unreadable(account);
    }
  }
}
