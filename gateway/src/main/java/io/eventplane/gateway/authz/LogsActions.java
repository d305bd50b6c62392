package io.eventplane.gateway.authz;

/**
 * "Actions, resources, and condition keys for Amazon CloudWatch Logs": log groups are
 * {@code arn:aws:logs:region:account:log-group:name}, log streams
 * {@code ...:log-group:name:log-stream:stream}; PutLogEvents, GetLogEvents and Create/DeleteLogStream
 * are on the stream, DescribeLogStreams and FilterLogEvents on the group; DescribeLogGroups has no
 * resource.
 */
final class LogsActions {
  private LogsActions() {}

  static final ServiceActions TABLE = ActionTable.builder("logs")
      .same(LogsActions::group, "CreateLogGroup", "DeleteLogGroup", "DescribeLogStreams", "FilterLogEvents",
          "PutRetentionPolicy", "DeleteRetentionPolicy")
      .same((c, a) -> group(c, a) + ":log-stream:" + (c.string("logStreamName") != null ? c.string("logStreamName") : "*"),
          "PutLogEvents", "CreateLogStream", "DeleteLogStream", "GetLogEvents")
      .anyResource("DescribeLogGroups")
      .build();

  /** The group from logGroupName, or logGroupIdentifier (a name or an ARN, which may end in {@code :*}). */
  static String group(ApiCall c, Arns a) {
    String name = c.string("logGroupName");
    if (name == null) name = c.string("logGroupIdentifier");
    if (name == null) return a.of("logs", "log-group:*");
    if (name.startsWith("arn:")) return name.endsWith(":*") ? name.substring(0, name.length() - 2) : name;
    return a.of("logs", "log-group:" + name);
  }
}
