package io.eventplane.gateway.apigateway.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recognising invoke URLs, and the per-node cache of deployed stages. */
class InvokeRouteTest {
  private static final RequestContext ANYONE = new RequestContext("000000000000", "us-east-1", "r", "http://localhost");

  @Test
  void bothInvokeUrlFormsAreRecognised() {
    assertThat(InvokeRoute.target("abc1234567.execute-api.localhost:4566", "/prod/orders"))
        .isEqualTo(new InvokeRoute.Target("abc1234567", "/prod/orders"));
    assertThat(InvokeRoute.target("ABC1234567.execute-api.example.com", "/"))
        .isEqualTo(new InvokeRoute.Target("abc1234567", "/"));
    assertThat(InvokeRoute.target("localhost:4566", "/_eventplane/execute-api/abc1234567/prod/orders?x"))
        .isEqualTo(new InvokeRoute.Target("abc1234567", "/prod/orders?x"));
    assertThat(InvokeRoute.target("localhost", "/_eventplane/execute-api/abc1234567"))
        .isEqualTo(new InvokeRoute.Target("abc1234567", "/"));
    assertThat(InvokeRoute.target("localhost:4566", "/_eventplane/execute-api/")).isNull();
    assertThat(InvokeRoute.target("abc123.execute-api.localhost", "/x")).isNull();
    assertThat(InvokeRoute.target("bucket.s3.localhost", "/x")).isNull();
    assertThat(InvokeRoute.target(null, "/restapis")).isNull();
    assertThat(InvokeRoute.domainName("abc1234567.execute-api.localhost:4566")).isEqualTo("abc1234567.execute-api.localhost");
    assertThat(InvokeRoute.domainName("[::1]:4566")).isEqualTo("[::1]");
    assertThat(InvokeRoute.functionOf("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
        + "arn:aws:lambda:us-east-1:000000000000:function:f/invocations")).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:f");
    assertThat(InvokeRoute.functionOf("arn:aws:lambda:us-east-1:000000000000:function:f"))
        .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:f");
  }

  @Test
  void concurrentMissesShareOneCallAndAChangeDropsTheApi() {
    List<ApiRequest> asked = new ArrayList<>();
    List<Promise<ApiReply>> pending = new ArrayList<>();
    DeployedStages stages = new DeployedStages((address, request) -> {
      asked.add(request);
      Promise<ApiReply> p = Promise.promise();
      pending.add(p);
      return p.future();
    });
    Future<ApiReply> first = stages.get("abc1234567", "prod", ANYONE);
    Future<ApiReply> second = stages.get("abc1234567", "prod", ANYONE);
    stages.get("abc1234567", "dev", ANYONE);
    assertThat(asked).hasSize(2);
    assertThat(asked.get(0).operation()).isEqualTo("GetDeployedStage");
    assertThat(asked.get(0).input()).isEqualTo(new JsonObject().put("ApiId", "abc1234567").put("StageName", "prod"));
    pending.get(0).complete(ApiReply.ok(new JsonObject().put("Kind", "HTTP")));
    assertThat(first.result().output().getString("Kind")).isEqualTo("HTTP");
    assertThat(second.result()).isSameAs(first.result());
    stages.get("abc1234567", "prod", ANYONE);
    assertThat(asked).hasSize(2);

    stages.changed(new JsonObject().put("ApiId", "other00000"));
    assertThat(stages.size()).isEqualTo(2);
    stages.changed(new JsonObject().put("ApiId", "abc1234567"));
    assertThat(stages.size()).isZero();
    stages.get("abc1234567", "prod", ANYONE);
    assertThat(asked).hasSize(3);
    stages.changed(new JsonObject().put("All", true));
    assertThat(stages.size()).isZero();
  }

  @Test
  void notFoundIsKeptButBusFailuresAreNot() {
    List<Promise<ApiReply>> pending = new ArrayList<>();
    DeployedStages stages = new DeployedStages((address, request) -> {
      Promise<ApiReply> p = Promise.promise();
      pending.add(p);
      return p.future();
    });
    stages.get("abc1234567", "prod", ANYONE);
    pending.get(0).complete(ApiReply.failed(ServiceError.sender("NotFoundException", "Invalid stage identifier specified")));
    assertThat(stages.size()).isEqualTo(1);
    stages.get("abc1234567", "dev", ANYONE);
    pending.get(1).complete(ApiReply.failed(ServiceError.internal("No service is available")));
    assertThat(stages.size()).isEqualTo(1);
    stages.get("abc1234567", "dev", ANYONE);
    assertThat(pending).hasSize(3);
  }
}
