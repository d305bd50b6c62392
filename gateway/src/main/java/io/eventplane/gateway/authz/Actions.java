package io.eventplane.gateway.authz;

import io.eventplane.gateway.apigateway.ApiGatewayRoute;
import io.eventplane.gateway.apigateway.ApiGatewayV1RestProtocol;
import io.eventplane.gateway.apigateway.ApiGatewayV2RestProtocol;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The action/resource tables of every service the gateway serves, by SigV4 signing name (SQS's
 * JSON and Query protocols share one table: the operations and members are the same).
 */
public final class Actions {
  public static final List<ServiceActions> ALL = List.of(SqsActions.TABLE, SnsActions.TABLE, S3Actions.TABLE,
      LambdaActions.TABLE, KinesisActions.TABLE, FirehoseActions.TABLE, EventBridgeActions.TABLE, LogsActions.TABLE,
      IamActions.TABLE, StsActions.TABLE, CloudTrailActions.TABLE, new ApiGatewayActions(apiGatewayOperations()),
      CloudWatchActions.TABLE);
  private static final Map<String, ServiceActions> BY_SIGNING_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(ServiceActions::signingName, Function.identity()));

  private Actions() {}

  /** The table of the service a binding signs for, or null when none is known. */
  public static ServiceActions of(String signingName) {
    return BY_SIGNING_NAME.get(signingName);
  }

  private static Set<String> apiGatewayOperations() {
    Set<String> ops = new HashSet<>();
    for (ApiGatewayRoute r : ApiGatewayV1RestProtocol.allRoutes()) ops.add(r.operation());
    for (ApiGatewayRoute r : ApiGatewayV2RestProtocol.allRoutes()) ops.add(r.operation());
    return ops;
  }
}
