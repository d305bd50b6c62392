package io.eventplane.gateway.sts;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.error.GatewayErrors;
import io.eventplane.gateway.binding.QueryBinding;
import io.eventplane.gateway.sqs.SqsErrors;
import io.eventplane.gateway.query.XmlWriter;
import java.util.Set;

/**
 * The part of STS that SDKs and tools call to learn who they are. Answered in the gateway: there
 * is one identity per node (the configured account's root), so no service is involved.
 */
public final class StsQueryProtocol {
  public static final String XML_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
  public static final String API_VERSION = "2011-06-15";

  /** STS's actions (botocore 1.43 model), so a request naming one is routed here, then refused. */
  private static final Set<String> ACTIONS = Set.of(
      "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "AssumeRoot",
      "DecodeAuthorizationMessage", "GetAccessKeyInfo", "GetCallerIdentity", "GetDelegatedAccessToken",
      "GetFederationToken", "GetSessionToken", "GetWebIdentityToken");

  /** Answered here: no service is involved. Errors use SQS's table of the common codes. */
  public static final QueryBinding BINDING = new QueryBinding("sts", API_VERSION, XML_NAMESPACE, null, null,
      SqsErrors.TABLE, true, java.util.Map.of(), (action, params, path, baseUrl) -> new io.vertx.core.json.JsonObject(),
      null, new QueryBinding.LocalAnswers() {
        @Override
        public boolean isAction(String action) {
          return StsQueryProtocol.isAction(action);
        }

        @Override
        public WireResponse answer(String action, RequestContext context) {
          return handle(action, context);
        }
      });

  private StsQueryProtocol() {}

  public static boolean isAction(String action) {
    return action != null && ACTIONS.contains(action);
  }

  public static WireResponse handle(String action, RequestContext context) {
    if (!"GetCallerIdentity".equals(action)) {
      return error(GatewayErrors.unknownOperation(action), context.requestId());
    }
    String account = context.accountId();
    String xml = XmlWriter.document()
        .start("GetCallerIdentityResponse", XML_NAMESPACE)
        .start("GetCallerIdentityResult")
        .element("Arn", "arn:aws:iam::" + account + ":root")
        .element("UserId", account)
        .element("Account", account)
        .end()
        .start("ResponseMetadata").element("RequestId", context.requestId()).end()
        .end()
        .toString();
    return WireResponse.of(200, WireResponse.XML, xml).withHeader("x-amzn-RequestId", context.requestId());
  }

  public static WireResponse error(ServiceError error, String requestId) {
    return BINDING.error(error, requestId);
  }
}
