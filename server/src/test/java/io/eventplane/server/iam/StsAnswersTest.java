package io.eventplane.server.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** STS's GetCallerIdentity and AssumeRole through the SDK, answered as recorded against AWS (test_sts snapshots). */
class StsAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Principal\":{\"AWS\":\"000000000000\"},\"Action\":\"sts:AssumeRole\"}]}";
  private static StsClient sts;
  private static IamClient iam;

  private static synchronized StsClient sts() {
    if (sts == null) {
      sts = StsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
          .build();
      iam = IamClient.builder().endpointOverride(server.endpoint()).region(Region.AWS_GLOBAL)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
          .build();
    }
    return sts;
  }

  @AfterAll
  static void close() {
    if (sts != null) sts.close();
    if (iam != null) iam.close();
  }

  @Test
  void callerIdentityIsTheAccountRoot() {
    var me = sts().getCallerIdentity();
    assertThat(me.account()).isEqualTo("000000000000");
    assertThat(me.arn()).isEqualTo("arn:aws:iam::000000000000:root");
    assertThat(me.userId()).isEqualTo("000000000000");
  }

  @Test
  void assumingARoleNamesTheRoleAndTheSession() {
    sts();
    var role = iam.createRole(b -> b.roleName("deployer").path("/ci/").assumeRolePolicyDocument(TRUST)).role();
    Instant before = server.clock().instant();
    AssumeRoleResponse assumed = sts().assumeRole(b -> b.roleArn(role.arn()).roleSessionName("deploy-17"));
    assertThat(assumed.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/deployer/deploy-17");
    assertThat(assumed.assumedRoleUser().assumedRoleId()).isEqualTo(role.roleId() + ":deploy-17");
    assertThat(assumed.credentials().accessKeyId()).startsWith("ASIA").hasSize(20);
    assertThat(assumed.credentials().secretAccessKey()).hasSize(40);
    assertThat(assumed.credentials().sessionToken()).isNotBlank();
    assertThat(assumed.credentials().expiration()).isBetween(before.plusSeconds(3599), before.plusSeconds(3700));
    assertThat(assumed.packedPolicySize()).as("only with a session policy").isNull();
  }

  private static StsClient stsAs(software.amazon.awssdk.services.sts.model.Credentials c) {
    return StsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            software.amazon.awssdk.auth.credentials.AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** Who GetCallerIdentity says calls, with each kind of credentials (recorded against AWS for an assumed role). */
  record Identity(String credentials, software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse answer, String arn,
      String userId, String account) {}

  @Test
  void callerIdentityNamesTheSessionOfTemporaryCredentials() {
    sts();
    var role = iam.createRole(b -> b.roleName("session-owner").assumeRolePolicyDocument(TRUST)).role();
    var assumed = sts().assumeRole(b -> b.roleArn(role.arn()).roleSessionName("build-42")).credentials();
    var session = sts().getSessionToken().credentials();
    try (StsClient asRole = stsAs(assumed); StsClient asSession = stsAs(session)) {
      List<Identity> table = List.of(
          new Identity("long-term keys", sts().getCallerIdentity(), "arn:aws:iam::000000000000:root", "000000000000",
              "000000000000"),
          new Identity("AssumeRole's credentials", asRole.getCallerIdentity(),
              "arn:aws:sts::000000000000:assumed-role/session-owner/build-42", role.roleId() + ":build-42", "000000000000"),
          new Identity("GetSessionToken's credentials", asSession.getCallerIdentity(), "arn:aws:iam::000000000000:root",
              "000000000000", "000000000000"));
      for (Identity row : table) {
        assertThat(row.answer().arn()).as(row.credentials()).isEqualTo(row.arn());
        assertThat(row.answer().userId()).as(row.credentials()).isEqualTo(row.userId());
        assertThat(row.answer().account()).as(row.credentials()).isEqualTo(row.account());
      }
      // A session's caller is the session: STS names it when it refuses, and chains are held to an hour.
      assertThatThrownBy(() -> asRole.assumeRole(b -> b.roleArn("arn:aws:iam::000000000000:role/nobody").roleSessionName("s2")))
          .isInstanceOf(StsException.class).satisfies(e -> {
            StsException x = (StsException) e;
            assertThat(x.statusCode()).isEqualTo(403);
            assertThat(x.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(x.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:sts::000000000000:assumed-role/session-owner/"
                + "build-42 is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/nobody");
          });
      assertThatThrownBy(() -> asRole.assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s3").durationSeconds(7200)))
          .isInstanceOf(StsException.class).satisfies(e -> {
            StsException x = (StsException) e;
            assertThat(x.statusCode()).isEqualTo(400);
            assertThat(x.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(x.awsErrorDetails().errorMessage())
                .isEqualTo("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
          });
      assertThat(asRole.assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s4")).assumedRoleUser().arn())
          .isEqualTo("arn:aws:sts::000000000000:assumed-role/session-owner/s4");
      assertThatThrownBy(asSession::getSessionToken).isInstanceOf(StsException.class).satisfies(e -> {
        StsException x = (StsException) e;
        assertThat(x.statusCode()).isEqualTo(403);
        assertThat(x.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(x.awsErrorDetails().errorMessage()).isEqualTo("Cannot call GetSessionToken with session credentials");
      });
    }
  }

  @Test
  void sessionTokensOfTheAccountRootLastAnHourAtMost() {
    Instant before = server.clock().instant();
    var byDefault = sts().getSessionToken().credentials();
    assertThat(byDefault.accessKeyId()).startsWith("ASIA").hasSize(20);
    assertThat(byDefault.secretAccessKey()).hasSize(40);
    assertThat(byDefault.expiration()).isBetween(before.plusSeconds(3599), before.plusSeconds(3700));
    assertThat(sts().getSessionToken(b -> b.durationSeconds(900)).credentials().expiration())
        .isBetween(before.plusSeconds(899), before.plusSeconds(1000));
    assertThat(sts().getSessionToken(b -> b.durationSeconds(129600)).credentials().expiration())
        .as("the account's root gets one hour at most").isBetween(before.plusSeconds(3599), before.plusSeconds(3700));
    List<Refusal> table = List.of(
        new Refusal("DurationSeconds below 900", s -> s.getSessionToken(b -> b.durationSeconds(899)), 400, "ValidationError",
            "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value "
                + "greater than or equal to 900"),
        new Refusal("DurationSeconds above 36 hours", s -> s.getSessionToken(b -> b.durationSeconds(129601)), 400,
            "ValidationError", "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: "
                + "Member must have value less than or equal to 129600"),
        new Refusal("a TokenCode of five digits", s -> s.getSessionToken(b -> b.tokenCode("12345")), 400, "ValidationError",
            "1 validation error detected: Value '12345' at 'tokenCode' failed to satisfy constraint: Member must have length "
                + "greater than or equal to 6"),
        new Refusal("a TokenCode of letters", s -> s.getSessionToken(b -> b.tokenCode("abcdef")), 400, "ValidationError",
            "1 validation error detected: Value 'abcdef' at 'tokenCode' failed to satisfy constraint: Member must satisfy "
                + "regular expression pattern: [\\d]*"));
    assertRefusals(table);
  }

  @Test
  void temporaryCredentialsExpireOnTheServersClock() {
    sts();
    var role = iam.createRole(b -> b.roleName("brief").assumeRolePolicyDocument(TRUST)).role();
    var assumed = sts().assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s1").durationSeconds(900)).credentials();
    var session = sts().getSessionToken(b -> b.durationSeconds(900)).credentials();
    try (StsClient asRole = stsAs(assumed); StsClient asSession = stsAs(session)) {
      server.advance(Duration.ofSeconds(899));
      assertThat(asRole.getCallerIdentity().arn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/brief/s1");
      assertThat(asSession.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::000000000000:root");
      server.advance(Duration.ofSeconds(1));
      for (StsClient expired : List.of(asRole, asSession)) {
        assertThatThrownBy(expired::getCallerIdentity).isInstanceOf(StsException.class).satisfies(e -> {
          StsException x = (StsException) e;
          assertThat(x.statusCode()).isEqualTo(403);
          assertThat(x.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken");
          assertThat(x.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is expired");
        });
      }
      assertThatThrownBy(() -> asRole.assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s2")))
          .isInstanceOf(StsException.class)
          .satisfies(e -> assertThat(((StsException) e).awsErrorDetails().errorCode()).isEqualTo("ExpiredToken"));
    }
  }

  @Test
  void tokensNotSealedHereOrForAnotherKeyNameNoSession() {
    sts();
    var role = iam.createRole(b -> b.roleName("sealed").assumeRolePolicyDocument(TRUST)).role();
    var assumed = sts().assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s1")).credentials();
    var other = sts().assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s2")).credentials();
    String token = assumed.sessionToken();
    char c = token.charAt(token.length() - 5);
    String tampered = token.substring(0, token.length() - 5) + (c == 'A' ? 'B' : 'A') + token.substring(token.length() - 4);
    List<software.amazon.awssdk.services.sts.model.Credentials> notOurs = List.of(
        assumed.toBuilder().sessionToken(tampered).build(),
        assumed.toBuilder().accessKeyId(other.accessKeyId()).secretAccessKey(other.secretAccessKey()).build());
    for (var credentials : notOurs) {
      try (StsClient client = stsAs(credentials)) {
        assertThat(client.getCallerIdentity().arn()).as("signatures are not verified: the key's account's root")
            .isEqualTo("arn:aws:iam::000000000000:root");
      }
    }
  }

  @Test
  void assumeRoleTakesASourceIdentitySessionTagsAndAnExternalId() {
    sts();
    var role = iam.createRole(b -> b.roleName("tagged").assumeRolePolicyDocument(TRUST).maxSessionDuration(7200)).role();
    var assumed = sts().assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s1").sourceIdentity("alice@example.com")
        .externalId("Unique-1").durationSeconds(7200)
        .tags(t -> t.key("team").value("blue"), t -> t.key("cost center").value("4711")));
    assertThat(assumed.sourceIdentity()).isEqualTo("alice@example.com");
    assertThat(assumed.credentials().expiration()).isEqualTo(server.clock().instant().plusSeconds(7200)
        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    assertThat(assumed.credentials().sessionToken().length()).isLessThan(2048);
    List<software.amazon.awssdk.services.sts.model.Tag> tooMany = new java.util.ArrayList<>();
    for (int i = 0; i < 51; i++) tooMany.add(software.amazon.awssdk.services.sts.model.Tag.builder().key("k" + i).value("v").build());
    List<Refusal> table = List.of(
        new Refusal("an ExternalId of one character", s -> s.assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s1")
            .externalId("x")), 400, "ValidationError", "1 validation error detected: Value 'x' at 'externalId' failed to "
            + "satisfy constraint: Member must have length greater than or equal to 2"),
        new Refusal("a SourceIdentity with a colon", s -> s.assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s1")
            .sourceIdentity("a:b")), 400, "ValidationError", "1 validation error detected: Value 'a:b' at 'sourceIdentity' "
            + "failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
        new Refusal("a tag key of 129 characters", s -> s.assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s1")
            .tags(t -> t.key("k".repeat(129)).value("v"))), 400, "ValidationError", "1 validation error detected: Value '"
            + "k".repeat(129) + "' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or "
            + "equal to 128"),
        new Refusal("51 session tags", s -> s.assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s1").tags(tooMany)),
            400, "ValidationError", "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must "
            + "have length less than or equal to 50"),
        new Refusal("DurationSeconds below 900", s -> s.assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s1")
            .durationSeconds(899)), 400, "ValidationError", "1 validation error detected: Value '899' at 'durationSeconds' "
            + "failed to satisfy constraint: Member must have value greater than or equal to 900"),
        new Refusal("DurationSeconds above 12 hours", s -> s.assumeRole(b -> b.roleArn(role.arn()).roleSessionName("s1")
            .durationSeconds(43201)), 400, "ValidationError", "1 validation error detected: Value '43201' at "
            + "'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"));
    assertRefusals(table);
  }

  /** One refused call: how STS answers it. */
  record Refusal(String call, Consumer<StsClient> request, int status, String code, String message) {}

  @Test
  void refusedAssumeRolesGetStssAnswers() {
    sts();
    String missing = "arn:aws:iam::000000000000:role/nobody";
    iam.createRole(b -> b.roleName("short").assumeRolePolicyDocument(TRUST));
    List<Refusal> table = List.of(
        new Refusal("malformed ARN", s -> s.assumeRole(b -> b.roleArn("nothing-valid-in-here").roleSessionName("s1")),
            400, "ValidationError", "nothing-valid-in-here is invalid"),
        new Refusal("session name with a colon", s -> s.assumeRole(b -> b.roleArn(missing).roleSessionName("Session1:2")),
            400, "ValidationError", "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to "
                + "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
        new Refusal("a role that does not exist", s -> s.assumeRole(b -> b.roleArn(missing).roleSessionName("s1")),
            403, "AccessDenied", "User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on "
                + "resource: " + missing),
        new Refusal("longer than the role allows",
            s -> s.assumeRole(b -> b.roleArn("arn:aws:iam::000000000000:role/short").roleSessionName("s1").durationSeconds(7200)),
            400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."));
    assertRefusals(table);
  }

  private static void assertRefusals(List<Refusal> table) {
    for (Refusal row : table) {
      assertThatThrownBy(() -> row.request().accept(sts())).as(row.call()).isInstanceOf(StsException.class)
          .satisfies(e -> {
            StsException s = (StsException) e;
            assertThat(s.statusCode()).as(row.call()).isEqualTo(row.status());
            assertThat(s.awsErrorDetails().errorCode()).as(row.call()).isEqualTo(row.code());
            assertThat(s.awsErrorDetails().errorMessage()).as(row.call()).isEqualTo(row.message());
          });
    }
  }
}
