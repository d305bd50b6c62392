package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizationType;
import software.amazon.awssdk.services.apigatewayv2.model.AuthorizerType;
import software.amazon.awssdk.services.apigatewayv2.model.BadRequestException;
import software.amazon.awssdk.services.apigatewayv2.model.ConflictException;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/** JWT and Lambda (REQUEST) authorizers with the SDK v2 client, and routes that use them. */
class AuthorizersTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();
  static final String AUTHORIZER_URI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
      + "arn:aws:lambda:us-east-1:000000000000:function:auth/invocations";

  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);
  private String apiId;

  @BeforeEach
  void api() {
    apiId = v2.createApi(b -> b.name("authorizers").protocolType(ProtocolType.HTTP)).apiId();
  }

  @AfterEach
  void close() {
    v2.close();
  }

  @Test
  void aJwtAuthorizerGuardsARouteWithScopes() {
    var a = v2.createAuthorizer(b -> b.apiId(apiId).name("jwt").authorizerType(AuthorizerType.JWT)
        .identitySource("$request.header.Authorization")
        .jwtConfiguration(j -> j.issuer("https://issuer.example.com").audience("my-app")));
    assertThat(a.authorizerId()).matches("[a-z0-9]{7}");
    assertThat(a.authorizerType()).isEqualTo(AuthorizerType.JWT);
    assertThat(a.identitySource()).containsExactly("$request.header.Authorization");
    assertThat(a.jwtConfiguration().issuer()).isEqualTo("https://issuer.example.com");
    assertThat(a.jwtConfiguration().audience()).containsExactly("my-app");
    assertThat(a.authorizerResultTtlInSeconds()).isNull();
    var route = v2.createRoute(b -> b.apiId(apiId).routeKey("GET /me").authorizationType(AuthorizationType.JWT)
        .authorizerId(a.authorizerId()).authorizationScopes("read"));
    assertThat(route.authorizerId()).isEqualTo(a.authorizerId());
    assertThat(route.authorizationScopes()).containsExactly("read");
    assertThatThrownBy(() -> v2.deleteAuthorizer(b -> b.apiId(apiId).authorizerId(a.authorizerId())))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> v2.createRoute(b -> b.apiId(apiId).routeKey("GET /x").authorizationType(AuthorizationType.CUSTOM)
        .authorizerId(a.authorizerId()))).isInstanceOf(BadRequestException.class);
  }

  @Test
  void aLambdaAuthorizerHasAwsDefaultsAndRules() {
    var a = v2.createAuthorizer(b -> b.apiId(apiId).name("lambda").authorizerType(AuthorizerType.REQUEST)
        .authorizerUri(AUTHORIZER_URI).authorizerPayloadFormatVersion("2.0").enableSimpleResponses(true)
        .identitySource("$request.header.Authorization").authorizerResultTtlInSeconds(300));
    assertThat(a.authorizerPayloadFormatVersion()).isEqualTo("2.0");
    assertThat(a.enableSimpleResponses()).isTrue();
    assertThat(a.authorizerResultTtlInSeconds()).isEqualTo(300);
    assertThat(a.authorizerUri()).isEqualTo(AUTHORIZER_URI);
    var route = v2.createRoute(b -> b.apiId(apiId).routeKey("GET /x").authorizationType(AuthorizationType.CUSTOM)
        .authorizerId(a.authorizerId()));
    assertThat(route.authorizationType()).isEqualTo(AuthorizationType.CUSTOM);
    var updated = v2.updateAuthorizer(b -> b.apiId(apiId).authorizerId(a.authorizerId()).authorizerResultTtlInSeconds(0));
    assertThat(updated.authorizerResultTtlInSeconds()).isZero();
    assertThat(v2.getAuthorizers(b -> b.apiId(apiId)).items()).hasSize(1);
  }

  @Test
  void badAuthorizersAreRefused() {
    assertThatThrownBy(() -> v2.createAuthorizer(b -> b.apiId(apiId).name("x").authorizerType(AuthorizerType.REQUEST)
        .authorizerUri(AUTHORIZER_URI).authorizerPayloadFormatVersion("1.0").enableSimpleResponses(true)))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.createAuthorizer(b -> b.apiId(apiId).name("x").authorizerType(AuthorizerType.REQUEST)
        .authorizerUri(AUTHORIZER_URI).authorizerPayloadFormatVersion("2.0").authorizerResultTtlInSeconds(3601)
        .identitySource("$request.header.Authorization"))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.createAuthorizer(b -> b.apiId(apiId).name("x").authorizerType(AuthorizerType.REQUEST)
        .authorizerUri(AUTHORIZER_URI).authorizerPayloadFormatVersion("2.0").authorizerResultTtlInSeconds(60)))
        .isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.createAuthorizer(b -> b.apiId(apiId).name("x").authorizerType(AuthorizerType.JWT)
        .identitySource("$request.header.Authorization"))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.createAuthorizer(b -> b.apiId(apiId).name("x").authorizerType(AuthorizerType.JWT)
        .identitySource("$request.header.A", "$request.header.B")
        .jwtConfiguration(j -> j.issuer("https://i.example.com").audience("a")))).isInstanceOf(BadRequestException.class);
    assertThatThrownBy(() -> v2.createAuthorizer(b -> b.apiId(apiId).name("x").authorizerType(AuthorizerType.REQUEST)
        .authorizerUri("arn:aws:lambda:us-east-1:000000000000:function:auth").authorizerPayloadFormatVersion("2.0")))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void aRouteThatStopsUsingAnAuthorizerForgetsItAndItsScopes() {
    var a = v2.createAuthorizer(b -> b.apiId(apiId).name("jwt").authorizerType(AuthorizerType.JWT)
        .identitySource("$request.header.Authorization")
        .jwtConfiguration(j -> j.issuer("https://issuer.example.com").audience("my-app")));
    String routeId = v2.createRoute(b -> b.apiId(apiId).routeKey("GET /me").authorizationType(AuthorizationType.JWT)
        .authorizerId(a.authorizerId()).authorizationScopes("read")).routeId();
    var open = v2.updateRoute(b -> b.apiId(apiId).routeId(routeId).authorizationType(AuthorizationType.NONE));
    assertThat(open.authorizationType()).isEqualTo(AuthorizationType.NONE);
    assertThat(open.authorizerId()).isNull();
    assertThat(open.hasAuthorizationScopes()).isFalse();
    assertThatThrownBy(() -> v2.updateRoute(b -> b.apiId(apiId).routeId(routeId).authorizationScopes("write")))
        .isInstanceOf(BadRequestException.class);
    v2.deleteAuthorizer(b -> b.apiId(apiId).authorizerId(a.authorizerId()));
    assertThat(v2.getAuthorizers(b -> b.apiId(apiId)).items()).isEmpty();
  }
}
