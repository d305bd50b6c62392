package io.eventplane.gateway.cloudwatch;

import io.eventplane.common.bus.Contracts;
import io.eventplane.gateway.WireResponse;
import io.eventplane.gateway.binding.CborMembers;
import io.eventplane.gateway.binding.JsonBinding;
import io.eventplane.gateway.binding.QueryBinding;
import io.eventplane.gateway.error.ErrorTable;
import io.eventplane.gateway.error.WireError;
import java.util.Map;
import java.util.Set;

/**
 * CloudWatch (signing name {@code monitoring}) in the three protocols its model lists, all
 * answered alike: Smithy RPC v2 CBOR ({@code POST /service/GraniteServiceVersion20100801/operation/<Op>},
 * what SDK v2 2.57 sends), AWS JSON 1.0 ({@code X-Amz-Target:
 * GraniteServiceVersion20100801.<Op>}, what botocore 1.43 and the AWS CLI v1 send) and Query ({@code Action=}, older SDKs and CLIs). The model is
 * {@code awsQueryCompatible}: JSON and CBOR errors carry the shape's {@code __type}
 * ({@code com.amazonaws.cloudwatch#InvalidParameterValueException}) and the Query code in
 * {@code x-amzn-query-error} ({@code InvalidParameterValue;Sender}), which SDKs report as the error code.
 */
public final class CloudWatchProtocols {
  public static final String SERVICE = "GraniteServiceVersion20100801";
  public static final String TARGET_PREFIX = SERVICE + ".";
  static final Set<String> OPERATIONS = Set.of("PutMetricData", "GetMetricStatistics", "GetMetricData", "ListMetrics",
      "PutMetricAlarm", "DescribeAlarms", "DescribeAlarmsForMetric", "DeleteAlarms", "SetAlarmState", "DescribeAlarmHistory",
      "EnableAlarmActions", "DisableAlarmActions");
  private static final String NS = "com.amazonaws.cloudwatch#";

  static final ErrorTable ERRORS = ErrorTable.builder(NS)
      .wire(new WireError("InvalidParameterValue", 400, "InvalidParameterValue", NS + "InvalidParameterValueException"))
      .wire(new WireError("MissingParameter", 400, "MissingParameter", NS + "MissingRequiredParameterException"))
      .wire(new WireError("InvalidParameterCombination", 400, "InvalidParameterCombination",
          NS + "InvalidParameterCombinationException"))
      .wire(new WireError("InvalidNextToken", 400, "InvalidNextToken", NS + "InvalidNextToken"))
      .wire(new WireError("LimitExceeded", 400, "LimitExceeded", NS + "LimitExceededFault"))
      // botocore's model names the shape ResourceNotFound (code ResourceNotFound, 404); SDK v2 2.57 knows it as
      // ResourceNotFoundException and picks the exception class by the shape name in __type.
      .wire(new WireError("ResourceNotFound", 404, "ResourceNotFound", NS + "ResourceNotFoundException"))
      .wire(new WireError("InvalidFormat", 400, "InvalidFormat", NS + "InvalidFormatFault"))
      .wire(new WireError("InternalFailure", 500, "InternalServiceError", NS + "InternalServiceFault"))
      .renamed("RequestEntityTooLarge", 413, "RequestEntityTooLarge")
      .build();

  /** AWS JSON 1.0 and, for requests in {@code application/cbor}, Smithy RPC v2 CBOR (timestamps: Datapoint's and GetMetricData's). */
  public static final JsonBinding JSON = new JsonBinding("monitoring", TARGET_PREFIX, Contracts.CLOUDWATCH, OPERATIONS,
      WireResponse.JSON_1_0, ERRORS, true, Map.of())
      .withCbor(CborMembers.rpcV2(Set.of(), Set.of("Timestamp", "Timestamps", "AlarmConfigurationUpdatedTimestamp",
          "StateUpdatedTimestamp", "StateTransitionedTimestamp")));

  public static final QueryBinding QUERY = QueryBinding.of("monitoring", Contracts.CLOUDWATCH, CloudWatchModel.MODEL,
      CloudWatchModel.API_VERSION, ERRORS);

  private CloudWatchProtocols() {}
}
