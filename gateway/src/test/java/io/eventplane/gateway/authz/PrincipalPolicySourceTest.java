package io.eventplane.gateway.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Caller;
import io.eventplane.common.bus.Contracts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrincipalPolicySourceTest {
  static final String ALLOW_SEND = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"*\"}]}";

  @Test
  void asksIamForThePrincipalAndCompilesItsDocumentsLeavingOutOnesThatDoNotParse() {
    List<ApiRequest> asked = new ArrayList<>();
    JsonObject answer = new JsonObject().put("Policies", new JsonArray()
            .add(new JsonObject().put("Name", "send").put("Document", ALLOW_SEND))
            .add(new JsonObject().put("Name", "broken").put("Document", "{not json")))
        .put("Tags", new JsonObject().put("team", "blue"));
    PrincipalPolicySource source = new PrincipalPolicySource((address, request) -> {
      assertThat(address).isEqualTo(Contracts.IAM);
      asked.add(request);
      return Future.succeededFuture(ApiReply.ok(answer));
    });
    Caller alice = new Caller("arn:aws:iam::123456789012:user/alice", "AIDAALICE", "AKIAEXAMPLE");
    PrincipalPolicies p = source.apply(alice).result();
    assertThat(asked).singleElement().satisfies(r -> {
      assertThat(r.operation()).isEqualTo(PrincipalPolicySource.OPERATION);
      assertThat(r.input().getString("PrincipalArn")).isEqualTo(alice.arn());
      assertThat(r.context().accountId()).isEqualTo("123456789012");
    });
    assertThat(p.policies()).extracting(PrincipalPolicies.Named::name).containsExactly("send");
    assertThat(p.tags()).isEqualTo(Map.of("team", "blue"));
    Target send = new Target("sqs:SendMessage", "arn:aws:sqs:us-east-1:123456789012:q", Map.of());
    assertThat(IdentityAuthorizer.decide(alice, p, List.of(send), Map.of()).allAllowed()).isTrue();
  }

  @Test
  void aChangeNoticeForgetsAllOrTheNamedPrincipals() {
    int[] lookups = {0};
    IdentityAuthorizer authorizer = new IdentityAuthorizer(c -> {
      lookups[0]++;
      return Future.succeededFuture(PrincipalPolicies.NONE);
    }, 10);
    Caller bob = new Caller("arn:aws:iam::123456789012:user/bob", "AIDABOB", "AKIABOB");
    Caller session = new Caller("arn:aws:sts::123456789012:assumed-role/worker/s1", "AROA:s1", "ASIAX");
    List<Target> none = List.of(new Target("sqs:ListQueues", "*", Map.of()));
    authorizer.authorize(bob, none, Map.of());
    authorizer.authorize(session, none, Map.of());
    NodeAuthorizer.changed(authorizer, new JsonObject().put("PrincipalArns", new JsonArray().add("arn:aws:iam::123456789012:role/worker")));
    authorizer.authorize(bob, none, Map.of());
    authorizer.authorize(session, none, Map.of());
    assertThat(lookups[0]).as("the role's session asked again, bob not").isEqualTo(3);
    NodeAuthorizer.changed(authorizer, new JsonObject().put("All", true));
    authorizer.authorize(bob, none, Map.of());
    assertThat(lookups[0]).isEqualTo(4);
  }
}
