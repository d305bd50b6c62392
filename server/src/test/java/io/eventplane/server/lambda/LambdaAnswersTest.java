package io.eventplane.server.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.EnvironmentResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * Lambda's answers as recorded against AWS (LocalStack's test_lambda_api snapshots, validated on
 * AWS): the function's state in each call's FunctionConfiguration, and errors with their status,
 * code, message and the body member that carries the message ("Message" or "message", as each
 * error shape of the model spells it).
 */
class LambdaAnswersTest {
  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();
  private static final String ARN = "arn:aws:lambda:us-east-1:000000000000:function:";

  private LambdaClient lambda() {
    return server.lambda();
  }

  /** What the state members of a FunctionConfiguration are in one call's answer. */
  record State(String call, FunctionConfiguration configuration, String state, String stateReason, String stateReasonCode,
      String lastUpdateStatus, String lastUpdateStatusReason, String lastUpdateStatusReasonCode) {}

  @Test
  void eachCallReportsTheFunctionsStateAsAwsDoes() {
    CreateFunctionResponse created = Functions.create(lambda(), "stateful", Functions.DIAGNOSTICS);
    FunctionConfiguration asCreated = FunctionConfiguration.builder().state(created.state())
        .stateReason(created.stateReason()).stateReasonCode(created.stateReasonCodeAsString())
        .lastUpdateStatus(created.lastUpdateStatus()).lastUpdateStatusReason(created.lastUpdateStatusReason())
        .lastUpdateStatusReasonCode(created.lastUpdateStatusReasonCodeAsString()).build();
    var updated = lambda().updateFunctionConfiguration(b -> b.functionName("stateful").description("changed"));
    FunctionConfiguration asUpdated = FunctionConfiguration.builder().state(updated.state())
        .stateReason(updated.stateReason()).stateReasonCode(updated.stateReasonCodeAsString())
        .lastUpdateStatus(updated.lastUpdateStatus()).lastUpdateStatusReason(updated.lastUpdateStatusReason())
        .lastUpdateStatusReasonCode(updated.lastUpdateStatusReasonCodeAsString()).build();
    var codeUpdated = lambda().updateFunctionCode(b -> b.functionName("stateful").zipFile(Functions.jar()));
    FunctionConfiguration asCodeUpdated = FunctionConfiguration.builder().state(codeUpdated.state())
        .lastUpdateStatus(codeUpdated.lastUpdateStatus()).lastUpdateStatusReason(codeUpdated.lastUpdateStatusReason())
        .lastUpdateStatusReasonCode(codeUpdated.lastUpdateStatusReasonCodeAsString()).build();
    String creating = "The function is being created.";
    List<State> table = List.of(
        new State("CreateFunction", asCreated, "Pending", creating, "Creating", null, null, null),
        new State("UpdateFunctionConfiguration", asUpdated, "Active", null, null, "InProgress", creating, "Creating"),
        new State("UpdateFunctionCode", asCodeUpdated, "Active", null, null, "InProgress", creating, "Creating"),
        new State("GetFunction", lambda().getFunction(b -> b.functionName("stateful")).configuration(),
            "Active", null, null, "Successful", null, null),
        new State("GetFunctionConfiguration", toConfiguration(lambda().getFunctionConfiguration(b -> b.functionName("stateful"))),
            "Active", null, null, "Successful", null, null),
        new State("ListFunctions", lambda().listFunctions().functions().get(0), null, null, null, null, null, null),
        new State("ListVersionsByFunction", lambda().listVersionsByFunction(b -> b.functionName("stateful")).versions().get(0),
            null, null, null, null, null, null));
    for (State row : table) {
      FunctionConfiguration c = row.configuration();
      assertThat(c.stateAsString()).as(row.call() + " State").isEqualTo(row.state());
      assertThat(c.stateReason()).as(row.call() + " StateReason").isEqualTo(row.stateReason());
      assertThat(c.stateReasonCodeAsString()).as(row.call() + " StateReasonCode").isEqualTo(row.stateReasonCode());
      assertThat(c.lastUpdateStatusAsString()).as(row.call() + " LastUpdateStatus").isEqualTo(row.lastUpdateStatus());
      assertThat(c.lastUpdateStatusReason()).as(row.call() + " LastUpdateStatusReason").isEqualTo(row.lastUpdateStatusReason());
      assertThat(c.lastUpdateStatusReasonCodeAsString()).as(row.call() + " LastUpdateStatusReasonCode")
          .isEqualTo(row.lastUpdateStatusReasonCode());
    }
  }

