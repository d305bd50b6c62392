package io.eventplane.server.events;

import static io.eventplane.server.events.EventBusAnswersTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventplane.server.EmbeddedServer;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.ApiDestinationHttpMethod;
import software.amazon.awssdk.services.eventbridge.model.ApiDestinationState;
import software.amazon.awssdk.services.eventbridge.model.ConnectionAuthorizationType;
import software.amazon.awssdk.services.eventbridge.model.ConnectionState;
import software.amazon.awssdk.services.eventbridge.model.CreateApiDestinationRequest;
import software.amazon.awssdk.services.eventbridge.model.CreateApiDestinationResponse;
import software.amazon.awssdk.services.eventbridge.model.CreateConnectionRequest;
import software.amazon.awssdk.services.eventbridge.model.CreateConnectionResponse;
import software.amazon.awssdk.services.eventbridge.model.DeleteConnectionResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeApiDestinationResponse;
import software.amazon.awssdk.services.eventbridge.model.DescribeConnectionResponse;
import software.amazon.awssdk.services.eventbridge.model.UpdateConnectionResponse;

/**
 * Connections and API destinations as EventBridge answers them. Pinned from LocalStack's
 * test_api_destinations_and_connection.snapshot.json (recorded against AWS, 2024-12): the members
 * of each answer, the states (API key and basic AUTHORIZED at once, OAuth AUTHORIZING; a destination
 * INACTIVE while its connection is not authorized), the SecretArn's form, Describe without secrets,
 * DELETING from DeleteConnection, the not-found messages of DescribeConnection and
 * DescribeApiDestination and the model violations of the recording; the other messages are ours
 * (see docs/architecture.md).
 */
class ConnectionAnswersTest {
  private static final String ACCOUNT = "000000000000";

  @RegisterExtension static final EmbeddedServer server = new EmbeddedServer();

  private EventBridgeClient events() {
    return server.eventBridge();
  }

  private CreateConnectionResponse apiKeyConnection(String name) {
    return events().createConnection(b -> b.name(name).authorizationType(ConnectionAuthorizationType.API_KEY)
        .authParameters(a -> a.apiKeyAuthParameters(k -> k.apiKeyName("ApiKey").apiKeyValue("secret"))
            .invocationHttpParameters(h -> h.headerParameters(
                p -> p.key("x-plain").value("visible").isValueSecret(false),
                p -> p.key("x-hidden").value("hidden").isValueSecret(true)))));
  }

  @Test
  void apiKeyAndBasicConnectionsAreAuthorizedAtOnceAndDescribedWithoutSecrets() {
    CreateConnectionResponse created = apiKeyConnection("keyed");
    assertThat(created.connectionArn()).matches("arn:aws:events:us-east-1:" + ACCOUNT + ":connection/keyed/[-0-9a-f]{36}");
    assertThat(created.connectionState()).isEqualTo(ConnectionState.AUTHORIZED);
    assertThat(created.creationTime()).isNotNull();
    assertThat(created.lastModifiedTime()).isNotNull();

    DescribeConnectionResponse d = events().describeConnection(b -> b.name("keyed"));
    assertThat(d.connectionArn()).isEqualTo(created.connectionArn());
    assertThat(d.name()).isEqualTo("keyed");
    assertThat(d.authorizationType()).isEqualTo(ConnectionAuthorizationType.API_KEY);
    assertThat(d.connectionState()).isEqualTo(ConnectionState.AUTHORIZED);
    assertThat(d.secretArn()).matches("arn:aws:secretsmanager:us-east-1:" + ACCOUNT
        + ":secret:events!connection/keyed/[-0-9a-f]{36}-[A-Za-z0-9]{6}");
    assertThat(d.authParameters().apiKeyAuthParameters().apiKeyName()).isEqualTo("ApiKey");
    assertThat(d.authParameters().invocationHttpParameters().headerParameters()).satisfiesExactly(
        p -> {
          assertThat(p.key()).isEqualTo("x-plain");
          assertThat(p.value()).isEqualTo("visible");
        },
        p -> {
          assertThat(p.key()).isEqualTo("x-hidden");
          assertThat(p.value()).isNull();
          assertThat(p.isValueSecret()).isTrue();
        });
    assertThat(d.lastAuthorizedTime()).isNotNull();

    events().createConnection(b -> b.name("basic").authorizationType(ConnectionAuthorizationType.BASIC)
        .authParameters(a -> a.basicAuthParameters(p -> p.username("user").password("pass"))));
    DescribeConnectionResponse basic = events().describeConnection(b -> b.name("basic"));
    assertThat(basic.authParameters().basicAuthParameters().username()).isEqualTo("user");
    assertThat(basic.connectionState()).isEqualTo(ConnectionState.AUTHORIZED);

    assertThat(events().listConnections(b -> b.namePrefix("ke")).connections()).singleElement().satisfies(c -> {
      assertThat(c.name()).isEqualTo("keyed");
      assertThat(c.connectionArn()).isEqualTo(created.connectionArn());
      assertThat(c.authorizationType()).isEqualTo(ConnectionAuthorizationType.API_KEY);
      assertThat(c.connectionState()).isEqualTo(ConnectionState.AUTHORIZED);
      assertThat(c.lastAuthorizedTime()).isNotNull();
    });
    assertThat(events().listConnections(b -> b.limit(1)).connections()).extracting(c -> c.name()).containsExactly("basic");
    String token = events().listConnections(b -> b.limit(1)).nextToken();
    assertThat(events().listConnections(b -> b.limit(1).nextToken(token)).connections()).extracting(c -> c.name())
        .containsExactly("keyed");
    assertThat(events().listConnections(b -> b.connectionState(ConnectionState.DEAUTHORIZED)).connections()).isEmpty();
  }

