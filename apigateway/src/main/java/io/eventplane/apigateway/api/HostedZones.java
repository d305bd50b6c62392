package io.eventplane.apigateway.api;

import java.util.Map;

/**
 * The Route 53 hosted zone ids API Gateway answers for custom domain names, so that a user's alias
 * record (CDK, Terraform) is written as against AWS: edge-optimized names are CloudFront's zone in
 * every region, regional names their region's API Gateway zone (the table of AWS's "Amazon API
 * Gateway endpoints and quotas"; an unknown region gets us-east-1's).
 */
public final class HostedZones {
  /** CloudFront's zone: every edge-optimized domain name's. */
  public static final String CLOUDFRONT = "Z2FDTNDATAQYW2";
  private static final Map<String, String> REGIONAL = Map.ofEntries(
      Map.entry("us-east-1", "Z1UJRXOUMOOFQ8"), Map.entry("us-east-2", "ZOJJZC49E0EPZ"),
      Map.entry("us-west-1", "Z2MUQ32089INYE"), Map.entry("us-west-2", "Z2OJLYMUO9EFXC"),
      Map.entry("af-south-1", "Z2DHW2332DAMTN"), Map.entry("ap-east-1", "Z3FD1VL90ND7K5"),
      Map.entry("ap-south-1", "Z3VO1THU9YC4UR"), Map.entry("ap-northeast-1", "Z1YSHQZHG15GKL"),
      Map.entry("ap-northeast-2", "Z20JF4UZKIW1U8"), Map.entry("ap-northeast-3", "Z22ILHG95FLSZ2"),
      Map.entry("ap-southeast-1", "ZL327KTPIQFUL"), Map.entry("ap-southeast-2", "Z2RPCDW04V8134"),
      Map.entry("ca-central-1", "Z19DQILCV0OWEC"), Map.entry("eu-central-1", "Z1U9ULNL0V5AJ3"),
      Map.entry("eu-west-1", "ZLY8HYME6SFDD"), Map.entry("eu-west-2", "ZJ5UAJN8Y3Z2Q"),
      Map.entry("eu-west-3", "Z3KY65QIEKYHQQ"), Map.entry("eu-north-1", "Z3UWIKFBOOGXPP"),
      Map.entry("eu-south-1", "Z3BT4WSQ9TDYZV"), Map.entry("sa-east-1", "ZCMLWB8V5SYIT"),
      Map.entry("me-south-1", "Z20ZBPC0SS8806"));

  private HostedZones() {}

  /** The zone of a regional domain name in {@code region}. */
  public static String regional(String region) {
    return REGIONAL.getOrDefault(region, REGIONAL.get("us-east-1"));
  }
}
