package io.eventplane.server.apigateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.server.EmbeddedServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.BadRequestException;
import software.amazon.awssdk.services.apigatewayv2.model.ConflictException;
import software.amazon.awssdk.services.apigatewayv2.model.EndpointType;
import software.amazon.awssdk.services.apigatewayv2.model.NotFoundException;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/** Custom domain names, API mappings, VPC links and tags with the SDK v2 client. */
class DomainNamesAndTagsTest {
  @RegisterExtension
  static final EmbeddedServer server = new EmbeddedServer();

  private final ApiGatewayV2Client v2 = ApiGatewayClients.v2(server);

  @AfterEach
  void close() {
    v2.close();
  }

  @Test
  void anApiIsTaggedByItsArn() {
    String apiId = v2.createApi(b -> b.name("tagged").protocolType(ProtocolType.HTTP).tags(Map.of("team", "a"))).apiId();
    String arn = "arn:aws:apigateway:us-east-1::/apis/" + apiId;
    assertThat(v2.getTags(b -> b.resourceArn(arn)).tags()).isEqualTo(Map.of("team", "a"));
    v2.tagResource(b -> b.resourceArn(arn).tags(Map.of("env", "prod", "team", "b")));
    assertThat(v2.getTags(b -> b.resourceArn(arn)).tags()).isEqualTo(Map.of("env", "prod", "team", "b"));
    assertThat(v2.getApi(b -> b.apiId(apiId)).tags()).isEqualTo(Map.of("env", "prod", "team", "b"));
    v2.untagResource(b -> b.resourceArn(arn).tagKeys("team"));
    assertThat(v2.getTags(b -> b.resourceArn(arn)).tags()).isEqualTo(Map.of("env", "prod"));
    assertThatThrownBy(() -> v2.getTags(b -> b.resourceArn("arn:aws:apigateway:us-east-1::/apis/0000000000")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> v2.tagResource(b -> b.resourceArn(arn).tags(Map.of("aws:reserved", "x"))))
        .isInstanceOf(BadRequestException.class);
  }

  @Test
  void aStageIsTaggedByItsArn() {
    String apiId = v2.createApi(b -> b.name("staged").protocolType(ProtocolType.HTTP)).apiId();
    v2.createStage(b -> b.apiId(apiId).stageName("prod"));
    String arn = "arn:aws:apigateway:us-east-1::/apis/" + apiId + "/stages/prod";
    v2.tagResource(b -> b.resourceArn(arn).tags(Map.of("tier", "gold")));
    assertThat(v2.getStage(b -> b.apiId(apiId).stageName("prod")).tags()).isEqualTo(Map.of("tier", "gold"));
  }

  @Test
  void domainNamesAndTheirMappingsAreStored() {
    var d = v2.createDomainName(b -> b.domainName("api.example.com")
        .domainNameConfigurations(c -> c.certificateArn("arn:aws:acm:us-east-1:000000000000:certificate/abc")
            .endpointType(EndpointType.REGIONAL)));
    assertThat(d.domainName()).isEqualTo("api.example.com");
    assertThat(d.apiMappingSelectionExpression()).isEqualTo("$request.basepath");
    assertThat(d.domainNameConfigurations().get(0).endpointType()).isEqualTo(EndpointType.REGIONAL);
    assertThat(d.domainNameConfigurations().get(0).apiGatewayDomainName()).endsWith(".execute-api.us-east-1.amazonaws.com");
    assertThatThrownBy(() -> v2.createDomainName(b -> b.domainName("api.example.com"))).isInstanceOf(ConflictException.class);
    String apiId = v2.createApi(b -> b.name("mapped").protocolType(ProtocolType.HTTP)).apiId();
    v2.createStage(b -> b.apiId(apiId).stageName("prod"));
    var m = v2.createApiMapping(b -> b.domainName("api.example.com").apiId(apiId).stage("prod").apiMappingKey("orders"));
    assertThat(m.apiMappingId()).isNotBlank();
    assertThat(m.apiMappingKey()).isEqualTo("orders");
    assertThatThrownBy(() -> v2.createApiMapping(b -> b.domainName("api.example.com").apiId(apiId).stage("prod")
        .apiMappingKey("orders"))).isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> v2.createApiMapping(b -> b.domainName("api.example.com").apiId(apiId).stage("nope")))
        .isInstanceOf(BadRequestException.class);
    assertThat(v2.getApiMappings(b -> b.domainName("api.example.com")).items()).hasSize(1);
    assertThat(v2.getDomainNames(b -> {}).items()).hasSize(1);
    v2.deleteApiMapping(b -> b.domainName("api.example.com").apiMappingId(m.apiMappingId()));
    v2.deleteDomainName(b -> b.domainName("api.example.com"));
    assertThatThrownBy(() -> v2.getDomainName(b -> b.domainName("api.example.com"))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void vpcLinksAreStoredAndTagged() {
    var link = v2.createVpcLink(b -> b.name("private").subnetIds("subnet-1", "subnet-2").securityGroupIds("sg-1"));
    assertThat(link.vpcLinkId()).matches("[a-z0-9]{7}");
    assertThat(link.vpcLinkStatusAsString()).isEqualTo("AVAILABLE");
    assertThat(link.vpcLinkVersionAsString()).isEqualTo("V2");
    assertThat(link.subnetIds()).containsExactly("subnet-1", "subnet-2");
    String arn = "arn:aws:apigateway:us-east-1::/vpclinks/" + link.vpcLinkId();
    v2.tagResource(b -> b.resourceArn(arn).tags(Map.of("net", "private")));
    assertThat(v2.getVpcLink(b -> b.vpcLinkId(link.vpcLinkId())).tags()).isEqualTo(Map.of("net", "private"));
    assertThat(v2.updateVpcLink(b -> b.vpcLinkId(link.vpcLinkId()).name("renamed")).name()).isEqualTo("renamed");
    assertThat(v2.getVpcLinks(b -> {}).items()).hasSize(1);
    v2.deleteVpcLink(b -> b.vpcLinkId(link.vpcLinkId()));
    assertThatThrownBy(() -> v2.getVpcLink(b -> b.vpcLinkId(link.vpcLinkId()))).isInstanceOf(NotFoundException.class);
  }
}
