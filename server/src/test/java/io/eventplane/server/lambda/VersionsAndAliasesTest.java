package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.CreateAliasResponse;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.LambdaException;

/**
 * Versions and aliases through the SDK: a published version is an immutable copy of $LATEST that
 * keeps running its own code and configuration; an alias names a version and can send a share of
 * its invocations to a second one.
 */
class VersionsAndAliasesTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";

  private static LambdaClient lambda() {
    return server.lambda();
  }

  private static void setStage(String function, String stage) {
    lambda().updateFunctionConfiguration(b -> b.functionName(function).environment(e -> e.variables(Map.of("STAGE", stage))));
  }

  private static InvokeResponse invoke(String function, String qualifier) {
    return lambda().invoke(b -> b.functionName(function).qualifier(qualifier)
        .payload(SdkBytes.fromUtf8String("{\"env\":[\"STAGE\",\"AWS_LAMBDA_FUNCTION_VERSION\"]}")));
  }

  private static String stageOf(InvokeResponse r) {
    assertThat(r.functionError()).as(r.payload().asUtf8String()).isNull();
    return new JsonObject(r.payload().asUtf8String()).getJsonObject("env").getString("STAGE");
  }

  @Test
  void versionsKeepTheirConfigurationAndAliasesRouteToThem() {
    Functions.create(lambda(), "versioned", Functions.DIAGNOSTICS, 10, Map.of("STAGE", "one"));
    PublishVersionResponse v1 = lambda().publishVersion(b -> b.functionName("versioned").description("first"));
    assertThat(v1.version()).isEqualTo("1");
    assertThat(v1.functionArn()).isEqualTo(ARN + "versioned:1");
    assertThat(v1.description()).isEqualTo("first");
    // Nothing changed since: the same version comes back.
    assertThat(lambda().publishVersion(b -> b.functionName("versioned")).version()).isEqualTo("1");

    setStage("versioned", "two");
    PublishVersionResponse v2 = lambda().publishVersion(b -> b.functionName("versioned"));
    assertThat(v2.version()).isEqualTo("2");
    setStage("versioned", "three");

    assertThat(lambda().listVersionsByFunction(b -> b.functionName("versioned")).versions())
        .extracting(FunctionConfiguration::version).containsExactly("$LATEST", "1", "2");
    assertThat(lambda().getFunctionConfiguration(b -> b.functionName("versioned").qualifier("1")).environment().variables())
        .containsEntry("STAGE", "one");
    assertThat(lambda().getFunction(b -> b.functionName(ARN + "versioned:2")).configuration().version()).isEqualTo("2");

    InvokeResponse one = invoke("versioned", "1");
    assertThat(one.executedVersion()).isEqualTo("1");
    assertThat(stageOf(one)).isEqualTo("one");
    assertThat(new JsonObject(one.payload().asUtf8String()).getJsonObject("env").getString("AWS_LAMBDA_FUNCTION_VERSION"))
        .isEqualTo("1");
    assertThat(stageOf(invoke("versioned", "2"))).isEqualTo("two");
    assertThat(stageOf(invoke("versioned", null))).isEqualTo("three");
    assertThat(invoke("versioned", null).executedVersion()).isEqualTo("$LATEST");

    CreateAliasResponse live = lambda().createAlias(b -> b.functionName("versioned").name("live").functionVersion("1")
        .description("production"));
    assertThat(live.aliasArn()).isEqualTo(ARN + "versioned:live");
    InvokeResponse viaAlias = invoke("versioned", "live");
    assertThat(viaAlias.executedVersion()).isEqualTo("1");
    assertThat(stageOf(viaAlias)).isEqualTo("one");
    assertThat(stageOf(lambda().invoke(b -> b.functionName(ARN + "versioned:live")
        .payload(SdkBytes.fromUtf8String("{\"env\":[\"STAGE\"]}"))))).isEqualTo("one");

    // Shift the alias; a stale RevisionId is refused.
    assertThatThrownBy(() -> lambda().updateAlias(b -> b.functionName("versioned").name("live").functionVersion("2")
        .revisionId("stale"))).isInstanceOf(PreconditionFailedException.class);
    lambda().updateAlias(b -> b.functionName("versioned").name("live").functionVersion("2").revisionId(live.revisionId()));
    assertThat(stageOf(invoke("versioned", "live"))).isEqualTo("two");

    // A canary: half of the invocations to version 1.
    lambda().updateAlias(b -> b.functionName("versioned").name("live")
        .routingConfig(r -> r.additionalVersionWeights(Map.of("1", 0.5))));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 40 && seen.size() < 2; i++) seen.add(invoke("versioned", "live").executedVersion());
    assertThat(seen).containsExactlyInAnyOrder("1", "2");
    assertThat(lambda().getAlias(b -> b.functionName("versioned").name("live")).routingConfig().additionalVersionWeights())
        .containsEntry("1", 0.5);

    lambda().createAlias(b -> b.functionName("versioned").name("beta").functionVersion("$LATEST"));
    assertThat(lambda().listAliases(b -> b.functionName("versioned")).aliases()).extracting(AliasConfiguration::name)
        .containsExactly("beta", "live");
    assertThat(lambda().listAliases(b -> b.functionName("versioned").functionVersion("2")).aliases())
        .extracting(AliasConfiguration::name).containsExactly("live");

    // A version an alias uses cannot be deleted; once free it can, and its instances end.
    assertThatThrownBy(() -> lambda().deleteFunction(b -> b.functionName("versioned").qualifier("1")))
        .isInstanceOf(ResourceConflictException.class).hasMessageContaining("live");
    lambda().updateAlias(b -> b.functionName("versioned").name("live").routingConfig(r -> r.additionalVersionWeights(Map.of())));
    lambda().deleteFunction(b -> b.functionName("versioned").qualifier("1"));
    assertThatThrownBy(() -> invoke("versioned", "1")).isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining(ARN + "versioned:1");
    assertThat(stageOf(invoke("versioned", "2"))).isEqualTo("two");
    assertThat(lambda().listVersionsByFunction(b -> b.functionName("versioned")).versions())
        .extracting(FunctionConfiguration::version).containsExactly("$LATEST", "2");
    // Numbers are not reused.
    setStage("versioned", "four");
    assertThat(lambda().publishVersion(b -> b.functionName("versioned")).version()).isEqualTo("3");

    lambda().deleteAlias(b -> b.functionName("versioned").name("beta"));
    assertThatThrownBy(() -> lambda().getAlias(b -> b.functionName("versioned").name("beta")))
        .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Alias not found");
  }

  @Test
  void aVersionKeepsItsCodeWhenLatestGetsNewCode() throws Exception {
    Functions.create(lambda(), "recoded", Functions.DIAGNOSTICS);
    lambda().publishVersion(b -> b.functionName("recoded"));
    SdkBytes shell = SdkBytes.fromByteArray(CustomRuntimeTest.zip(CustomRuntimeTest.BOOTSTRAP));
    lambda().updateFunctionCode(b -> b.functionName("recoded").zipFile(shell));
    lambda().updateFunctionConfiguration(b -> b.functionName("recoded").runtime("provided.al2023").handler("x.y"));
    InvokeResponse v1 = invoke("recoded", "1");
    assertThat(v1.executedVersion()).isEqualTo("1");
    assertThat(new JsonObject(v1.payload().asUtf8String()).getString("functionName")).isEqualTo("recoded");
    assertThat(lambda().getFunction(b -> b.functionName("recoded").qualifier("1")).code().location()).contains("/_eventplane/lambda/code/");
  }

  @Test
  void eventInvocationsOfAVersionRunThatVersion() {
    Functions.create(lambda(), "async-versions", Functions.DIAGNOSTICS, 10, Map.of("STAGE", "one"));
    lambda().publishVersion(b -> b.functionName("async-versions"));
    setStage("async-versions", "two");
    lambda().invoke(b -> b.functionName("async-versions").qualifier("1").invocationType(InvocationType.EVENT)
        .payload(SdkBytes.fromUtf8String("{\"log\":\"async on version one\"}")));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Functions.logText(server, "async-versions"))
        .contains("async on version one").contains("Version: 1"));
  }

  @Test
  void aQueueMappedToAnAliasRunsTheAliasesVersion() {
    Functions.create(lambda(), "mapped-alias", Functions.DIAGNOSTICS, 10, Map.of());
    lambda().publishVersion(b -> b.functionName("mapped-alias"));
    lambda().createAlias(b -> b.functionName("mapped-alias").name("live").functionVersion("1"));
    String url = server.sqs().createQueue(b -> b.queueName("to-alias")
        .attributes(Map.of(software.amazon.awssdk.services.sqs.model.QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
    var mapping = lambda().createEventSourceMapping(b -> b.functionName(ARN + "mapped-alias:live")
        .eventSourceArn("arn:aws:sqs:us-east-1:000000000000:to-alias").batchSize(1));
    assertThat(mapping.functionArn()).isEqualTo(ARN + "mapped-alias:live");
    server.sqs().sendMessage(b -> b.queueUrl(url).messageBody("for the alias"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Functions.logText(server, "mapped-alias"))
        .contains("START RequestId").contains("Version: 1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.sqs().getQueueAttributes(b -> b.queueUrl(url)
        .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings()
        .values().stream().allMatch("0"::equals));
    lambda().deleteEventSourceMapping(b -> b.uuid(mapping.uuid()));
  }

  @Test
  void badVersionAndAliasRequestsGetLambdasErrors() {
    Functions.create(lambda(), "edges-v", Functions.DIAGNOSTICS);
    assertThatThrownBy(() -> lambda().publishVersion(b -> b.functionName("edges-v").codeSha256("not-the-sha")))
        .isInstanceOfSatisfying(LambdaException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException");
          assertThat(e.statusCode()).isEqualTo(400);
        });
    assertThatThrownBy(() -> lambda().publishVersion(b -> b.functionName("edges-v").revisionId("stale")))
        .isInstanceOf(PreconditionFailedException.class);
    assertThatThrownBy(() -> lambda().publishVersion(b -> b.functionName("no-such-function")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> lambda().createAlias(b -> b.functionName("edges-v").name("live").functionVersion("7")))
        .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining(ARN + "edges-v:7");
    for (String bad : List.of("123", "has space", "x".repeat(129))) {
      assertThatThrownBy(() -> lambda().createAlias(b -> b.functionName("edges-v").name(bad).functionVersion("$LATEST")))
          .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }
    assertThatThrownBy(() -> lambda().createAlias(b -> b.functionName("edges-v").name("live").functionVersion("latest")))
        .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    lambda().createAlias(b -> b.functionName("edges-v").name("live").functionVersion("$LATEST"));
    assertThatThrownBy(() -> lambda().createAlias(b -> b.functionName("edges-v").name("live").functionVersion("$LATEST")))
        .isInstanceOf(ResourceConflictException.class);
    lambda().publishVersion(b -> b.functionName("edges-v"));
    assertThatThrownBy(() -> lambda().updateAlias(b -> b.functionName("edges-v").name("live")
        .routingConfig(r -> r.additionalVersionWeights(Map.of("1", 0.2)))))
        .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException"));
    assertThatThrownBy(() -> lambda().updateAlias(b -> b.functionName("edges-v").name("live").functionVersion("1")
        .routingConfig(r -> r.additionalVersionWeights(Map.of("1", 1.5)))))
        .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    assertThatThrownBy(() -> lambda().getAlias(b -> b.functionName("edges-v").name("nope")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> invoke("edges-v", "nope")).isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining(ARN + "edges-v:nope");
    assertThatThrownBy(() -> lambda().deleteFunction(b -> b.functionName("edges-v").qualifier("9")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> lambda().listVersionsByFunction(b -> b.functionName("edges-v").marker("zz")))
        .isInstanceOfSatisfying(LambdaException.class, e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValueException"));
    // Paging: one item a page.
    assertThat(lambda().listVersionsByFunction(b -> b.functionName("edges-v").maxItems(1)).nextMarker()).isNotNull();
    // Deleting the function deletes its versions and aliases.
    lambda().deleteFunction(b -> b.functionName("edges-v"));
    Functions.create(lambda(), "edges-v", Functions.DIAGNOSTICS);
    assertThat(lambda().listVersionsByFunction(b -> b.functionName("edges-v")).versions()).hasSize(1);
    assertThat(lambda().listAliases(b -> b.functionName("edges-v")).aliases()).isEmpty();
  }
}
