package io.eventplane.common.bus;

import io.vertx.core.eventbus.EventBus;

/**
 * Event-bus addresses and the codecs of the request/reply family. {@link #register} runs once per
 * node; locally messages pass by reference, across the cluster in the binary frames of
 * {@link BusCodec}.
 */
public final class Contracts {
  /** The SQS queue service. */
  public static final String SQS = "eventplane.sqs";
  /** The SNS topic service. */
  public static final String SNS = "eventplane.sns";
  /** The Lambda function service. */
  public static final String LAMBDA = "eventplane.lambda";
  /** The CloudWatch Logs service (the log streams of function instances). */
  public static final String LOGS = "eventplane.logs";
  /** The S3 object storage service (metadata; bodies stream through the node's BlobStore). */
  public static final String S3 = "eventplane.s3";
  /** The EventBridge service (event buses, rules, targets). */
  public static final String EVENTS = "eventplane.events";
  /** The CloudTrail service (API-call records, LookupEvents, trails). */
  public static final String CLOUDTRAIL = "eventplane.cloudtrail";
  /** The Kinesis Data Streams service (streams, shards, records). */
  public static final String KINESIS = "eventplane.kinesis";
  /**
   * Published by a CloudTrail lane when the data events an account's and region's logging trails
   * select may have changed: {@code {"Account", "Region"}}, or {@code {"All": true}} after a reset.
   * Every gateway listens (DataSelection).
   */
  public static final String CLOUDTRAIL_SELECTION = "eventplane.cloudtrail.selection";
  /** The Firehose service (delivery streams buffering records into S3 objects). */
  public static final String FIREHOSE = "eventplane.firehose";
  /** The API Gateway service (HTTP APIs of v2 and REST APIs of v1: their definitions, stages and deployments). */
  public static final String APIGATEWAY = "eventplane.apigateway";
  /**
   * Published by an API Gateway lane after any change to an API: {@code {"ApiId": id}}, or
   * {@code {"All": true}} after a reset. Every gateway drops its cached deployed stages of that API.
   */
  public static final String APIGATEWAY_CHANGED = "eventplane.apigateway.changed";
  /** The IAM service (roles, policies, users, groups, access keys). */
  public static final String IAM = "eventplane.iam";
  /**
   * Published by the IAM service when access keys changed (status, deleted, their user renamed):
   * {@code {"AccessKeyIds": [...]}}, or {@code {"All": true}} after a reset. Every gateway drops
   * what it cached of them (StoredAccessKeys).
   */
  public static final String IAM_CHANGED = "eventplane.iam.changed";
  /**
   * Published by a gateway once a call that may change a resource's policy succeeded (a queue's or
   * topic's attributes, a bucket policy, a function's permissions, a bus's permissions, and the
   * resource's creation or deletion): {@code {"ResourceArn": "..."}}, or {@code {"All": true}} after
   * a reset. Every node drops what it cached of that resource's policy (ResourcePolicies).
   */
  public static final String RESOURCE_POLICY_CHANGED = "eventplane.authz.resource-policy.changed";
  /** The CloudWatch metrics service (PutMetricData, GetMetricStatistics, GetMetricData, ListMetrics; AWS namespaces). */
  public static final String CLOUDWATCH = "eventplane.cloudwatch";
  /** The node's own operator surface (cluster membership), always answered by the local node. */
  public static final String ADMIN = "eventplane.admin";

  private Contracts() {}

  public static void register(EventBus bus) {
    bus.registerDefaultCodec(ApiRequest.class, BusCodec.REQUEST);
    bus.registerDefaultCodec(ApiReply.class, BusCodec.REPLY);
  }
}
