package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.delivery.Deliveries;
import io.eventplane.broker.topic.domain.Topics;
import io.eventplane.broker.topic.mobile.MobileState;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;

/** The SNS operations a topic's owner runs, by name. Listings across nodes are the service's. */
public final class TopicApi {
  /**
   * A notification for a platform endpoint, sent by the lane delivering to an {@code application}
   * subscription to the lane owning the endpoint's application: {@code EndpointArn}, {@code Message}
   * and the envelope's fields in, recorded there (refused when the endpoint is gone or disabled).
   */
  public static final String DELIVER_TO_ENDPOINT = "eventplane:DeliverToEndpoint";

  private final TopicOperations topicOps;
  private final SubscriptionOperations subscriptionOps;
  private final PublishOperations publishOps;
  private final PlatformOperations platformOps;
  private final SmsOperations smsOps;

  public TopicApi(Topics topics, MobileState mobile, Deliveries deliveries, Clock clock) {
    this.topicOps = new TopicOperations(topics, clock);
    this.subscriptionOps = new SubscriptionOperations(topics, deliveries, clock);
    this.platformOps = new PlatformOperations(mobile);
    this.smsOps = new SmsOperations(mobile, clock);
    this.publishOps = new PublishOperations(topics, mobile, platformOps, smsOps, deliveries, clock);
  }

  public Future<JsonObject> handle(ApiRequest request) {
    try {
      JsonObject in = request.input();
      return switch (request.operation()) {
        case "CreateTopic" -> topicOps.createTopic(in, request.context());
        case "DeleteTopic" -> topicOps.deleteTopic(in, request.context());
        case "GetTopicAttributes" -> topicOps.getTopicAttributes(in, request.context());
        case "SetTopicAttributes" -> topicOps.setTopicAttributes(in, request.context());
        case "TagResource" -> topicOps.tagResource(in);
        case "UntagResource" -> topicOps.untagResource(in);
        case "ListTagsForResource" -> topicOps.listTagsForResource(in);
        case "AddPermission" -> topicOps.addPermission(in, request.context());
        case "RemovePermission" -> topicOps.removePermission(in, request.context());
        case "GetDataProtectionPolicy" -> topicOps.getDataProtectionPolicy(in);
        case "PutDataProtectionPolicy" -> topicOps.putDataProtectionPolicy(in);
        case "Subscribe" -> subscriptionOps.subscribe(in, request.context());
        case "ConfirmSubscription" -> subscriptionOps.confirmSubscription(in, request.context());
        case "Unsubscribe" -> subscriptionOps.unsubscribe(in, request.context());
        case "GetSubscriptionAttributes" -> subscriptionOps.getSubscriptionAttributes(in, request.context());
        case "SetSubscriptionAttributes" -> subscriptionOps.setSubscriptionAttributes(in, request.context());
        case "ListSubscriptionsByTopic" -> subscriptionOps.listSubscriptionsByTopic(in, request.context());
        case "Publish" -> publishOps.publish(in, request.context());
        case "PublishBatch" -> publishOps.publishBatch(in, request.context());
        case "CreatePlatformApplication" -> platformOps.createPlatformApplication(in, request.context());
        case "GetPlatformApplicationAttributes" -> platformOps.getPlatformApplicationAttributes(in);
        case "SetPlatformApplicationAttributes" -> platformOps.setPlatformApplicationAttributes(in);
        case "DeletePlatformApplication" -> platformOps.deletePlatformApplication(in);
        case "CreatePlatformEndpoint" -> platformOps.createPlatformEndpoint(in);
        case "GetEndpointAttributes" -> platformOps.getEndpointAttributes(in);
        case "SetEndpointAttributes" -> platformOps.setEndpointAttributes(in);
        case "DeleteEndpoint" -> platformOps.deleteEndpoint(in);
        case "ListEndpointsByPlatformApplication" -> platformOps.listEndpointsByPlatformApplication(in);
        case DELIVER_TO_ENDPOINT -> publishOps.deliverToEndpoint(in, request.context());
        case "SetSMSAttributes" -> smsOps.setSmsAttributes(in, request.context());
        case "GetSMSAttributes" -> smsOps.getSmsAttributes(in, request.context());
        case "CheckIfPhoneNumberIsOptedOut" -> smsOps.checkIfPhoneNumberIsOptedOut(in, request.context());
        case "ListPhoneNumbersOptedOut" -> smsOps.listPhoneNumbersOptedOut(in, request.context());
        case "OptInPhoneNumber" -> smsOps.optInPhoneNumber(in, request.context());
        case "CreateSMSSandboxPhoneNumber" -> smsOps.createSmsSandboxPhoneNumber(in, request.context());
        case "VerifySMSSandboxPhoneNumber" -> smsOps.verifySmsSandboxPhoneNumber(in, request.context());
        case "ListSMSSandboxPhoneNumbers" -> smsOps.listSmsSandboxPhoneNumbers(in, request.context());
        case "DeleteSMSSandboxPhoneNumber" -> smsOps.deleteSmsSandboxPhoneNumber(in, request.context());
        case "GetSMSSandboxAccountStatus" -> smsOps.getSmsSandboxAccountStatus();
        case "ListOriginationNumbers" -> smsOps.listOriginationNumbers(in);
        default -> Future.failedFuture(new ServiceException(ServiceError.sender("InvalidAction",
            "The action " + request.operation() + " is not valid for this endpoint.")));
      };
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  /** This node's topics of an account, for ListTopics. */
  public JsonArray topicArns(String account, String region, String after, int limit) {
    return topicOps.topicArns(account, region, after, limit);
  }

  /** This lane's platform applications of an account, for ListPlatformApplications. */
  public JsonArray platformApplications(String account, String region) {
    return platformOps.applications(account, region);
  }

  /** This node's subscriptions of an account's topics, for ListSubscriptions. */
  public JsonArray subscriptions(String account, String region) {
    return subscriptionOps.subscriptionsOf(account, region);
  }

  /** A page of a merged listing, with the NextToken of the rest. */
  public static JsonObject page(JsonArray sorted, String key, String after, int size, java.util.function.Function<Object, String> arnOf) {
    JsonArray page = new JsonArray();
    boolean more = false;
    for (Object item : sorted) {
      if (after != null && arnOf.apply(item).compareTo(after) <= 0) continue;
      if (page.size() == size) {
        more = true;
        break;
      }
      page.add(item);
    }
    JsonObject out = new JsonObject().put(key, page);
    if (more) out.put("NextToken", PageTokens.encode(arnOf.apply(page.getValue(page.size() - 1))));
    return out;
  }

  /** The ARN a NextToken continues after, or null. */
  public static String after(JsonObject in) {
    Object token = in.getValue("NextToken");
    if (token == null) return null;
    if (!(token instanceof String s)) throw new ServiceException(ServiceError.sender("InvalidParameter", "Invalid parameter: NextToken"));
    return PageTokens.decode(s);
  }
}