  /** RuntimeVersionConfig: in the answers of Create, Update and Get (recorded against AWS), not in listings. */
  @Test
  void runtimeVersionIsReportedWhereAwsReportsIt() {
    CreateFunctionResponse created = Functions.create(lambda(), "versioned-runtime", Functions.DIAGNOSTICS);
    String pattern = "arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}";
    assertThat(created.runtimeVersionConfig().runtimeVersionArn()).matches(pattern);
    assertThat(lambda().getFunction(b -> b.functionName("versioned-runtime")).configuration().runtimeVersionConfig()
        .runtimeVersionArn()).isEqualTo(created.runtimeVersionConfig().runtimeVersionArn());
    assertThat(lambda().updateFunctionConfiguration(b -> b.functionName("versioned-runtime").timeout(5))
        .runtimeVersionConfig().runtimeVersionArn()).matches(pattern);
    assertThat(lambda().listFunctions().functions().get(0).runtimeVersionConfig()).isNull();
    assertThat(lambda().listVersionsByFunction(b -> b.functionName("versioned-runtime")).versions().get(0)
        .runtimeVersionConfig()).isNull();
  }

  @Test
  void anExplicitLatestQualifierIsEchoedInTheArn() {
    Functions.create(lambda(), "qualified", Functions.DIAGNOSTICS);
    assertThat(lambda().getFunction(b -> b.functionName("qualified")).configuration().functionArn())
        .isEqualTo(ARN + "qualified");
    assertThat(lambda().getFunction(b -> b.functionName("qualified").qualifier("$LATEST")).configuration().functionArn())
        .isEqualTo(ARN + "qualified:$LATEST");
    assertThat(lambda().getFunctionConfiguration(b -> b.functionName("qualified:$LATEST")).functionArn())
        .isEqualTo(ARN + "qualified:$LATEST");
  }

  /** One call's answer and GetFunctionConfiguration's raw body right after it: the Environment shown. */
  record Echo(String call, Map<String, String> answered, JsonObject configuration, Map<String, String> expected) {}

  /**
   * Environment as AWS answers it (measured against AWS: a function without variables, whether
   * created without Environment, with {@code Variables: {}}, or cleared with {@code Variables: {}},
   * has no Environment member; one with variables answers them under Environment.Variables).
   */
  @Test
  void environmentIsAnsweredOnlyWhenThereAreVariables() throws Exception {
    var bare = lambda().createFunction(b -> b.functionName("env-none").runtime(Runtime.JAVA17)
        .role(Functions.ROLE).handler(Functions.DIAGNOSTICS).code(c -> c.zipFile(Functions.jar())));
    Echo createdBare = new Echo("CreateFunction without Environment", variables(bare.environment()),
        rawConfiguration("env-none"), null);
    var empty = Functions.create(lambda(), "env-empty", Functions.DIAGNOSTICS, 10, Map.of());
    Echo createdEmpty = new Echo("CreateFunction with Variables {}", variables(empty.environment()),
        rawConfiguration("env-empty"), null);
    var set = Functions.create(lambda(), "env-set", Functions.DIAGNOSTICS, 10, Map.of("VAR_A", "1"));
    Echo createdSet = new Echo("CreateFunction with variables", variables(set.environment()),
        rawConfiguration("env-set"), Map.of("VAR_A", "1"));
    var kept = lambda().updateFunctionConfiguration(b -> b.functionName("env-set").description("no Environment member"));
    Echo updatedKept = new Echo("UpdateFunctionConfiguration without Environment", variables(kept.environment()),
        rawConfiguration("env-set"), Map.of("VAR_A", "1"));
    var cleared = lambda().updateFunctionConfiguration(b -> b.functionName("env-set")
        .environment(e -> e.variables(Map.of())));
    Echo updatedCleared = new Echo("UpdateFunctionConfiguration with Variables {}", variables(cleared.environment()),
        rawConfiguration("env-set"), null);
    var added = lambda().updateFunctionConfiguration(b -> b.functionName("env-none")
        .environment(e -> e.variables(Map.of("VAR_C", "3"))));
    Echo updatedAdded = new Echo("UpdateFunctionConfiguration adding variables", variables(added.environment()),
        rawConfiguration("env-none"), Map.of("VAR_C", "3"));
    for (Echo row : List.of(createdBare, createdEmpty, createdSet, updatedKept, updatedCleared, updatedAdded)) {
      assertThat(row.answered()).as(row.call() + ": the call's answer").isEqualTo(row.expected());
      JsonObject c = row.configuration();
      if (row.expected() == null) {
        assertThat(c.containsKey("Environment")).as(row.call() + ": GetFunctionConfiguration has Environment").isFalse();
      } else {
        assertThat(c.getJsonObject("Environment").fieldNames()).as(row.call()).containsExactly("Variables");
        assertThat(c.getJsonObject("Environment").getJsonObject("Variables").getMap()).as(row.call())
            .isEqualTo(row.expected());
      }
    }
    assertThat(lambda().getFunction(b -> b.functionName("env-empty")).configuration().environment()).isNull();
    assertThat(lambda().listFunctions().functions()).filteredOn(f -> f.functionName().equals("env-set"))
        .singleElement().satisfies(f -> assertThat(f.environment()).isNull());
  }

  private static Map<String, String> variables(EnvironmentResponse e) {
    return e == null ? null : e.variables();
  }

  /** GetFunctionConfiguration's raw JSON body, to see which members are there at all. */
  private static JsonObject rawConfiguration(String function) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(server.endpoint() + "/2015-03-31/functions/" + function + "/configuration")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  /** One refused call: how AWS answers it. */
  record Refusal(String call, Consumer<LambdaClient> request, int status, String code, String message) {}

