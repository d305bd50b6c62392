package io.eventplane.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.config.AuthMode;
import io.eventplane.common.config.AuthSettings;
import io.eventplane.server.EmbeddedServer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A signature whose credential scope names another service than the one the call is for is
 * refused as AWS refuses it ("Credential should be scoped to correct service: '...'. "), in each
 * protocol family's words; the same clients signing with their own name get through.
 */
class WrongServiceScopeTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer(c -> c.withAuth(AuthSettings.defaults().withMode(AuthMode.SIGV4)
      .withAdminKey(SignatureVerificationTest.KEY_ID, SignatureVerificationTest.SECRET)));

  /** A client of the server signing with the admin key; {@code signingName} overrides the service its scope names (null: its own). */
  static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, String signingName) {
    builder.endpointOverride(server.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(SignatureVerificationTest.KEY_ID,
            SignatureVerificationTest.SECRET)))
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    if (signingName != null) builder.putAuthScheme(signingAs(signingName));
    return builder.build();
  }

  @Test
  void queryServicesNameTheServiceTheCallIsFor() {
    assertScopedTo(() -> client(SnsClient.builder(), "sqs").listTopics(), 403, "SignatureDoesNotMatch", "sns");
    assertScopedTo(() -> client(IamClient.builder(), "sts").listUsers(), 403, "SignatureDoesNotMatch", "iam");
    assertScopedTo(() -> client(StsClient.builder(), "iam").getCallerIdentity(), 403, "SignatureDoesNotMatch", "sts");
    assertThat(client(SnsClient.builder(), null).listTopics().topics()).isEmpty();
    assertThat(client(StsClient.builder(), null).getCallerIdentity().account()).isEqualTo(SignatureVerificationTest.ACCOUNT);
  }

  @Test
  void sqsJsonAnswersWithTheQueryCode() {
    assertScopedTo(() -> client(SqsClient.builder(), "sns").listQueues(), 403, "SignatureDoesNotMatch", "sqs");
    assertThat(client(SqsClient.builder(), null).listQueues().queueUrls()).isEmpty();
  }

  @Test
  void awsJsonServicesNameTheirSigningName() {
    assertScopedTo(() -> client(KinesisClient.builder(), "firehose").listStreams(), 400, "InvalidSignatureException", "kinesis");
    assertScopedTo(() -> client(FirehoseClient.builder(), "kinesis").listDeliveryStreams(b -> {}), 400,
        "InvalidSignatureException", "firehose");
    assertScopedTo(() -> client(EventBridgeClient.builder(), "sqs").listEventBuses(b -> {}), 400, "InvalidSignatureException",
        "events");
    assertScopedTo(() -> client(CloudWatchLogsClient.builder(), "events").describeLogGroups(), 400,
        "InvalidSignatureException", "logs");
    // Kinesis over CBOR (the SDK's default) still signs "kinesis".
    assertThat(client(KinesisClient.builder(), null).listStreams().streamNames()).isEmpty();
    assertThat(client(CloudWatchLogsClient.builder(), null).describeLogGroups().logGroups()).isEmpty();
  }

  @Test
  void restJsonServicesNameTheirSigningName() {
    assertScopedTo(() -> client(LambdaClient.builder(), "apigateway").listFunctions(), 403, "InvalidSignatureException",
        "lambda");
    assertScopedTo(() -> client(ApiGatewayV2Client.builder(), "lambda").getApis(b -> {}), 403, "InvalidSignatureException",
        "apigateway");
    assertThat(client(LambdaClient.builder(), null).listFunctions().functions()).isEmpty();
    assertThat(client(ApiGatewayV2Client.builder(), null).getApis(b -> {}).items()).isEmpty();
  }

  private static void assertScopedTo(Runnable call, int status, String code, String service) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call::run);
    assertThat(thrown).isInstanceOf(AwsServiceException.class);
    AwsServiceException e = (AwsServiceException) thrown;
    assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(status);
    assertThat(e.awsErrorDetails().errorCode()).as(e.getMessage()).isEqualTo(code);
    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Credential should be scoped to correct service: '" + service + "'. ");
  }

  /** SigV4 as the SDK does it, but with the scope's service {@code name} whatever the client. */
  static AwsV4AuthScheme signingAs(String name) {
    return SignatureVerificationTest.signingWith(AwsV4HttpSigner.SERVICE_SIGNING_NAME, name);
  }
}
