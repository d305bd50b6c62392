package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Functions' configuration operations through the SDK: create, read, list, update, delete, concurrency, tags. */
class FunctionLifecycleTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private LambdaClient lambda() {
    return server.lambda();
  }

  /** A MaxItems that is no number (a hand-written URL can carry one) is a ValidationException, never a fault. */
  @Test
  void nonNumericMaxItemsIsAValidationException() throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (String path : java.util.List.of("/2015-03-31/functions?MaxItems=abc", "/2015-03-31/event-source-mappings?MaxItems=abc",
        "/2015-03-31/event-source-mappings?MaxItems=0")) {
      java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(server.endpoint().resolve(path))
          .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(r.headers().firstValue("x-amzn-ErrorType")).as(path).hasValue("ValidationException");
    }
  }

  @Test
  void createdFunctionReportsItsConfigurationAsAwsDoes() throws Exception {
    CreateFunctionResponse created = Functions.create(lambda(), "orders", Functions.DIAGNOSTICS, 7, Map.of("STAGE", "test"));
    byte[] jar = server.examplesJar();
    String sha = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(jar));
    assertThat(created.functionName()).isEqualTo("orders");
    assertThat(created.functionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:orders");
    assertThat(created.runtime()).isEqualTo(Runtime.JAVA17);
    assertThat(created.handler()).isEqualTo(Functions.DIAGNOSTICS);
    assertThat(created.timeout()).isEqualTo(7);
    assertThat(created.memorySize()).isEqualTo(256);
    assertThat(created.codeSha256()).isEqualTo(sha);
    assertThat(created.codeSize()).isEqualTo(jar.length);
    assertThat(created.version()).isEqualTo("$LATEST");
    // AWS answers a create with the function still Pending; reads then show it Active (LambdaAnswersTest).
    assertThat(created.stateAsString()).isEqualTo("Pending");
    assertThat(created.environment().variables()).containsEntry("STAGE", "test");
    assertThat(created.revisionId()).isNotBlank();
    assertThat(created.lastModified()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");

    GetFunctionResponse got = lambda().getFunction(b -> b.functionName("orders"));
    var configuration = lambda().getFunctionConfiguration(b -> b.functionName("orders"));
    assertThat(got.configuration().revisionId()).isEqualTo(configuration.revisionId()).isEqualTo(created.revisionId());
    assertThat(got.configuration().functionArn()).isEqualTo(configuration.functionArn());
    assertThat(got.configuration().codeSha256()).isEqualTo(sha);
    assertThat(got.code().repositoryType()).isEqualTo("S3");
    // Code.Location downloads the package that was uploaded.
    HttpResponse<byte[]> download = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(got.code().location())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(jar);

    // Full and partial ARNs name the same function.
    assertThat(lambda().getFunction(b -> b.functionName(created.functionArn())).configuration().functionName()).isEqualTo("orders");
    assertThat(lambda().getFunction(b -> b.functionName("000000000000:function:orders")).configuration().functionName())
        .isEqualTo("orders");
  }

  @Test
  void listsEveryFunctionPageByPage() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String name = "list-" + i;
      names.add(name);
      Functions.create(lambda(), name, Functions.DIAGNOSTICS);
    }
    List<String> seen = new ArrayList<>();
    String marker = null;
    int pages = 0;
    do {
      String m = marker;
      ListFunctionsResponse page = lambda().listFunctions(b -> b.maxItems(3).marker(m));
      page.functions().forEach(f -> seen.add(f.functionName()));
      marker = page.nextMarker();
      pages++;
    } while (marker != null);
    assertThat(seen).containsExactlyElementsOf(names);
    assertThat(pages).isEqualTo(3);
    assertThat(lambda().listFunctionsPaginator(b -> b.maxItems(2)).functions().stream().map(FunctionConfiguration::functionName))
        .containsExactlyElementsOf(names);
  }

  @Test
  void updatesConfigurationAndCode() throws Exception {
    CreateFunctionResponse created = Functions.create(lambda(), "upd", Functions.DIAGNOSTICS);
    var updated = lambda().updateFunctionConfiguration(b -> b.functionName("upd").timeout(30)
        .memorySize(512).description("now bigger").environment(e -> e.variables(Map.of("AB", "1")))
        .deadLetterConfig(d -> d.targetArn("arn:aws:sqs:us-east-1:000000000000:upd-dlq")).revisionId(created.revisionId()));
    assertThat(updated.timeout()).isEqualTo(30);
    assertThat(updated.memorySize()).isEqualTo(512);
    assertThat(updated.description()).isEqualTo("now bigger");
    assertThat(updated.environment().variables()).containsExactly(Map.entry("AB", "1"));
    assertThat(updated.deadLetterConfig().targetArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:upd-dlq");
    assertThat(updated.revisionId()).isNotEqualTo(created.revisionId());
    assertThat(updated.codeSha256()).isEqualTo(created.codeSha256());

    // A stale revision id is refused and changes nothing.
    assertThatThrownBy(() -> lambda().updateFunctionConfiguration(b -> b.functionName("upd").timeout(5)
        .revisionId(created.revisionId())))
        .isInstanceOf(PreconditionFailedException.class)
        .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(412));
    assertThat(lambda().getFunctionConfiguration(b -> b.functionName("upd")).timeout()).isEqualTo(30);

    byte[] other = zip("bootstrap", "#!/bin/sh\necho hi\n");
    var code = lambda().updateFunctionCode(b -> b.functionName("upd").zipFile(SdkBytes.fromByteArray(other)));
    assertThat(code.codeSha256()).isEqualTo(Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(other)));
    assertThat(code.codeSize()).isEqualTo(other.length);
    assertThat(code.timeout()).isEqualTo(30);
  }

  @Test
  void deletedFunctionIsGone() {
    Functions.create(lambda(), "gone", Functions.DIAGNOSTICS);
    lambda().deleteFunction(b -> b.functionName("gone"));
    assertThatThrownBy(() -> lambda().getFunction(b -> b.functionName("gone")))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("Function not found: arn:aws:lambda:us-east-1:000000000000:function:gone")
        .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(404));
    assertThatThrownBy(() -> lambda().deleteFunction(b -> b.functionName("gone"))).isInstanceOf(ResourceNotFoundException.class);
    // The name can be used again.
    Functions.create(lambda(), "gone", Functions.DIAGNOSTICS);
  }

  @Test
  void concurrencyAndTags() {
    CreateFunctionResponse f = Functions.create(lambda(), "conc", Functions.DIAGNOSTICS);
    assertThat(lambda().getFunctionConcurrency(b -> b.functionName("conc")).reservedConcurrentExecutions()).isNull();
    assertThat(lambda().putFunctionConcurrency(b -> b.functionName("conc").reservedConcurrentExecutions(5))
        .reservedConcurrentExecutions()).isEqualTo(5);
    assertThat(lambda().getFunctionConcurrency(b -> b.functionName("conc")).reservedConcurrentExecutions()).isEqualTo(5);
    assertThat(lambda().getFunction(b -> b.functionName("conc")).concurrency().reservedConcurrentExecutions()).isEqualTo(5);
    assertThatThrownBy(() -> lambda().putFunctionConcurrency(b -> b.functionName("conc").reservedConcurrentExecutions(901)))
        .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("UnreservedConcurrentExecution");
    lambda().deleteFunctionConcurrency(b -> b.functionName("conc"));
    assertThat(lambda().getFunctionConcurrency(b -> b.functionName("conc")).reservedConcurrentExecutions()).isNull();

    lambda().tagResource(b -> b.resource(f.functionArn()).tags(Map.of("team", "orders", "env", "dev")));
    assertThat(lambda().listTags(b -> b.resource(f.functionArn())).tags()).containsEntry("team", "orders").hasSize(2);
    lambda().untagResource(b -> b.resource(f.functionArn()).tagKeys("env"));
    assertThat(lambda().listTags(b -> b.resource(f.functionArn())).tags()).containsExactly(Map.entry("team", "orders"));
    assertThat(lambda().getFunction(b -> b.functionName("conc")).tags()).containsExactly(Map.entry("team", "orders"));
  }

  @Test
  void resourcePolicyStatements() {
    CreateFunctionResponse f = Functions.create(lambda(), "allowed", Functions.DIAGNOSTICS);
    assertThatThrownBy(() -> lambda().getPolicy(b -> b.functionName("allowed"))).isInstanceOf(ResourceNotFoundException.class);
    String statement = lambda().addPermission(b -> b.functionName("allowed").statementId("sns-invoke")
        .action("lambda:InvokeFunction").principal("sns.amazonaws.com")
        .sourceArn("arn:aws:sns:us-east-1:000000000000:alerts")).statement();
    io.vertx.core.json.JsonObject s = new io.vertx.core.json.JsonObject(statement);
    assertThat(s.getString("Sid")).isEqualTo("sns-invoke");
    assertThat(s.getJsonObject("Principal").getString("Service")).isEqualTo("sns.amazonaws.com");
    assertThat(s.getString("Resource")).isEqualTo(f.functionArn());
    assertThat(s.getJsonObject("Condition").getJsonObject("ArnLike").getString("AWS:SourceArn"))
        .isEqualTo("arn:aws:sns:us-east-1:000000000000:alerts");
    lambda().addPermission(b -> b.functionName("allowed").statementId("account").action("lambda:*").principal("123456789012"));
    io.vertx.core.json.JsonObject policy = new io.vertx.core.json.JsonObject(lambda().getPolicy(b -> b.functionName("allowed")).policy());
    assertThat(policy.getJsonArray("Statement")).hasSize(2);
    assertThat(policy.getJsonArray("Statement").getJsonObject(1).getJsonObject("Principal").getString("AWS"))
        .isEqualTo("arn:aws:iam::123456789012:root");
    assertThatThrownBy(() -> lambda().addPermission(b -> b.functionName("allowed").statementId("account")
        .action("lambda:InvokeFunction").principal("s3.amazonaws.com"))).isInstanceOf(ResourceConflictException.class);
    assertThatThrownBy(() -> lambda().addPermission(b -> b.functionName("allowed").statementId("bad id!")
        .action("lambda:InvokeFunction").principal("s3.amazonaws.com"))).isInstanceOf(LambdaException.class)
        .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(400));
    lambda().removePermission(b -> b.functionName("allowed").statementId("sns-invoke"));
    assertThat(new io.vertx.core.json.JsonObject(lambda().getPolicy(b -> b.functionName("allowed")).policy())
        .getJsonArray("Statement")).hasSize(1);
    assertThatThrownBy(() -> lambda().removePermission(b -> b.functionName("allowed").statementId("sns-invoke")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void badInputGetsLambdasErrors() throws Exception {
    Functions.create(lambda(), "dup", Functions.DIAGNOSTICS);
    assertThatThrownBy(() -> Functions.create(lambda(), "dup", Functions.DIAGNOSTICS))
        .isInstanceOf(ResourceConflictException.class).hasMessageContaining("Function already exist: dup")
        .satisfies(e -> assertThat(((LambdaException) e).statusCode()).isEqualTo(409));
    assertError(() -> lambda().createFunction(b -> b.functionName("t").runtime(Runtime.JAVA17).role(Functions.ROLE)
        .handler("x::y").timeout(901).code(c -> c.zipFile(Functions.jar()))), "ValidationException", 400, "less than or equal to 900");
    assertError(() -> lambda().createFunction(b -> b.functionName("m").runtime(Runtime.JAVA17).role(Functions.ROLE)
        .handler("x::y").memorySize(64).code(c -> c.zipFile(Functions.jar()))), "ValidationException", 400, "greater than or equal to 128");
    assertError(() -> lambda().createFunction(b -> b.functionName("bad name!").runtime(Runtime.JAVA17).role(Functions.ROLE)
        .handler("x::y").code(c -> c.zipFile(Functions.jar()))), "ValidationException", 400, "regular expression");
    assertError(() -> lambda().createFunction(b -> b.functionName("r").runtime(Runtime.JAVA17).role("not-a-role")
        .handler("x::y").code(c -> c.zipFile(Functions.jar()))), "ValidationException", 400, "role");
    assertError(() -> lambda().createFunction(b -> b.functionName("nohandler").runtime(Runtime.JAVA17).role(Functions.ROLE)
        .code(c -> c.zipFile(Functions.jar()))), "InvalidParameterValueException", 400, "Runtime and Handler are mandatory");
    assertError(() -> lambda().createFunction(b -> b.functionName("py").runtime(Runtime.PYTHON3_12).role(Functions.ROLE)
        .handler("app.handler").code(c -> c.zipFile(Functions.jar()))), "InvalidParameterValueException", 400, "python3.12");
    assertError(() -> lambda().createFunction(b -> b.functionName("rt").runtime("cobol85").role(Functions.ROLE)
        .handler("a").code(c -> c.zipFile(Functions.jar()))), "ValidationException", 400, "enum value set");
    assertError(() -> lambda().createFunction(b -> b.functionName("zip").runtime(Runtime.JAVA17).role(Functions.ROLE)
        .handler("x::y").code(c -> c.zipFile(SdkBytes.fromUtf8String("this is not a zip")))),
        "InvalidParameterValueException", 400, "Could not unzip uploaded file");
    byte[] slip = zip("../../etc/evil", "x");
    assertError(() -> lambda().createFunction(b -> b.functionName("slip").runtime(Runtime.JAVA17).role(Functions.ROLE)
        .handler("x::y").code(c -> c.zipFile(SdkBytes.fromByteArray(slip)))),
        "InvalidParameterValueException", 400, "Could not unzip uploaded file");
    assertError(() -> lambda().createFunction(b -> b.functionName("env").runtime(Runtime.JAVA17).role(Functions.ROLE)
        .handler("x::y").environment(e -> e.variables(Map.of("AWS_REGION", "x"))).code(c -> c.zipFile(Functions.jar()))),
        "InvalidParameterValueException", 400, "reserved keys");
    assertError(() -> lambda().createFunction(b -> b.functionName("env2").runtime(Runtime.JAVA17).role(Functions.ROLE)
        .handler("x::y").environment(e -> e.variables(Map.of("BIG", "x".repeat(5000)))).code(c -> c.zipFile(Functions.jar()))),
        "InvalidParameterValueException", 400, "exceeded the 4KB limit");
    assertError(() -> lambda().createFunction(b -> b.functionName("dlq").runtime(Runtime.JAVA17).role(Functions.ROLE)
        .handler("x::y").deadLetterConfig(d -> d.targetArn("arn:aws:s3:::bucket")).code(c -> c.zipFile(Functions.jar()))),
        "InvalidParameterValueException", 400, "DeadLetterConfig");
    assertError(() -> lambda().getFunction(b -> b.functionName("nope")), "ResourceNotFoundException", 404,
        "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope");
    assertError(() -> lambda().getFunction(b -> b.functionName("dup").qualifier("7")), "ResourceNotFoundException", 404,
        "function:dup:7");
    assertError(() -> lambda().updateFunctionConfiguration(b -> b.functionName("nope").timeout(3)),
        "ResourceNotFoundException", 404, "nope");
    // Nothing of the refused calls was stored.
    assertThat(lambda().listFunctions().functions()).extracting(FunctionConfiguration::functionName).containsExactly("dup");
  }

  @Test
  void malformedAndOversizedBodiesAreRefused() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> malformed = http.send(HttpRequest.newBuilder(server.endpoint().resolve("/2015-03-31/functions"))
        .POST(HttpRequest.BodyPublishers.ofString("{not json")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.headers().firstValue("x-amzn-ErrorType")).hasValue("InvalidRequestContentException");
    HttpResponse<String> array = http.send(HttpRequest.newBuilder(server.endpoint().resolve("/2015-03-31/functions"))
        .POST(HttpRequest.BodyPublishers.ofString("[1,2]")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(array.statusCode()).isEqualTo(400);
    HttpResponse<String> wrongType = http.send(HttpRequest.newBuilder(server.endpoint().resolve("/2015-03-31/functions"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"FunctionName\":\"w\",\"Role\":\"" + Functions.ROLE
            + "\",\"Runtime\":\"java17\",\"Handler\":\"a::b\",\"Timeout\":\"ten\",\"Code\":{\"ZipFile\":\"\"}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(wrongType.statusCode()).isEqualTo(400);
    byte[] big = new byte[70_000_000];
    HttpResponse<String> oversized = http.send(HttpRequest.newBuilder(server.endpoint().resolve("/2015-03-31/functions"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(oversized.statusCode()).isEqualTo(413);
    assertThat(oversized.headers().firstValue("x-amzn-ErrorType")).hasValue("RequestEntityTooLargeException");
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(server.endpoint().resolve("/2015-03-31/nothing-here"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isLessThan(500);
    assertThat(lambda().listFunctions().functions()).isEmpty();
  }

  private static void assertError(Runnable call, String code, int status, String message) {
    assertThatThrownBy(call::run).isInstanceOf(LambdaException.class)
        .satisfies(e -> {
          LambdaException l = (LambdaException) e;
          assertThat(l.awsErrorDetails().errorCode()).isEqualTo(code);
          assertThat(l.statusCode()).isEqualTo(status);
          assertThat(l.awsErrorDetails().errorMessage()).contains(message);
        });
  }

  static byte[] zip(String name, String content) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry(name));
      z.write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      z.closeEntry();
    }
    return out.toByteArray();
  }
}