  @Test
  void refusedCallsGetAwssStatusCodeAndMessage() {
    Functions.create(lambda(), "present", Functions.DIAGNOSTICS);
    List<Refusal> table = List.of(
        new Refusal("GetFunction of a missing function", l -> l.getFunction(b -> b.functionName("absent")),
            404, "ResourceNotFoundException", "Function not found: " + ARN + "absent"),
        new Refusal("GetFunction of a missing function, $LATEST", l -> l.getFunction(b -> b.functionName("absent:$LATEST")),
            404, "ResourceNotFoundException", "Function not found: " + ARN + "absent:$LATEST"),
        new Refusal("GetFunctionConfiguration of a missing version",
            l -> l.getFunctionConfiguration(b -> b.functionName("present").qualifier("1221")),
            404, "ResourceNotFoundException", "Function not found: " + ARN + "present:1221"),
        new Refusal("DeleteFunction of a missing function", l -> l.deleteFunction(b -> b.functionName("absent")),
            404, "ResourceNotFoundException", "Function not found: " + ARN + "absent"),
        new Refusal("DeleteFunction of $LATEST", l -> l.deleteFunction(b -> b.functionName("present").qualifier("$LATEST")),
            400, "InvalidParameterValueException", "$LATEST version cannot be deleted without deleting the function."),
        new Refusal("GetFunction with a qualifier that contradicts the ARN's",
            l -> l.getFunction(b -> b.functionName(ARN + "present:1").qualifier("2")),
            400, "InvalidParameterValueException",
            "The derived qualifier from the function name does not match the specified qualifier."),
        new Refusal("GetFunction by an ARN of another region",
            l -> l.getFunction(b -> b.functionName("arn:aws:lambda:eu-west-1:000000000000:function:present")),
            404, "ResourceNotFoundException", "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')"),
        new Refusal("Invoke by an ARN of another region",
            l -> l.invoke(b -> b.functionName("arn:aws:lambda:eu-west-1:000000000000:function:present")),
            404, "ResourceNotFoundException", "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')"),
        new Refusal("UpdateFunctionConfiguration of a missing function",
            l -> l.updateFunctionConfiguration(b -> b.functionName("absent").timeout(5)),
            404, "ResourceNotFoundException", "Function not found: " + ARN + "absent"));
    for (Refusal row : table) {
      assertThatThrownBy(() -> row.request().accept(lambda())).as(row.call()).isInstanceOf(LambdaException.class)
          .satisfies(e -> {
            LambdaException l = (LambdaException) e;
            assertThat(l.statusCode()).as(row.call()).isEqualTo(row.status());
            assertThat(l.awsErrorDetails().errorCode()).as(row.call()).isEqualTo(row.code());
            assertThat(l.awsErrorDetails().errorMessage()).as(row.call()).isEqualTo(row.message());
          });
    }
  }

  /** The raw error body: {@code Type} and the message under the member its error shape names. */
  record Body(String method, String path, int status, String type, String messageMember, String message) {}

  @Test
  void errorBodiesSpellTheMessageMemberAsTheModelDoes() throws Exception {
    Functions.create(lambda(), "present", Functions.DIAGNOSTICS);
    List<Body> table = List.of(
        new Body("GET", "/2015-03-31/functions/absent", 404, "ResourceNotFoundException", "Message",
            "Function not found: " + ARN + "absent"),
        new Body("DELETE", "/2015-03-31/functions/present?Qualifier=" + URLEncoder.encode("$LATEST", StandardCharsets.UTF_8),
            400, "InvalidParameterValueException", "message",
            "$LATEST version cannot be deleted without deleting the function."),
        new Body("GET", "/2015-03-31/functions/" + URLEncoder.encode(ARN + "present:1", StandardCharsets.UTF_8) + "?Qualifier=2",
            400, "InvalidParameterValueException", "message",
            "The derived qualifier from the function name does not match the specified qualifier."));
    HttpClient http = HttpClient.newHttpClient();
    for (Body row : table) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + row.path()))
          .method(row.method(), HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(row.path()).isEqualTo(row.status());
      assertThat(r.headers().firstValue("x-amzn-ErrorType")).as(row.path()).hasValue(row.type());
      JsonObject body = new JsonObject(r.body());
      assertThat(body.fieldNames()).as(row.path()).containsExactlyInAnyOrder("Type", row.messageMember());
      assertThat(body.getString("Type")).as(row.path()).isEqualTo("User");
      assertThat(body.getString(row.messageMember())).as(row.path()).isEqualTo(row.message());
    }
  }

  private static FunctionConfiguration toConfiguration(software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse r) {
    return FunctionConfiguration.builder().state(r.state()).stateReason(r.stateReason())
        .stateReasonCode(r.stateReasonCodeAsString()).lastUpdateStatus(r.lastUpdateStatus())
        .lastUpdateStatusReason(r.lastUpdateStatusReason()).lastUpdateStatusReasonCode(r.lastUpdateStatusReasonCodeAsString())
        .build();
  }
}
