package io.eventplane.gateway.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.bus.RequestContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The action and resource each operation needs, per the Service Authorization Reference: a few per service, the tricky ones. */
class ActionTableTest {
  static final String ACCOUNT = "123456789012";
  static final RequestContext CONTEXT = new RequestContext(ACCOUNT, "eu-west-1", "req-1", "http://localhost:4566");

  static List<Target> targets(String service, String operation, JsonObject input) {
    return Actions.of(service).targets(ApiCall.of(operation, input), CONTEXT);
  }

  static String one(String service, String operation, JsonObject input) {
    List<Target> t = targets(service, operation, input);
    assertThat(t).hasSize(1);
    return t.get(0).action() + " " + t.get(0).resource();
  }

  static JsonObject in(Object... pairs) {
    JsonObject o = new JsonObject();
    for (int i = 0; i < pairs.length; i += 2) o.put((String) pairs[i], pairs[i + 1]);
    return o;
  }

  static final String QUEUE_URL = "http://localhost:4566/123456789012/orders";

  static Stream<Arguments> singleTargets() {
    return Stream.of(
        // SQS
        Arguments.of("sqs", "SendMessage", in("QueueUrl", QUEUE_URL), "sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:orders"),
        Arguments.of("sqs", "SendMessageBatch", in("QueueUrl", QUEUE_URL), "sqs:SendMessage arn:aws:sqs:eu-west-1:123456789012:orders"),
        Arguments.of("sqs", "DeleteMessageBatch", in("QueueUrl", QUEUE_URL), "sqs:DeleteMessage arn:aws:sqs:eu-west-1:123456789012:orders"),
        Arguments.of("sqs", "ChangeMessageVisibilityBatch", in("QueueUrl", QUEUE_URL),
            "sqs:ChangeMessageVisibility arn:aws:sqs:eu-west-1:123456789012:orders"),
        Arguments.of("sqs", "ReceiveMessage", in("QueueUrl", "https://sqs.eu-west-1.amazonaws.com/210987654321/other.fifo"),
            "sqs:ReceiveMessage arn:aws:sqs:eu-west-1:210987654321:other.fifo"),
        Arguments.of("sqs", "CreateQueue", in("QueueName", "new"), "sqs:CreateQueue arn:aws:sqs:eu-west-1:123456789012:new"),
        Arguments.of("sqs", "GetQueueUrl", in("QueueName", "q", "QueueOwnerAWSAccountId", "210987654321"),
            "sqs:GetQueueUrl arn:aws:sqs:eu-west-1:210987654321:q"),
        Arguments.of("sqs", "ListQueues", in(), "sqs:ListQueues *"),
        Arguments.of("sqs", "StartMessageMoveTask", in("SourceArn", "arn:aws:sqs:eu-west-1:123456789012:dlq"),
            "sqs:StartMessageMoveTask arn:aws:sqs:eu-west-1:123456789012:dlq"),
        Arguments.of("sqs", "CancelMessageMoveTask", in("TaskHandle", Base64.getEncoder().encodeToString(
            "{\"taskId\":\"t\",\"sourceArn\":\"arn:aws:sqs:eu-west-1:123456789012:dlq\"}".getBytes())),
            "sqs:CancelMessageMoveTask arn:aws:sqs:eu-west-1:123456789012:dlq"),
        // SNS
        Arguments.of("sns", "Publish", in("TopicArn", "arn:aws:sns:eu-west-1:123456789012:t"), "sns:Publish arn:aws:sns:eu-west-1:123456789012:t"),
        Arguments.of("sns", "Publish", in("PhoneNumber", "+15555550100"), "sns:Publish *"),
        Arguments.of("sns", "PublishBatch", in("TopicArn", "arn:aws:sns:eu-west-1:123456789012:t"), "sns:Publish arn:aws:sns:eu-west-1:123456789012:t"),
        Arguments.of("sns", "CreateTopic", in("Name", "t"), "sns:CreateTopic arn:aws:sns:eu-west-1:123456789012:t"),
        Arguments.of("sns", "Unsubscribe", in("SubscriptionArn", "arn:aws:sns:eu-west-1:123456789012:t:5f2c-11"),
            "sns:Unsubscribe arn:aws:sns:eu-west-1:123456789012:t"),
        Arguments.of("sns", "GetSubscriptionAttributes", in("SubscriptionArn", "arn:aws:sns:eu-west-1:210987654321:t:5f2c"),
            "sns:GetSubscriptionAttributes arn:aws:sns:eu-west-1:210987654321:t"),
        Arguments.of("sns", "ListTopics", in(), "sns:ListTopics *"),
        // S3
        Arguments.of("s3", "ListBuckets", in(), "s3:ListAllMyBuckets *"),
        Arguments.of("s3", "ListObjectsV2", in("Bucket", "b"), "s3:ListBucket arn:aws:s3:::b"),
        Arguments.of("s3", "ListObjects", in("Bucket", "b"), "s3:ListBucket arn:aws:s3:::b"),
        Arguments.of("s3", "HeadBucket", in("Bucket", "b"), "s3:ListBucket arn:aws:s3:::b"),
        Arguments.of("s3", "HeadObject", in("Bucket", "b", "Key", "a/b.txt"), "s3:GetObject arn:aws:s3:::b/a/b.txt"),
        Arguments.of("s3", "GetObject", in("Bucket", "b", "Key", "k"), "s3:GetObject arn:aws:s3:::b/k"),
        Arguments.of("s3", "GetObject", in("Bucket", "b", "Key", "k", "VersionId", "v1"), "s3:GetObjectVersion arn:aws:s3:::b/k"),
        Arguments.of("s3", "DeleteObject", in("Bucket", "b", "Key", "k", "VersionId", "v1"), "s3:DeleteObjectVersion arn:aws:s3:::b/k"),
        Arguments.of("s3", "GetObjectTagging", in("Bucket", "b", "Key", "k", "VersionId", "v1"),
            "s3:GetObjectVersionTagging arn:aws:s3:::b/k"),
        Arguments.of("s3", "PutBucketNotificationConfiguration", in("Bucket", "b"), "s3:PutBucketNotification arn:aws:s3:::b"),
        Arguments.of("s3", "DeleteBucketCors", in("Bucket", "b"), "s3:PutBucketCORS arn:aws:s3:::b"),
        Arguments.of("s3", "DeletePublicAccessBlock", in("Bucket", "b"), "s3:PutBucketPublicAccessBlock arn:aws:s3:::b"),
        Arguments.of("s3", "ListObjectVersions", in("Bucket", "b"), "s3:ListBucketVersions arn:aws:s3:::b"),
        Arguments.of("s3", "ListParts", in("Bucket", "b", "Key", "k"), "s3:ListMultipartUploadParts arn:aws:s3:::b/k"),
        Arguments.of("s3", "CompleteMultipartUpload", in("Bucket", "b", "Key", "k"), "s3:PutObject arn:aws:s3:::b/k"),
        // Lambda
        Arguments.of("lambda", "Invoke", in("FunctionName", "f"), "lambda:InvokeFunction arn:aws:lambda:eu-west-1:123456789012:function:f"),
        Arguments.of("lambda", "Invoke", in("FunctionName", "f", "Qualifier", "live"),
            "lambda:InvokeFunction arn:aws:lambda:eu-west-1:123456789012:function:f:live"),
        Arguments.of("lambda", "Invoke", in("FunctionName", "f:7"), "lambda:InvokeFunction arn:aws:lambda:eu-west-1:123456789012:function:f:7"),
        Arguments.of("lambda", "Invoke", in("FunctionName", "210987654321:function:f"),
            "lambda:InvokeFunction arn:aws:lambda:eu-west-1:210987654321:function:f"),
        Arguments.of("lambda", "Invoke", in("FunctionName", "arn:aws:lambda:us-east-2:210987654321:function:f:live"),
            "lambda:InvokeFunction arn:aws:lambda:us-east-2:210987654321:function:f:live"),
        Arguments.of("lambda", "GetFunctionConfiguration", in("FunctionName", "f"),
            "lambda:GetFunctionConfiguration arn:aws:lambda:eu-west-1:123456789012:function:f"),
        Arguments.of("lambda", "GetAlias", in("FunctionName", "f", "Name", "live"),
            "lambda:GetAlias arn:aws:lambda:eu-west-1:123456789012:function:f"),
        Arguments.of("lambda", "PublishVersion", in("FunctionName", "arn:aws:lambda:eu-west-1:123456789012:function:f:3"),
            "lambda:PublishVersion arn:aws:lambda:eu-west-1:123456789012:function:f"),
        Arguments.of("lambda", "ListFunctions", in(), "lambda:ListFunctions *"),
        Arguments.of("lambda", "GetEventSourceMapping", in("UUID", "u-1"),
            "lambda:GetEventSourceMapping arn:aws:lambda:eu-west-1:123456789012:event-source-mapping:u-1"),
        Arguments.of("lambda", "ListTags", in("Resource", "arn:aws:lambda:eu-west-1:123456789012:function:f"),
            "lambda:ListTags arn:aws:lambda:eu-west-1:123456789012:function:f"),
        // Kinesis, Firehose
        Arguments.of("kinesis", "PutRecords", in("StreamName", "s"), "kinesis:PutRecords arn:aws:kinesis:eu-west-1:123456789012:stream/s"),
        Arguments.of("kinesis", "GetRecords", in("StreamARN", "arn:aws:kinesis:eu-west-1:123456789012:stream/s"),
            "kinesis:GetRecords arn:aws:kinesis:eu-west-1:123456789012:stream/s"),
        Arguments.of("kinesis", "SubscribeToShard", in("ConsumerARN", "arn:aws:kinesis:eu-west-1:123456789012:stream/s/consumer/c:1"),
            "kinesis:SubscribeToShard arn:aws:kinesis:eu-west-1:123456789012:stream/s/consumer/c:1"),
        Arguments.of("kinesis", "ListStreams", in(), "kinesis:ListStreams *"),
        Arguments.of("kinesis", "UpdateShardCount", in("StreamName", "s"), "kinesis:UpdateShardCount *"),
        Arguments.of("firehose", "PutRecordBatch", in("DeliveryStreamName", "d"),
            "firehose:PutRecordBatch arn:aws:firehose:eu-west-1:123456789012:deliverystream/d"),
        // EventBridge
        Arguments.of("events", "PutRule", in("Name", "r"), "events:PutRule arn:aws:events:eu-west-1:123456789012:rule/r"),
        Arguments.of("events", "PutRule", in("Name", "r", "EventBusName", "orders"),
            "events:PutRule arn:aws:events:eu-west-1:123456789012:rule/orders/r"),
        Arguments.of("events", "PutTargets", in("Rule", "r", "EventBusName", "arn:aws:events:eu-west-1:210987654321:event-bus/orders"),
            "events:PutTargets arn:aws:events:eu-west-1:210987654321:rule/orders/r"),
        Arguments.of("events", "DescribeEventBus", in(), "events:DescribeEventBus arn:aws:events:eu-west-1:123456789012:event-bus/default"),
        Arguments.of("events", "ListRules", in(), "events:ListRules *"),
        Arguments.of("events", "PutPermission", in("EventBusName", "orders"), "events:PutPermission *"),
        // Logs
        Arguments.of("logs", "PutLogEvents", in("logGroupName", "/aws/lambda/f", "logStreamName", "2026/s"),
            "logs:PutLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/f:log-stream:2026/s"),
        Arguments.of("logs", "CreateLogStream", in("logGroupName", "g", "logStreamName", "s"),
            "logs:CreateLogStream arn:aws:logs:eu-west-1:123456789012:log-group:g:log-stream:s"),
        Arguments.of("logs", "DescribeLogStreams", in("logGroupName", "g"),
            "logs:DescribeLogStreams arn:aws:logs:eu-west-1:123456789012:log-group:g"),
        Arguments.of("logs", "FilterLogEvents", in("logGroupIdentifier", "arn:aws:logs:eu-west-1:123456789012:log-group:g:*"),
            "logs:FilterLogEvents arn:aws:logs:eu-west-1:123456789012:log-group:g"),
        Arguments.of("logs", "DescribeLogGroups", in(), "logs:DescribeLogGroups *"),
        // IAM, STS, CloudTrail
        Arguments.of("iam", "CreateRole", in("RoleName", "r", "Path", "/service/"), "iam:CreateRole arn:aws:iam::123456789012:role/service/r"),
        Arguments.of("iam", "GetRole", in("RoleName", "r"), "iam:GetRole arn:aws:iam::123456789012:role/r"),
        Arguments.of("iam", "CreatePolicy", in("PolicyName", "p"), "iam:CreatePolicy arn:aws:iam::123456789012:policy/p"),
        Arguments.of("iam", "GetPolicyVersion", in("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
            "iam:GetPolicyVersion arn:aws:iam::aws:policy/ReadOnlyAccess"),
        Arguments.of("iam", "ListRoles", in(), "iam:ListRoles *"),
        Arguments.of("sts", "GetFederationToken", in("Name", "bob"), "sts:GetFederationToken arn:aws:sts::123456789012:federated-user/bob"),
        Arguments.of("cloudtrail", "StartLogging", in("Name", "t"), "cloudtrail:StartLogging arn:aws:cloudtrail:eu-west-1:123456789012:trail/t"),
        Arguments.of("cloudtrail", "LookupEvents", in(), "cloudtrail:LookupEvents *"));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("singleTargets")
  void oneTarget(String service, String operation, JsonObject input, String expected) {
    assertThat(one(service, operation, input)).isEqualTo(expected);
  }

  @Test
  void iamUserCallsWithoutAUserNameActOnTheCallingUser() {
    RequestContext alice = CONTEXT.withCaller(new io.eventplane.common.bus.Caller(
        "arn:aws:iam::123456789012:user/team/alice", "AIDAEXAMPLE", "AKIAEXAMPLE"));
    assertThat(Actions.of("iam").targets(ApiCall.of("CreateAccessKey", in()), alice))
        .containsExactly(Target.of("iam:CreateAccessKey", "arn:aws:iam::123456789012:user/team/alice"));
    assertThat(Actions.of("iam").targets(ApiCall.of("ListAccessKeys", in("UserName", "bob")), alice))
        .containsExactly(Target.of("iam:ListAccessKeys", "arn:aws:iam::123456789012:user/bob"));
    assertThat(one("iam", "AddUserToGroup", in("GroupName", "devs", "UserName", "bob")))
        .isEqualTo("iam:AddUserToGroup arn:aws:iam::123456789012:group/devs");
    assertThat(targets("iam", "AttachUserPolicy", in("UserName", "bob", "PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess")))
        .containsExactly(Target.of("iam:AttachUserPolicy", "arn:aws:iam::123456789012:user/bob")
            .with("iam:PolicyARN", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
  }

  @Test
  void stsGetCallerIdentityNeedsNoPermissionAndAssumeRoleIsOnTheRole() {
    assertThat(targets("sts", "GetCallerIdentity", in())).isEmpty();
    assertThat(targets("sts", "GetSessionToken", in())).isEmpty();
    assertThat(targets("sts", "AssumeRole", in("RoleArn", "arn:aws:iam::210987654321:role/r", "RoleSessionName", "s")))
        .containsExactly(Target.of("sts:AssumeRole", "arn:aws:iam::210987654321:role/r").with("sts:RoleSessionName", "s"));
  }

  @Test
  void getRecordsIsOnTheStreamItsIteratorNames() {
    // The kinesis module's ShardIterator form: version, stream id, shard, position, time, account, region, name.
    byte[] a = "210987654321".getBytes();
    byte[] r = "eu-west-1".getBytes();
    byte[] n = "clicks".getBytes();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + 28 + 3 + a.length + r.length + n.length);
    b.put((byte) 1).putLong(7).putInt(0).putLong(42).putLong(1_700_000_000_000L);
    b.put((byte) a.length).put(a).put((byte) r.length).put(r).put((byte) n.length).put(n);
    String iterator = Base64.getEncoder().encodeToString(b.array());
    assertThat(one("kinesis", "GetRecords", in("ShardIterator", iterator)))
        .isEqualTo("kinesis:GetRecords arn:aws:kinesis:eu-west-1:210987654321:stream/clicks");
    assertThat(one("kinesis", "GetRecords", in("ShardIterator", "not-an-iterator")))
        .isEqualTo("kinesis:GetRecords arn:aws:kinesis:eu-west-1:123456789012:stream/*");
  }

  @Test
  void copyObjectWritesTheTargetAndReadsTheSource() {
    assertThat(targets("s3", "CopyObject", in("Bucket", "dst", "Key", "k2", "CopySource", "/src/dir%20a/k1")))
        .containsExactly(Target.of("s3:PutObject", "arn:aws:s3:::dst/k2"), Target.of("s3:GetObject", "arn:aws:s3:::src/dir a/k1"));
    assertThat(targets("s3", "UploadPartCopy", in("Bucket", "dst", "Key", "k2", "CopySource", "src/k1?versionId=v9")))
        .containsExactly(Target.of("s3:PutObject", "arn:aws:s3:::dst/k2"),
            Target.of("s3:GetObjectVersion", "arn:aws:s3:::src/k1").with("s3:versionid", "v9"));
  }

  @Test
  void putObjectWithAnAclOrTagsNeedsThoseActionsToo() {
    assertThat(targets("s3", "PutObject", in("Bucket", "b", "Key", "k", "ACL", "public-read", "Tagging", "a=b")))
        .containsExactly(Target.of("s3:PutObject", "arn:aws:s3:::b/k").with("s3:x-amz-acl", "public-read"),
            Target.of("s3:PutObjectAcl", "arn:aws:s3:::b/k").with("s3:x-amz-acl", "public-read"),
            Target.of("s3:PutObjectTagging", "arn:aws:s3:::b/k"));
    assertThat(targets("s3", "PutObject", in("Bucket", "b", "Key", "k"))).containsExactly(Target.of("s3:PutObject", "arn:aws:s3:::b/k"));
  }

  @Test
  void deleteObjectsNeedsDeleteOnEachKey() {
    JsonObject delete = new JsonObject().put("Objects", new JsonArray()
        .add(new JsonObject().put("Key", "a")).add(new JsonObject().put("Key", "b").put("VersionId", "v"))
        .add(new JsonObject().put("Key", "a")));
    assertThat(targets("s3", "DeleteObjects", in("Bucket", "bk", "Delete", delete))).containsExactly(
        Target.of("s3:DeleteObject", "arn:aws:s3:::bk/a"),
        Target.of("s3:DeleteObjectVersion", "arn:aws:s3:::bk/b").with("s3:versionid", "v"));
  }

  @Test
  void createFunctionPassesItsRoleToLambda() {
    assertThat(targets("lambda", "CreateFunction", in("FunctionName", "f", "Role", "arn:aws:iam::123456789012:role/exec")))
        .containsExactly(Target.of("lambda:CreateFunction", "arn:aws:lambda:eu-west-1:123456789012:function:f"),
            Target.of("iam:PassRole", "arn:aws:iam::123456789012:role/exec").with("iam:PassedToService", "lambda.amazonaws.com"));
    assertThat(targets("lambda", "UpdateFunctionConfiguration", in("FunctionName", "f", "Timeout", 3)))
        .containsExactly(Target.of("lambda:UpdateFunctionConfiguration", "arn:aws:lambda:eu-west-1:123456789012:function:f"));
    assertThat(targets("lambda", "UpdateFunctionConfiguration", in("FunctionName", "f", "Role", "arn:aws:iam::123456789012:role/x")))
        .extracting(Target::action).containsExactly("lambda:UpdateFunctionConfiguration", "iam:PassRole");
  }

  @Test
  void eventSourceMappingsCarryTheFunctionArn() {
    assertThat(targets("lambda", "CreateEventSourceMapping", in("FunctionName", "f", "EventSourceArn", "arn:aws:sqs:eu-west-1:123456789012:q")))
        .containsExactly(Target.of("lambda:CreateEventSourceMapping", "*")
            .with("lambda:FunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:f"));
  }

  @Test
  void putEventsNeedsEachEntrysBusWithItsSourceAndDetailType() {
    JsonArray entries = new JsonArray()
        .add(new JsonObject().put("Source", "app.orders").put("DetailType", "Created"))
        .add(new JsonObject().put("Source", "app.orders").put("DetailType", "Created").put("EventBusName", "default"))
        .add(new JsonObject().put("Source", "app.bills").put("DetailType", "Paid").put("EventBusName", "billing"))
        .add(new JsonObject().put("Source", "x").put("DetailType", "y")
            .put("EventBusName", "arn:aws:events:eu-west-1:210987654321:event-bus/shared"));
    assertThat(targets("events", "PutEvents", in("Entries", entries))).containsExactly(
        new Target("events:PutEvents", "arn:aws:events:eu-west-1:123456789012:event-bus/default",
            Map.of("events:source", List.of("app.orders"), "events:detail-type", List.of("Created"))),
        new Target("events:PutEvents", "arn:aws:events:eu-west-1:123456789012:event-bus/billing",
            Map.of("events:source", List.of("app.bills"), "events:detail-type", List.of("Paid"))),
        new Target("events:PutEvents", "arn:aws:events:eu-west-1:210987654321:event-bus/shared",
            Map.of("events:source", List.of("x"), "events:detail-type", List.of("y"))));
  }

  @Test
  void replaysAndEncryptionNeedEveryResourceTheyTouch() {
    assertThat(targets("events", "StartReplay", in("ReplayName", "r1",
        "EventSourceArn", "arn:aws:events:eu-west-1:123456789012:archive/a1",
        "Destination", new JsonObject().put("Arn", "arn:aws:events:eu-west-1:123456789012:event-bus/orders"))))
        .extracting(Target::resource).containsExactly("arn:aws:events:eu-west-1:123456789012:replay/r1",
            "arn:aws:events:eu-west-1:123456789012:archive/a1", "arn:aws:events:eu-west-1:123456789012:event-bus/orders");
    assertThat(targets("kinesis", "StartStreamEncryption", in("StreamName", "s", "EncryptionType", "KMS", "KeyId", "1234abcd-12ab")))
        .containsExactly(Target.of("kinesis:StartStreamEncryption", "arn:aws:kinesis:eu-west-1:123456789012:stream/s"),
            Target.of("kinesis:StartStreamEncryption", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab"));
    assertThat(targets("kinesis", "StopStreamEncryption", in("StreamName", "s", "EncryptionType", "KMS", "KeyId", "alias/aws/kinesis")))
        .containsExactly(Target.of("kinesis:StopStreamEncryption", "arn:aws:kinesis:eu-west-1:123456789012:stream/s"));
    assertThat(targets("sts", "AssumeRoot", in("TargetPrincipal", "210987654321")))
        .containsExactly(Target.of("sts:AssumeRoot", "arn:aws:iam::210987654321:root"));
  }

  @Test
  void subscribeCarriesProtocolAndEndpoint() {
    assertThat(targets("sns", "Subscribe", in("TopicArn", "arn:aws:sns:eu-west-1:123456789012:t", "Protocol", "sqs",
        "Endpoint", "arn:aws:sqs:eu-west-1:123456789012:q"))).containsExactly(
        Target.of("sns:Subscribe", "arn:aws:sns:eu-west-1:123456789012:t").with("sns:Protocol", "sqs")
            .with("sns:Endpoint", "arn:aws:sqs:eu-west-1:123456789012:q"));
  }

  @Test
  void listBucketCarriesPrefixAndDelimiter() {
    assertThat(targets("s3", "ListObjectsV2", in("Bucket", "b", "Prefix", "home/alice/", "Delimiter", "/"))).containsExactly(
        Target.of("s3:ListBucket", "arn:aws:s3:::b").with("s3:prefix", "home/alice/").with("s3:delimiter", "/"));
  }

  @Test
  void createQueueOrTopicWithTagsNeedsTagging() {
    assertThat(targets("sqs", "CreateQueue", in("QueueName", "q", "tags", new JsonObject().put("a", "b"))))
        .extracting(Target::action).containsExactly("sqs:CreateQueue", "sqs:TagQueue");
    assertThat(targets("sns", "CreateTopic", in("Name", "t", "Tags", new JsonArray().add(new JsonObject().put("Key", "a")))))
        .extracting(Target::action).containsExactly("sns:CreateTopic", "sns:TagResource");
  }

  @Test
  void apiGatewayAuthorizesTheMethodOnThePath() {
    ServiceActions apigw = Actions.of("apigateway");
    assertThat(apigw.targets(new ApiCall("GetResources", new JsonObject(), "GET", "/restapis/a1b2/resources"), CONTEXT))
        .containsExactly(Target.of("apigateway:GET", "arn:aws:apigateway:eu-west-1::/restapis/a1b2/resources"));
    assertThat(apigw.targets(new ApiCall("CreateRoute", new JsonObject(), "POST", "/v2/apis/x9/routes"), CONTEXT))
        .containsExactly(Target.of("apigateway:POST", "arn:aws:apigateway:eu-west-1::/apis/x9/routes"));
    assertThat(apigw.targets(new ApiCall("UpdateStage", new JsonObject(), "PATCH", "/restapis/a/stages/prod?x=1"), CONTEXT))
        .containsExactly(Target.of("apigateway:PATCH", "arn:aws:apigateway:eu-west-1::/restapis/a/stages/prod"));
  }

  @Test
  void anOperationWithoutAnEntryNeverPassesAsFree() {
    assertThatThrownBy(() -> targets("sqs", "SendMessageEventually", in())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Actions.of("apigateway").targets(new ApiCall("Nope", new JsonObject(), "GET", "/x"), CONTEXT))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
