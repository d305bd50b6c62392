package io.eventplane.gateway.sns;

import io.eventplane.common.bus.Contracts;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.QueryBinding;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** SNS over the AWS Query protocol: form parameters in, XML out. */
public final class SnsQueryProtocol {
  /** Unsigned calls naming a topic or subscription are SNS's (Subscribe, ListTagsForResource are also SQS names). */
  public static final QueryBinding BINDING = QueryBinding.of("sns", Contracts.SNS, SnsModel.MODEL, SnsModel.API_VERSION,
      SnsErrors.TABLE).claimingShared(params -> params.containsKey("TopicArn") || params.containsKey("SubscriptionArn"))
      .withUnsignedRegion(SnsQueryProtocol::regionOfArn);

  private SnsQueryProtocol() {}

  /**
   * The region of an unsigned call (an UnsubscribeURL or SubscribeURL opened as it is): the one its
   * SubscriptionArn or TopicArn names, as SNS's regional host in those URLs names it. Null when
   * neither is an SNS ARN with a region.
   */
  static String regionOfArn(Map<String, String> params) {
    for (String member : new String[] {"SubscriptionArn", "TopicArn"}) {
      String arn = params.get(member);
      String[] parts = arn == null ? null : arn.split(":", -1);
      if (parts != null && parts.length >= 6 && "arn".equals(parts[0]) && "sns".equals(parts[2]) && !parts[3].isEmpty()) {
        return parts[3];
      }
    }
    return null;
  }

  /**
   * The canonical JSON input of a Query action.
   *
   * @throws io.eventplane.common.error.ServiceException for a map entry without its key
   */
  public static JsonObject input(String action, Map<String, String> params) {
    return BINDING.input().decode(action, params, null, null);
  }

  public static WireResponse success(String action, JsonObject output, String requestId) {
    return BINDING.success(action, output, requestId);
  }

  public static WireResponse error(ServiceError error, String requestId) {
    return BINDING.error(error, requestId);
  }
}
