package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eventplane.server.AwsCli;
import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTP APIs defined with the real `aws apigatewayv2` command (botocore's REST-JSON client, not the Java SDK's). */
class AwsCliHttpApisTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  @BeforeAll
  static void cliPresent() throws Exception {
    assumeTrue(AwsCli.present(), "the aws command is not on the PATH");
  }

  private static AwsCli.Result run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("aws", "--endpoint-url", server.endpoint().toString(), "--output", "json",
        "apigatewayv2"));
    cmd.addAll(List.of(args));
    return AwsCli.run(cmd, 60);
  }

  private static JsonObject aws(String... args) throws Exception {
    AwsCli.Result r = run(args);
    assertThat(r.exitCode()).as("aws apigatewayv2 %s failed: %s", String.join(" ", args), r.err()).isZero();
    return r.out().isBlank() ? new JsonObject() : new JsonObject(r.out());
  }

  @Test
  void quickCreateARouteAndAnUnknownApi() throws Exception {
    JsonObject api = aws("create-api", "--name", "cli-api", "--protocol-type", "HTTP", "--target",
        "arn:aws:lambda:us-east-1:000000000000:function:orders");
    String id = api.getString("ApiId");
    assertThat(api.getString("ApiEndpoint")).isEqualTo("http://" + id + ".execute-api.localhost:" + server.endpoint().getPort());
    aws("create-route", "--api-id", id, "--route-key", "GET /orders/{id}");
    assertThat(aws("get-routes", "--api-id", id).getJsonArray("Items")).hasSize(2);
    JsonObject stage = aws("get-stage", "--api-id", id, "--stage-name", "$default");
    assertThat(stage.getBoolean("AutoDeploy")).isTrue();
    assertThat(stage.getString("LastDeploymentStatusMessage")).startsWith("Successfully deployed stage with deployment ID");
    AwsCli.Result missing = run("get-api", "--api-id", "0000000000");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err()).contains("NotFoundException").contains("Invalid API identifier specified 000000000000:0000000000");
  }
}
