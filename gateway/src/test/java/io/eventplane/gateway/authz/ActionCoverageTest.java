package io.eventplane.gateway.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.gateway.apigateway.ApiGatewayRoute;
import io.eventplane.gateway.apigateway.ApiGatewayV1RestProtocol;
import io.eventplane.gateway.apigateway.ApiGatewayV2RestProtocol;
import io.eventplane.gateway.binding.JsonBinding;
import io.eventplane.gateway.binding.ProtocolBinding;
import io.eventplane.gateway.binding.ProtocolBindings;
import io.eventplane.gateway.binding.QueryBinding;
import io.eventplane.gateway.binding.RestJsonBinding;
import io.eventplane.gateway.binding.RestXmlBinding;
import io.eventplane.gateway.lambda.LambdaRestProtocol;
import io.eventplane.gateway.s3.S3Request;
import io.eventplane.gateway.sts.StsQueryProtocol;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every operation every binding routes has an entry in the action table (a new operation without
 * one fails here), every entry is an operation some binding routes, and every entry builds its
 * targets from an empty input without failing.
 */
class ActionCoverageTest {
  static final RequestContext CONTEXT = new RequestContext("123456789012", "us-east-1", "r", "http://localhost:4566");

  @Test
  void everyRoutedOperationHasAnEntryAndEveryEntryIsRouted() {
    Map<String, Set<String>> routed = routedOperations();
    assertThat(routed.keySet()).containsExactlyInAnyOrderElementsOf(
        Actions.ALL.stream().map(ServiceActions::signingName).toList());
    for (var e : routed.entrySet()) {
      ServiceActions table = Actions.of(e.getKey());
      assertThat(table).as(e.getKey()).isNotNull();
      assertThat(table.operations()).as("operations of %s without an IAM action", e.getKey())
          .containsAll(e.getValue());
      assertThat(e.getValue()).as("IAM entries of %s no binding routes", e.getKey())
          .containsAll(table.operations());
    }
  }

  @Test
  void everyEntryBuildsItsTargetsFromAnEmptyInput() {
    for (ServiceActions table : Actions.ALL) {
      if (table.signingName().equals("apigateway")) continue;
      for (String op : table.operations()) {
        List<Target> targets = table.targets(ApiCall.of(op, new JsonObject()), CONTEXT);
        for (Target t : targets) {
          assertThat(t.action()).as(op).contains(":");
          assertThat(t.resource()).as(op).matches("\\*|arn:aws:.*");
        }
      }
    }
  }

  @Test
  void everyApiGatewayRouteIsAMethodOnItsPath() {
    List<ApiGatewayRoute> routes = new ArrayList<>(ApiGatewayV1RestProtocol.allRoutes());
    routes.addAll(ApiGatewayV2RestProtocol.allRoutes());
    ServiceActions apigw = Actions.of("apigateway");
    for (ApiGatewayRoute r : routes) {
      String path = r.template().replaceAll("\\{[^}]+}", "x");
      List<Target> t = apigw.targets(new ApiCall(r.operation(), new JsonObject(), r.method(), path), CONTEXT);
      assertThat(t).as(r.operation()).containsExactly(Target.of("apigateway:" + r.method(),
          "arn:aws:apigateway:us-east-1::" + (path.startsWith("/v2/") ? path.substring(3) : path)));
    }
  }

  /** Each binding's operations, found as the binding enumerates them (S3: every operation its addressing yields). */
  static Map<String, Set<String>> routedOperations() {
    Map<String, Set<String>> ops = new HashMap<>();
    for (ProtocolBinding b : ProtocolBindings.ALL) {
      Set<String> set = ops.computeIfAbsent(b.signingName(), k -> new HashSet<>());
      if (b instanceof JsonBinding j) {
        set.addAll(j.operations());
      } else if (b instanceof QueryBinding q) {
        if (q.model() != null) {
          set.addAll(q.model().operations());
        } else {
          assertThat(q.signingName()).as("a Query service answered locally other than STS").isEqualTo("sts");
          set.addAll(StsQueryProtocol.actions());
        }
      } else if (b instanceof RestJsonBinding r) {
        switch (r.signingName()) {
          case "lambda" -> set.addAll(LambdaRestProtocol.operations());
          case "apigateway" -> {
            ApiGatewayV1RestProtocol.allRoutes().forEach(x -> set.add(x.operation()));
            ApiGatewayV2RestProtocol.allRoutes().forEach(x -> set.add(x.operation()));
          }
          default -> throw new AssertionError("a REST-JSON binding this test cannot enumerate: " + r.signingName());
        }
      } else if (b instanceof RestXmlBinding) {
        set.addAll(s3Operations());
      }
    }
    return ops;
  }

  /** Every operation S3Request's addressing gives, over methods, paths, subresources and the copy header. */
  static Set<String> s3Operations() {
    String[] params = {"", "lifecycle", "restore", "policyStatus", "notification", "versioning", "replication", "uploads",
        "versions", "list-type", "location", "delete", "uploadId", "partNumber", "attributes", "cors", "tagging", "policy",
        "acl", "encryption", "ownershipControls", "publicAccessBlock", "website", "select"};
    Set<String> found = new HashSet<>();
    for (String method : new String[] {"GET", "PUT", "POST", "DELETE", "HEAD", "OPTIONS", "PATCH"}) {
      for (String path : new String[] {"/", "/b", "/b/k"}) {
        for (String p : params) {
          for (boolean copy : new boolean[] {false, true}) {
            MultiMap q = MultiMap.caseInsensitiveMultiMap();
            if (!p.isEmpty()) q.add(p, p.equals("list-type") ? "2" : "");
            MultiMap h = MultiMap.caseInsensitiveMultiMap();
            if (copy) h.add("x-amz-copy-source", "/src/k");
            String op = S3Request.of(method, path, "localhost:4566", q, h).operation();
            if (op != null) found.add(op);
          }
        }
      }
    }
    return found;
  }
}
