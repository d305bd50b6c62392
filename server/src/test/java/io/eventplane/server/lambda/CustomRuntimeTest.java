package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;

/**
 * A {@code provided.al2023} function: the package's {@code bootstrap} is the runtime. This one is
 * the shell runtime of AWS's custom-runtime tutorial, talking to the Runtime API with curl.
 */
class CustomRuntimeTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  static final String BOOTSTRAP = """
      #!/bin/sh
      set -eu
      echo "bootstrap starting for $AWS_LAMBDA_FUNCTION_NAME"
      while true; do
        HEADERS="$(mktemp)"
        EVENT=$(curl -sS -LD "$HEADERS" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
        REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
        echo "handling $REQUEST_ID"
        if echo "$EVENT" | grep -q '"fail"'; then
          curl -sS -X POST "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/error" \\
            -H "Lambda-Runtime-Function-Error-Type: Custom.Failure" -d '{"errorMessage":"asked to fail","errorType":"Custom.Failure"}' > /dev/null
        else
          curl -sS -X POST "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" \\
            -d "{\\"echo\\":$EVENT,\\"handler\\":\\"$_HANDLER\\"}" > /dev/null
        fi
        rm -f "$HEADERS"
      done
      """;

  @Test
  void aShellBootstrapServesInvocations() throws Exception {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      z.putNextEntry(new ZipEntry("bootstrap"));
      z.write(BOOTSTRAP.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    server.lambda().createFunction(b -> b.functionName("shell").runtime("provided.al2023").role(Functions.ROLE)
        .handler("function.handler").code(c -> c.zipFile(SdkBytes.fromByteArray(zip.toByteArray()))));
    InvokeResponse r = server.lambda().invoke(b -> b.functionName("shell").logType(LogType.TAIL)
        .payload(SdkBytes.fromUtf8String("{\"hello\":\"world\"}")));
    assertThat(r.functionError()).as(r.payload().asUtf8String()).isNull();
    JsonObject out = new JsonObject(r.payload().asUtf8String());
    assertThat(out.getJsonObject("echo").getString("hello")).isEqualTo("world");
    assertThat(out.getString("handler")).isEqualTo("function.handler");
    String log = new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
    assertThat(log).contains("bootstrap starting for shell").contains("handling ");

    InvokeResponse failed = server.lambda().invoke(b -> b.functionName("shell").payload(SdkBytes.fromUtf8String("{\"fail\":1}")));
    assertThat(failed.functionError()).isEqualTo("Unhandled");
    assertThat(new JsonObject(failed.payload().asUtf8String()).getString("errorType")).isEqualTo("Custom.Failure");
  }

  private static final String FAILING_INIT = """
      #!/bin/sh
      echo "reading configuration"
      curl -sS -X POST "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/init/error" \\
        -H "Lambda-Runtime-Function-Error-Type: Custom.ConfigMissing" \\
        -d '{"errorMessage":"DATABASE_URL is not set","errorType":"Custom.ConfigMissing"}' > /dev/null
      exit 1
      """;

  @Test
  void anInitErrorFailsTheInvocationWithTheRuntimesErrorAndTheNextInvocationStartsAnew() throws Exception {
    SdkBytes code = SdkBytes.fromByteArray(zip(FAILING_INIT));
    server.lambda().createFunction(b -> b.functionName("no-config").runtime("provided.al2023").role(Functions.ROLE)
        .handler("function.handler").code(c -> c.zipFile(code)));
    for (int attempt = 0; attempt < 2; attempt++) {
      InvokeResponse r = server.lambda().invoke(b -> b.functionName("no-config").logType(LogType.TAIL)
          .payload(SdkBytes.fromUtf8String("{}")));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.functionError()).isEqualTo("Unhandled");
      JsonObject error = new JsonObject(r.payload().asUtf8String());
      assertThat(error.getString("errorType")).isEqualTo("Custom.ConfigMissing");
      assertThat(error.getString("errorMessage")).isEqualTo("DATABASE_URL is not set");
      String log = new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
      assertThat(log).contains("reading configuration");
    }
  }

  @Test
  void aJavaHandlerClassThatIsNotInThePackageIsAnInitError() {
    Functions.create(server.lambda(), "missing-class", "com.example.Missing::handleRequest");
    InvokeResponse r = server.lambda().invoke(b -> b.functionName("missing-class").payload(SdkBytes.fromUtf8String("{}")));
    assertThat(r.functionError()).isEqualTo("Unhandled");
    JsonObject error = new JsonObject(r.payload().asUtf8String());
    assertThat(error.getString("errorMessage")).contains("com.example.Missing");
    assertThat(error.getString("errorType")).isNotBlank();
  }

  static byte[] zip(String bootstrap) throws java.io.IOException {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(zip)) {
      z.putNextEntry(new ZipEntry("bootstrap"));
      z.write(bootstrap.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    return zip.toByteArray();
  }
}