  @Test
  void anOAuthConnectionThatCannotBeAuthorizedIsDeauthorizedAndItsDestinationInactive() {
    // Nothing listens on port 9 of the loopback: the token request fails.
    CreateConnectionResponse created = events().createConnection(b -> b.name("oauth")
        .authorizationType(ConnectionAuthorizationType.OAUTH_CLIENT_CREDENTIALS)
        .authParameters(a -> a.oAuthParameters(o -> o.authorizationEndpoint("http://127.0.0.1:9/token").httpMethod("POST")
            .clientParameters(c -> c.clientID("client_id").clientSecret("client_secret")))));
    assertThat(created.connectionState()).isEqualTo(ConnectionState.AUTHORIZING);
    DescribeConnectionResponse d = events().describeConnection(b -> b.name("oauth"));
    assertThat(d.authParameters().oAuthParameters().clientParameters().clientID()).isEqualTo("client_id");
    assertThat(d.authParameters().oAuthParameters().authorizationEndpoint()).isEqualTo("http://127.0.0.1:9/token");
    assertThat(d.authParameters().oAuthParameters().httpMethodAsString()).isEqualTo("POST");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        events().describeConnection(b -> b.name("oauth")).connectionState() == ConnectionState.DEAUTHORIZED);
    assertThat(events().describeConnection(b -> b.name("oauth")).stateReason()).contains("authorization endpoint");
    CreateApiDestinationResponse dest = events().createApiDestination(b -> b.name("on-oauth")
        .connectionArn(created.connectionArn()).invocationEndpoint("https://example.com/api").httpMethod(ApiDestinationHttpMethod.POST));
    assertThat(dest.apiDestinationState()).isEqualTo(ApiDestinationState.INACTIVE);
  }

  @Test
  void apiDestinationsCreateDescribeListUpdateDelete() {
    String connection = apiKeyConnection("for-destinations").connectionArn();
    CreateApiDestinationResponse created = events().createApiDestination(b -> b.name("dest").connectionArn(connection)
        .invocationEndpoint("https://example.com/api").httpMethod(ApiDestinationHttpMethod.POST).description("Test API destination"));
    assertThat(created.apiDestinationArn()).matches("arn:aws:events:us-east-1:" + ACCOUNT + ":api-destination/dest/[-0-9a-f]{36}");
    assertThat(created.apiDestinationState()).isEqualTo(ApiDestinationState.ACTIVE);
    assertThat(created.creationTime()).isNotNull();

    DescribeApiDestinationResponse d = events().describeApiDestination(b -> b.name("dest"));
    assertThat(d.apiDestinationArn()).isEqualTo(created.apiDestinationArn());
    assertThat(d.name()).isEqualTo("dest");
    assertThat(d.description()).isEqualTo("Test API destination");
    assertThat(d.connectionArn()).isEqualTo(connection);
    assertThat(d.invocationEndpoint()).isEqualTo("https://example.com/api");
    assertThat(d.httpMethod()).isEqualTo(ApiDestinationHttpMethod.POST);
    assertThat(d.invocationRateLimitPerSecond()).isEqualTo(300);
    assertThat(d.apiDestinationState()).isEqualTo(ApiDestinationState.ACTIVE);

    assertThat(events().listApiDestinations(b -> b.namePrefix("dest")).apiDestinations()).singleElement().satisfies(a -> {
      assertThat(a.name()).isEqualTo("dest");
      assertThat(a.connectionArn()).isEqualTo(connection);
      assertThat(a.invocationRateLimitPerSecond()).isEqualTo(300);
    });
    assertThat(events().listApiDestinations(b -> b.connectionArn(connection + "0")).apiDestinations()).isEmpty();

    events().updateApiDestination(b -> b.name("dest").httpMethod(ApiDestinationHttpMethod.PUT)
        .invocationEndpoint("https://example.com/api/v2").description("Updated API destination").invocationRateLimitPerSecond(5));
    DescribeApiDestinationResponse updated = events().describeApiDestination(b -> b.name("dest"));
    assertThat(updated.httpMethod()).isEqualTo(ApiDestinationHttpMethod.PUT);
    assertThat(updated.invocationEndpoint()).isEqualTo("https://example.com/api/v2");
    assertThat(updated.description()).isEqualTo("Updated API destination");
    assertThat(updated.invocationRateLimitPerSecond()).isEqualTo(5);
    assertThat(updated.connectionArn()).isEqualTo(connection);

    events().deleteApiDestination(b -> b.name("dest"));
    assertThatThrownBy(() -> events().describeApiDestination(b -> b.name("dest"))).satisfies(t -> assertError(t,
        "ResourceNotFoundException", 400, "Failed to describe the api-destination(s). An api-destination 'dest' does not exist."));
  }

  @Test
  void updateDeauthorizeAndDeleteAConnection() {
    CreateConnectionResponse created = events().createConnection(b -> b.name("lifecycle")
        .authorizationType(ConnectionAuthorizationType.BASIC)
        .authParameters(a -> a.basicAuthParameters(p -> p.username("user").password("pass")).invocationHttpParameters(h -> { })));
    assertThat(events().describeConnection(b -> b.name("lifecycle")).authParameters().invocationHttpParameters()).isNotNull();

    UpdateConnectionResponse updated = events().updateConnection(b -> b.name("lifecycle")
        .authParameters(a -> a.basicAuthParameters(p -> p.username("new_user").password("new_pass"))));
    assertThat(updated.connectionArn()).isEqualTo(created.connectionArn());
    assertThat(updated.connectionState()).isEqualTo(ConnectionState.AUTHORIZED);
    assertThat(updated.lastAuthorizedTime()).isNotNull();
    assertThat(events().describeConnection(b -> b.name("lifecycle")).authParameters().basicAuthParameters().username())
        .isEqualTo("new_user");

    String dest = events().createApiDestination(b -> b.name("through-lifecycle").connectionArn(created.connectionArn())
        .invocationEndpoint("https://example.com").httpMethod(ApiDestinationHttpMethod.POST)).apiDestinationArn();
    assertThat(events().deauthorizeConnection(b -> b.name("lifecycle")).connectionState()).isEqualTo(ConnectionState.DEAUTHORIZING);
    assertThat(events().describeConnection(b -> b.name("lifecycle")).connectionState()).isEqualTo(ConnectionState.DEAUTHORIZED);
    assertThat(events().describeApiDestination(b -> b.name("through-lifecycle")).apiDestinationState())
        .isEqualTo(ApiDestinationState.INACTIVE);
    assertThat(dest).isNotNull();
    // New credentials authorize it again.
    events().updateConnection(b -> b.name("lifecycle").authParameters(a -> a.basicAuthParameters(p -> p.username("u").password("p"))));
    assertThat(events().describeConnection(b -> b.name("lifecycle")).connectionState()).isEqualTo(ConnectionState.AUTHORIZED);

    DeleteConnectionResponse deleted = events().deleteConnection(b -> b.name("lifecycle"));
    assertThat(deleted.connectionArn()).isEqualTo(created.connectionArn());
    assertThat(deleted.connectionState()).isEqualTo(ConnectionState.DELETING);
    assertThat(deleted.lastAuthorizedTime()).isNotNull();
    assertThatThrownBy(() -> events().describeConnection(b -> b.name("lifecycle"))).satisfies(t -> assertError(t,
        "ResourceNotFoundException", 400, "Failed to describe the connection(s). Connection 'lifecycle' does not exist."));
  }

  @Test
  void fiftyConnectionsPerAccountAndRegion() {
    for (int i = 0; i < 50; i++) apiKeyConnection("c" + i);
    assertThatThrownBy(() -> apiKeyConnection("c50")).satisfies(t -> assertError(t, "LimitExceededException", 400,
        "The requested resource exceeds the maximum number allowed."));
  }

  static Stream<Arguments> connectionRefusals() {
    String authPattern = "^[ \\t]*[^\\x00-\\x1F:\\x7F]+([ \\t]+[^\\x00-\\x1F:\\x7F]+)*[ \\t]*$";
    return Stream.of(
        Arguments.of("an unknown AuthorizationType (recorded)", (Consumer<CreateConnectionRequest.Builder>) b -> b.name("c")
            .authorizationType("INVALID_AUTH_TYPE").authParameters(a -> { }), "ValidationException",
            "1 validation error detected: Value 'INVALID_AUTH_TYPE' at 'authorizationType' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]"),
        Arguments.of("a name with spaces (recorded)", (Consumer<CreateConnectionRequest.Builder>) b -> b
            .name("Invalid Name With Spaces!").authorizationType(ConnectionAuthorizationType.API_KEY)
            .authParameters(a -> a.apiKeyAuthParameters(k -> k.apiKeyName("ApiKey").apiKeyValue("secret"))),
            "ValidationException", "1 validation error detected: Value 'Invalid Name With Spaces!' at 'name' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"),
        Arguments.of("no AuthParameters", (Consumer<CreateConnectionRequest.Builder>) b -> b.name("c")
            .authorizationType(ConnectionAuthorizationType.API_KEY), "ValidationException",
            "1 validation error detected: Value null at 'authParameters' failed to satisfy constraint: Member must not be null"),
        Arguments.of("a basic connection without its password", (Consumer<CreateConnectionRequest.Builder>) b -> b.name("c")
            .authorizationType(ConnectionAuthorizationType.BASIC).authParameters(a -> a.basicAuthParameters(p -> p.username("u"))),
            "ValidationException", "1 validation error detected: Value null at 'authParameters.basicAuthParameters.password' "
                + "failed to satisfy constraint: Member must not be null"),
        Arguments.of("a username with a colon", (Consumer<CreateConnectionRequest.Builder>) b -> b.name("c")
            .authorizationType(ConnectionAuthorizationType.BASIC)
            .authParameters(a -> a.basicAuthParameters(p -> p.username("a:b").password("p"))), "ValidationException",
            "1 validation error detected: Value at 'authParameters.basicAuthParameters.username' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: " + authPattern),
        Arguments.of("API_KEY with basic parameters", (Consumer<CreateConnectionRequest.Builder>) b -> b.name("c")
            .authorizationType(ConnectionAuthorizationType.API_KEY)
            .authParameters(a -> a.basicAuthParameters(p -> p.username("u").password("p"))), "ValidationException",
            "Parameter(s) ApiKeyAuthParameters must be specified for AuthorizationType API_KEY."),
        Arguments.of("an http authorization endpoint that is not loopback", (Consumer<CreateConnectionRequest.Builder>) b -> b
            .name("c").authorizationType(ConnectionAuthorizationType.OAUTH_CLIENT_CREDENTIALS)
            .authParameters(a -> a.oAuthParameters(o -> o.authorizationEndpoint("http://example.com/token").httpMethod("POST")
                .clientParameters(c -> c.clientID("id").clientSecret("s")))), "ValidationException",
            "Parameter AuthorizationEndpoint is not valid. Reason: AuthorizationEndpoint must be an https endpoint "
                + "(Eventplane also takes http to a loopback address)."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("connectionRefusals")
  void connectionRefusals(String why, Consumer<CreateConnectionRequest.Builder> request, String code, String message) {
    assertThatThrownBy(() -> events().createConnection(request)).satisfies(t -> assertError(t, code, 400, message));
  }

  @Test
  void connectionAndDestinationRefusals() {
    String connection = apiKeyConnection("exists").connectionArn();
    assertThatThrownBy(() -> apiKeyConnection("exists")).satisfies(t -> assertError(t, "ResourceAlreadyExistsException", 400,
        "Connection exists already exists."));
    for (String verb : new String[] {"update", "delete", "deauthorize"}) {
      assertThatThrownBy(() -> {
        switch (verb) {
          case "update" -> events().updateConnection(b -> b.name("nope").description("x"));
          case "delete" -> events().deleteConnection(b -> b.name("nope"));
          default -> events().deauthorizeConnection(b -> b.name("nope"));
        }
      }).satisfies(t -> assertError(t, "ResourceNotFoundException", 400,
          "Failed to " + verb + " the connection(s). Connection 'nope' does not exist."));
    }
    // Recorded: both violations in one message, the methods in this order.
    assertThatThrownBy(() -> events().createApiDestination(b -> b.name("d").connectionArn("invalid-connection-arn")
        .httpMethod("INVALID_METHOD").invocationEndpoint("invalid-endpoint"))).satisfies(t -> assertError(t,
        "ValidationException", 400, "2 validation errors detected: Value 'invalid-connection-arn' at 'connectionArn' failed to "
            + "satisfy constraint: Member must satisfy regular expression pattern: ^arn:aws([a-z]|\\-)*:events:([a-z]|\\d|\\-)*:"
            + "([0-9]{12})?:connection\\/[\\.\\-_A-Za-z0-9]+\\/[\\-A-Za-z0-9]+$; Value 'INVALID_METHOD' at 'httpMethod' failed "
            + "to satisfy constraint: Member must satisfy enum value set: [HEAD, POST, PATCH, DELETE, PUT, GET, OPTIONS]"));
    assertThatThrownBy(() -> events().createApiDestination(b -> b.name("Invalid Name With Spaces!").connectionArn(connection)
        .httpMethod(ApiDestinationHttpMethod.POST).invocationEndpoint("https://example.com/api"))).satisfies(t -> assertError(t,
        "ValidationException", 400, "1 validation error detected: Value 'Invalid Name With Spaces!' at 'name' failed to satisfy "
            + "constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"));
    Consumer<CreateApiDestinationRequest.Builder> good = b -> b.name("d").connectionArn(connection)
        .httpMethod(ApiDestinationHttpMethod.POST).invocationEndpoint("https://example.com/api");
    assertThatThrownBy(() -> events().createApiDestination(good.andThen(b -> b.invocationRateLimitPerSecond(0))))
        .satisfies(t -> assertError(t, "ValidationException", 400, "1 validation error detected: Value '0' at "
            + "'invocationRateLimitPerSecond' failed to satisfy constraint: Member must have value greater than or equal to 1"));
    assertThatThrownBy(() -> events().createApiDestination(good.andThen(b -> b.invocationEndpoint("http://example.com/api"))))
        .satisfies(t -> assertError(t, "ValidationException", 400, "Parameter InvocationEndpoint is not valid. Reason: "
            + "InvocationEndpoint must be an https endpoint (Eventplane also takes http to a loopback address)."));
    String gone = connection.substring(0, connection.lastIndexOf('/') + 1) + "00000000-0000-0000-0000-000000000000";
    assertThatThrownBy(() -> events().createApiDestination(good.andThen(b -> b.connectionArn(gone))))
        .satisfies(t -> assertError(t, "ResourceNotFoundException", 400,
            "Failed to create the api-destination(s). Connection 'exists' does not exist."));
    events().createApiDestination(good);
    assertThatThrownBy(() -> events().createApiDestination(good)).satisfies(t -> assertError(t,
        "ResourceAlreadyExistsException", 400, "An api-destination 'd' already exists."));
    assertThatThrownBy(() -> events().updateApiDestination(b -> b.name("nope").description("x"))).satisfies(t -> assertError(t,
        "ResourceNotFoundException", 400, "Failed to update the api-destination(s). An api-destination 'nope' does not exist."));
    assertThatThrownBy(() -> events().deleteApiDestination(b -> b.name("nope"))).satisfies(t -> assertError(t,
        "ResourceNotFoundException", 400, "Failed to delete the api-destination(s). An api-destination 'nope' does not exist."));
  }
}
