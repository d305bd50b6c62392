package io.eventplane.gateway.binding;

import io.eventplane.gateway.apigateway.ApiGatewayV1RestProtocol;
import io.eventplane.gateway.apigateway.ApiGatewayV2RestProtocol;
import io.eventplane.gateway.cloudtrail.CloudTrailJsonProtocol;
import io.eventplane.gateway.cloudwatch.CloudWatchProtocols;
import io.eventplane.gateway.firehose.FirehoseJsonProtocol;
import io.eventplane.gateway.iam.IamQueryProtocol;
import io.eventplane.gateway.kinesis.KinesisJsonProtocol;
import io.eventplane.gateway.lambda.LambdaRestProtocol;
import io.eventplane.gateway.events.EventBridgeJsonProtocol;
import io.eventplane.gateway.logs.LogsJsonProtocol;
import io.eventplane.gateway.s3.S3Protocol;
import io.eventplane.gateway.sns.SnsQueryProtocol;
import io.eventplane.gateway.sqs.SqsJsonProtocol;
import io.eventplane.gateway.sqs.SqsQueryProtocol;
import io.eventplane.gateway.sts.StsQueryProtocol;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every service the gateway speaks for, once. A new service adds its binding here (and its
 * descriptor to the server's list); nothing else in the gateway names services.
 *
 * <p>Order matters in one place: an unsigned, unversioned Query call naming an action that two
 * services have goes to the first, unless a later one claims its parameters.
 */
public final class ProtocolBindings {
  public static final List<ProtocolBinding> ALL = List.of(
      SqsJsonProtocol.BINDING,
      SqsQueryProtocol.BINDING,
      SnsQueryProtocol.BINDING,
      StsQueryProtocol.BINDING,
      IamQueryProtocol.BINDING,
      LogsJsonProtocol.BINDING,
      EventBridgeJsonProtocol.BINDING,
      CloudTrailJsonProtocol.BINDING,
      KinesisJsonProtocol.BINDING,
      FirehoseJsonProtocol.BINDING,
      LambdaRestProtocol.BINDING,
      ApiGatewayV2RestProtocol.BINDING,
      ApiGatewayV1RestProtocol.BINDING,
      S3Protocol.BINDING,
      CloudWatchProtocols.JSON,
      CloudWatchProtocols.QUERY);

  private ProtocolBindings() {}

  public static <T extends ProtocolBinding> List<T> ofType(List<ProtocolBinding> bindings, Class<T> type) {
    return bindings.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The event-bus addresses of the services behind the bindings. */
  public static Set<String> addresses(List<ProtocolBinding> bindings) {
    return bindings.stream().map(ProtocolBinding::address).filter(Objects::nonNull).collect(Collectors.toUnmodifiableSet());
  }
}
