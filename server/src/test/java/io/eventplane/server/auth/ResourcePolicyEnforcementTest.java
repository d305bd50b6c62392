package io.eventplane.server.auth;

import static io.eventplane.server.auth.IamEnforcementTest.assertDenied;
import static io.eventplane.server.auth.IamEnforcementTest.client;
import static io.eventplane.server.auth.IamEnforcementTest.queueArn;
import static io.eventplane.server.auth.IamEnforcementTest.user;
import static io.eventplane.server.auth.IamEnforcementTest.userArn;
import static io.eventplane.server.auth.SignedIdentitiesTest.admin;
import static io.eventplane.server.auth.SignedIdentitiesTest.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code --auth iam} with resources' own policies: a queue's, topic's, bucket's, function's or bus's
 * policy completes the caller's identity policies at the route, as IAM's evaluation logic has it: in
 * the resource's account an allow from either side suffices, an explicit deny in the resource's policy
 * wins over any allow (the root's too), and the account's root may always put and delete its
 * buckets' policies. A policy set on one node is read by the others.
 */
class ResourcePolicyEnforcementTest {
  static final String ACCOUNT = SignedIdentitiesTest.ACCOUNT;

  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.IAM)
      .withAdminKey(SignedIdentitiesTest.ADMIN_KEY, SignedIdentitiesTest.ADMIN_SECRET)));

  static IamClient iam() {
    return client(IamClient.builder(), server.endpoint(), admin());
  }

  /**
   * Waits until every node's resource-policy cache reads the resource as {@code read} wants: a change
   * is read at once on the node that took it and after its notice (on the event bus) elsewhere, so a
   * test whose next step runs on another node (an S3 lane delivering, an SNS lane fanning out) waits
   * for that first.
   */
  static void awaitEveryNodeReads(EmbeddedServer server, String arn,
      java.util.function.Predicate<io.eventplane.gateway.authz.ResourcePolicy> read) {
    for (int node = 0; node < EmbeddedServer.nodes(); node++) {
      io.eventplane.gateway.authz.ResourcePolicies cache =
          io.eventplane.gateway.authz.NodeAuthorizer.resourcePolicies(server.vertx(node), null);
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        io.vertx.core.Future<io.eventplane.gateway.authz.ResourcePolicy> f = cache.of(arn);
        return f.succeeded() && read.test(f.result());
      });
    }
  }

  static String policy(String effect, String principal, String action, String resource) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S1\",\"Effect\":\"" + effect + "\",\"Principal\":" + principal
        + ",\"Action\":\"" + action + "\",\"Resource\":\"" + resource + "\"}]}";
  }

  static String aws(String arn) {
    return "{\"AWS\":\"" + arn + "\"}";
  }

  static String denied(String user, String action, String resource, boolean explicit, String type) {
    return "User: " + userArn(user) + " is not authorized to perform: " + action + " on resource: " + resource
        + (explicit ? " with an explicit deny in " + type + " policy" : " because no " + type.substring(type.indexOf(' ') + 1)
            + " policy allows the " + action + " action");
  }

  @Test
  void aQueuePolicyNamingAUserLetsHimInWithoutAnIdentityPolicy() {
    try (IamClient iam = iam(); SqsClient adminSqs = client(SqsClient.builder(), server.endpoint(), admin())) {
      String queue = adminSqs.createQueue(b -> b.queueName("inbox")).queueUrl();
      AccessKey key = user(iam, "carol");
      try (SqsClient sqs = client(SqsClient.builder(), server.endpoint(), keys(key))) {
        assertDenied(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x")), 403, "AccessDenied",
            denied("carol", "sqs:SendMessage", queueArn("inbox"), false, "an identity-based"));
        adminSqs.setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(QueueAttributeName.POLICY,
            policy("Allow", aws(userArn("carol")), "sqs:SendMessage", queueArn("inbox")))));
        // At once on the node that took the change.
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x"));
        assertDenied(() -> sqs.receiveMessage(b -> b.queueUrl(queue)), 403, "AccessDenied",
            denied("carol", "sqs:ReceiveMessage", queueArn("inbox"), false, "an identity-based"));
        // A policy naming only the account defers to the identity policies, which allow nothing here.
        adminSqs.setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(QueueAttributeName.POLICY,
            policy("Allow", aws(ACCOUNT), "sqs:*", queueArn("inbox")))));
        assertDenied(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x")), 403, "AccessDenied", null);
        adminSqs.setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(QueueAttributeName.POLICY,
            policy("Allow", aws(userArn("carol")), "sqs:SendMessage", queueArn("inbox")))));
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x"));
      }
    }
  }

  @Test
  void anExplicitDenyInAQueuePolicyWinsOverTheIdentityAllowAndTheRoot() {
    try (IamClient iam = iam(); SqsClient adminSqs = client(SqsClient.builder(), server.endpoint(), admin())) {
      String queue = adminSqs.createQueue(b -> b.queueName("guarded")).queueUrl();
      AccessKey key = user(iam, "dave");
      iam.putUserPolicy(b -> b.userName("dave").policyName("all-sqs").policyDocument(IamEnforcementTest.allow("sqs:*", "*")));
      adminSqs.setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(QueueAttributeName.POLICY,
          policy("Deny", "\"*\"", "sqs:SendMessage", queueArn("guarded")))));
      try (SqsClient sqs = client(SqsClient.builder(), server.endpoint(), keys(key))) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> sqs.receiveMessage(b -> b.queueUrl(queue)));
        assertDenied(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x")), 403, "AccessDenied",
            denied("dave", "sqs:SendMessage", queueArn("guarded"), true, "a resource-based"));
        assertDenied(() -> adminSqs.sendMessage(b -> b.queueUrl(queue).messageBody("x")), 403, "AccessDenied", null);
        adminSqs.setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(QueueAttributeName.POLICY, "")));
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x"));
        adminSqs.sendMessage(b -> b.queueUrl(queue).messageBody("y"));
      }
    }
  }

  @Test
  void aBucketPolicyDeniesEvenTheRootWhoMayStillDeleteIt() {
    try (IamClient iam = iam(); S3Client adminS3 = client(S3Client.builder(), server.endpoint(), admin())) {
      adminS3.createBucket(b -> b.bucket("vault"));
      adminS3.putObject(b -> b.bucket("vault").key("a.txt"), RequestBody.fromString("a"));
      AccessKey key = user(iam, "erin");
      try (S3Client s3 = client(S3Client.builder(), server.endpoint(), keys(key))) {
        assertDenied(() -> s3.getObjectAsBytes(b -> b.bucket("vault").key("a.txt")), 403, "AccessDenied", "Access Denied");
        adminS3.putBucketPolicy(b -> b.bucket("vault").policy(policy("Allow", aws(userArn("erin")), "s3:GetObject",
            "arn:aws:s3:::vault/*")));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("vault").key("a.txt")).asUtf8String()).isEqualTo("a");
        assertDenied(() -> s3.putObject(b -> b.bucket("vault").key("b.txt"), RequestBody.fromString("b")), 403, "AccessDenied",
            "Access Denied");
        adminS3.putBucketPolicy(b -> b.bucket("vault").policy(policy("Deny", "\"*\"", "s3:*", "arn:aws:s3:::vault*")));
        assertDenied(() -> adminS3.getObjectAsBytes(b -> b.bucket("vault").key("a.txt")), 403, "AccessDenied", "Access Denied");
        assertDenied(() -> adminS3.listObjectsV2(b -> b.bucket("vault")), 403, "AccessDenied", "Access Denied");
        // The way out: the account's root may always read and delete its bucket's policy.
        assertThat(adminS3.getBucketPolicy(b -> b.bucket("vault")).policy()).contains("Deny");
        adminS3.deleteBucketPolicy(b -> b.bucket("vault"));
        assertThat(adminS3.getObjectAsBytes(b -> b.bucket("vault").key("a.txt")).asUtf8String()).isEqualTo("a");
      }
    }
  }

  @Test
  void aTopicPolicyAFunctionPermissionAndABusPolicyGrantTheirActions() {
    try (IamClient iam = iam();
         SnsClient adminSns = client(SnsClient.builder(), server.endpoint(), admin());
         LambdaClient adminLambda = client(LambdaClient.builder(), server.endpoint(), admin());
         EventBridgeClient adminEvents = client(EventBridgeClient.builder(), server.endpoint(), admin())) {
      String topic = adminSns.createTopic(b -> b.name("alerts")).topicArn();
      String function = io.eventplane.server.lambda.Functions.create(adminLambda, "granted", "io.eventplane.examples.HttpEcho::handleRequest")
          .functionArn();
      adminEvents.createEventBus(b -> b.name("orders"));
      String bus = "arn:aws:events:us-east-1:" + ACCOUNT + ":event-bus/orders";
      AccessKey key = user(iam, "frank");
      try (SnsClient sns = client(SnsClient.builder(), server.endpoint(), keys(key));
           LambdaClient lambda = client(LambdaClient.builder(), server.endpoint(), keys(key));
           EventBridgeClient events = client(EventBridgeClient.builder(), server.endpoint(), keys(key))) {
        // A topic's default policy trusts only the topic owner's account's own policies (AWS:SourceOwner): not frank.
        assertDenied(() -> sns.publish(b -> b.topicArn(topic).message("m")), 403, "AuthorizationError",
            "User: " + userArn("frank") + " is not authorized to perform: SNS:Publish on resource: " + topic
                + " because no identity-based policy allows the SNS:Publish action");
        adminSns.setTopicAttributes(b -> b.topicArn(topic).attributeName("Policy")
            .attributeValue(policy("Allow", aws(userArn("frank")), "sns:Publish", topic)));
        assertThat(sns.publish(b -> b.topicArn(topic).message("m")).messageId()).isNotEmpty();
        // A topic deleted and made again has none of the old one's policy.
        adminSns.deleteTopic(b -> b.topicArn(topic));
        adminSns.createTopic(b -> b.name("alerts"));
        assertDenied(() -> sns.publish(b -> b.topicArn(topic).message("m")), 403, "AuthorizationError", null);

        assertDenied(() -> lambda.getFunction(b -> b.functionName("granted")), 403, "AccessDeniedException", null);
        adminLambda.addPermission(b -> b.functionName("granted").statementId("frank-reads").action("lambda:GetFunction")
            .principal(userArn("frank")));
        assertThat(lambda.getFunction(b -> b.functionName("granted")).configuration().functionArn()).isEqualTo(function);
        adminLambda.removePermission(b -> b.functionName("granted").statementId("frank-reads"));
        assertDenied(() -> lambda.getFunction(b -> b.functionName("granted")), 403, "AccessDeniedException", null);

        PutEventsRequestEntry entry = PutEventsRequestEntry.builder().eventBusName("orders").source("shop").detailType("t").detail("{}")
            .build();
        assertDenied(() -> events.putEvents(b -> b.entries(entry)), 400, "AccessDeniedException", null);
        adminEvents.putPermission(b -> b.eventBusName("orders").policy(policy("Allow", aws(userArn("frank")), "events:PutEvents", bus)));
        assertThat(events.putEvents(b -> b.entries(entry)).failedEntryCount()).isZero();
      }
    }
  }

  @Test
  void aPolicySetOnOneNodeIsReadByEveryNode() {
    try (IamClient iam = iam(); SqsClient adminSqs = client(SqsClient.builder(), server.endpoint(), admin())) {
      String queue = adminSqs.createQueue(b -> b.queueName("shared")).queueUrl();
      AccessKey key = user(iam, "grace");
      for (int node = 0; node < EmbeddedServer.nodes(); node++) {
        try (SqsClient sqs = client(SqsClient.builder(), server.endpoint(node), keys(key))) {
          assertDenied(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x")), 403, "AccessDenied", null);
        }
      }
      adminSqs.setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(QueueAttributeName.POLICY,
          policy("Allow", aws(userArn("grace")), "sqs:SendMessage", queueArn("shared")))));
      for (int node = 0; node < EmbeddedServer.nodes(); node++) {
        try (SqsClient sqs = client(SqsClient.builder(), server.endpoint(node), keys(key))) {
          await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> sqs.sendMessage(b -> b.queueUrl(queue).messageBody("x")));
        }
      }
    }
  }
}
