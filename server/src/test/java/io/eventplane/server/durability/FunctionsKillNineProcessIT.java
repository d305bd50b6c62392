package io.eventplane.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SIGKILL with Event invocations acknowledged but not done, {@code --durability fsync}: after the
 * restart the functions are still deployed, and every acknowledged event runs its attempts and
 * reaches the function's dead-letter queue, and the log events readable before the kill still are.
 * The killed node's instances end by themselves once their Runtime API is gone.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FunctionsKillNineProcessIT {
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final int EVENTS = 40;

  private Path root;
  private final List<ServerProcess> processes = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeEach
  void tempDir() throws Exception {
    root = Files.createTempDirectory("eventplane-lambda-kill9");
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (AutoCloseable c : clients) c.close();
    for (ServerProcess p : processes) p.close();
    if (root != null && Files.exists(root)) {
      try (Stream<Path> paths = Files.walk(root)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private ServerProcess start(String logName) throws Exception {
    String jar = System.getProperty("eventplane.jar");
    assertThat(jar).as("system property eventplane.jar (set by failsafe)").isNotBlank();
    // Retries 2 s and 4 s after a failure: the kill comes while every event still has attempts to go.
    ServerProcess p = ServerProcess.start(Path.of(jar), root.resolve("data"), root.resolve(logName), STARTUP,
        List.of("--function-async-retry-ms", "2000"));
    processes.add(p);
    return p;
  }

  private LambdaClient lambda(ServerProcess server) {
    LambdaClient c = LambdaClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(60)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
    clients.add(c);
    return c;
  }

  private CloudWatchLogsClient logs(ServerProcess server) {
    CloudWatchLogsClient c = CloudWatchLogsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
    clients.add(c);
    return c;
  }

  private static List<String> logged(CloudWatchLogsClient logs, String pattern) {
    List<String> out = new ArrayList<>();
    logs.filterLogEvents(b -> b.logGroupName("/aws/lambda/always-fails").filterPattern(pattern)).events()
        .forEach(e -> out.add(e.message()));
    return out;
  }

  private IamClient iam(ServerProcess server) {
    IamClient c = IamClient.builder().endpointOverride(server.endpoint()).region(Region.AWS_GLOBAL)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
    clients.add(c);
    return c;
  }

  private static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:*\",\"Resource\":\"*\"}]}";

  private SqsClient sqs(ServerProcess server) {
    SqsClient c = SqsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
        .build();
    clients.add(c);
    return c;
  }

  @Test
  void acknowledgedEventInvocationsRunAfterKillNine() throws Exception {
    ServerProcess first = start("first.log");
    SqsClient sqs = sqs(first);
    sqs.createQueue(b -> b.queueName("events-dlq"));
    LambdaClient lambda = lambda(first);
    lambda.createFunction(b -> b.functionName("always-fails").runtime(Runtime.JAVA17)
        .role("arn:aws:iam::000000000000:role/r").handler("io.eventplane.examples.Diagnostics::handleRequest")
        .code(c -> c.zipFile(SdkBytes.fromByteArray(EmbeddedServer.examplesJar())))
        .deadLetterConfig(d -> d.targetArn("arn:aws:sqs:us-east-1:000000000000:events-dlq")));
    // A published version and an alias are acknowledged writes like any other.
    lambda.publishVersion(b -> b.functionName("always-fails"));
    lambda.createAlias(b -> b.functionName("always-fails").name("live").functionVersion("1"));
    // A log event once readable (ingested) is kept too.
    lambda.invoke(b -> b.functionName("always-fails").payload(SdkBytes.fromUtf8String("{\"records\":[\"kept across kill -9\"]}")));
    CloudWatchLogsClient logs = logs(first);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> logged(logs, "\"kept across kill -9\"").size() == 1);
    // What the IAM and Logs APIs acknowledged: a customer managed policy and its second version, a
    // log group with a retention, a stream and an event put through PutLogEvents.
    IamClient iam = iam(first);
    String policyArn = iam.createPolicy(b -> b.policyName("kept-policy").policyDocument(POLICY)).policy().arn();
    iam.createPolicyVersion(b -> b.policyArn(policyArn).policyDocument(POLICY.replace("sqs:*", "sns:*")).setAsDefault(true));
    // A user with an access key (and its index entry) and a group it belongs to.
    iam.createUser(b -> b.userName("kept-user"));
    String keyId = iam.createAccessKey(b -> b.userName("kept-user")).accessKey().accessKeyId();
    iam.updateAccessKey(b -> b.userName("kept-user").accessKeyId(keyId).status("Inactive"));
    iam.createGroup(b -> b.groupName("kept-group"));
    iam.addUserToGroup(b -> b.groupName("kept-group").userName("kept-user"));
    logs.createLogGroup(b -> b.logGroupName("/app/kept"));
    logs.putRetentionPolicy(b -> b.logGroupName("/app/kept").retentionInDays(7));
    logs.createLogStream(b -> b.logGroupName("/app/kept").logStreamName("web-1"));
    logs.putLogEvents(b -> b.logGroupName("/app/kept").logStreamName("web-1")
        .logEvents(e -> e.timestamp(System.currentTimeMillis()).message("put before kill -9")));
    Set<String> acknowledged = new HashSet<>();
    for (int i = 0; i < EVENTS; i++) {
      String id = "event-" + i;
      int status = lambda.invoke(b -> b.functionName("always-fails").invocationType(InvocationType.EVENT)
          .payload(SdkBytes.fromUtf8String("{\"fail\":\"" + id + "\"}"))).statusCode();
      assertThat(status).isEqualTo(202);
      acknowledged.add(id);
    }
    assertThat(first.kill()).as("exit status of a SIGKILLed JVM").isEqualTo(137);
    // The instances of the killed node lose their Runtime API and end.
    Path runtimeJars = root.resolve("data").resolve("functions").resolve("runtime");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.allProcesses()
        .noneMatch(p -> p.info().commandLine().map(c -> c.contains(runtimeJars.toString())).orElse(false)));

    ServerProcess second = start("second.log");
    LambdaClient after = lambda(second);
    assertThat(after.getFunction(b -> b.functionName("always-fails")).configuration().deadLetterConfig().targetArn())
        .isEqualTo("arn:aws:sqs:us-east-1:000000000000:events-dlq");
    assertThat(after.getAlias(b -> b.functionName("always-fails").name("live")).functionVersion()).isEqualTo("1");
    assertThat(after.invoke(b -> b.functionName("always-fails").qualifier("live").payload(SdkBytes.fromUtf8String("{}")))
        .executedVersion()).isEqualTo("1");
    SqsClient sqsAfter = sqs(second);
    String dlq = sqsAfter.getQueueUrl(b -> b.queueName("events-dlq")).queueUrl();
    Set<String> dead = new HashSet<>();
    long deadline = System.currentTimeMillis() + 60_000;
    while (!dead.containsAll(acknowledged) && System.currentTimeMillis() < deadline) {
      for (Message m : sqsAfter.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        dead.add(new io.vertx.core.json.JsonObject(m.body()).getString("fail"));
        sqsAfter.deleteMessage(b -> b.queueUrl(dlq).receiptHandle(m.receiptHandle()));
      }
    }
    assertThat(dead).as("acknowledged events that reached the dead-letter queue after the restart")
        .containsAll(acknowledged);
    assertThat(logged(logs(second), "\"kept across kill -9\"")).containsExactly("kept across kill -9");
    IamClient iamAfter = iam(second);
    assertThat(iamAfter.getPolicy(b -> b.policyArn(policyArn)).policy().defaultVersionId()).isEqualTo("v2");
    assertThat(iamAfter.getPolicyVersion(b -> b.policyArn(policyArn).versionId("v2")).policyVersion().document())
        .contains("sns");
    assertThat(iamAfter.listAccessKeys(b -> b.userName("kept-user")).accessKeyMetadata())
        .singleElement().satisfies(k -> assertThat(k.accessKeyId() + " " + k.statusAsString()).isEqualTo(keyId + " Inactive"));
    assertThat(iamAfter.getAccessKeyLastUsed(b -> b.accessKeyId(keyId)).userName()).isEqualTo("kept-user");
    assertThat(iamAfter.getGroup(b -> b.groupName("kept-group")).users()).extracting(u -> u.userName())
        .containsExactly("kept-user");
    CloudWatchLogsClient logsAfter = logs(second);
    assertThat(logsAfter.describeLogGroups(b -> b.logGroupNamePrefix("/app/kept")).logGroups())
        .singleElement().satisfies(g -> assertThat(g.retentionInDays()).isEqualTo(7));
    assertThat(logsAfter.getLogEvents(b -> b.logGroupName("/app/kept").logStreamName("web-1").startFromHead(true)).events())
        .extracting(OutputLogEvent::message).containsExactly("put before kill -9");
    System.out.printf("Lambda kill -9 with %d acknowledged Event invocations: all reached the DLQ after restart%n",
        acknowledged.size());
  }
}
