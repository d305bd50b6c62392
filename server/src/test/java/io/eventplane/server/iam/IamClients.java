package io.eventplane.server.iam;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;

/** The SDK's IAM client as the IAM tests build it (Query protocol, no retries), and IAM's error fields. */
final class IamClients {
  private IamClients() {}

  static IamClient at(URI endpoint) {
    return IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClientBuilder(ApacheHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** "code status message" of an IAM error, for exact assertions. */
  static String error(Throwable t) {
    IamException e = (IamException) t;
    return e.awsErrorDetails().errorCode() + " " + e.statusCode() + " " + e.awsErrorDetails().errorMessage();
  }
}
