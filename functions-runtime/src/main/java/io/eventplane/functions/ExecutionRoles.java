package io.eventplane.functions;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.functions.api.FunctionApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Asks IAM (GetRole, over the bus, at the role's owner) for the id of a function's execution role
 * when the function is created or its role changes, so that starting an instance asks no one. A
 * role IAM does not know, or a question that fails, gives null: the function is kept (Lambda would
 * refuse a role it cannot assume; Eventplane's tests and tools often name roles they never made).
 */
final class ExecutionRoles implements FunctionApi.RoleIds {
  private static final long TIMEOUT_MILLIS = 10_000;

  private final Vertx vertx;

  ExecutionRoles(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<String> of(String roleArn, RequestContext context) {
    String[] parts = roleArn.split(":", 6);
    if (parts.length != 6 || parts[4].isEmpty()) return Future.succeededFuture(null);
    String name = roleArn.substring(roleArn.lastIndexOf('/') + 1);
    RequestContext atRole = new RequestContext(parts[4], context.region(), context.requestId(), context.baseUrl());
    return vertx.eventBus().<ApiReply>request(Contracts.IAM, new ApiRequest("GetRole", new JsonObject().put("RoleName", name),
            atRole), new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS))
        .map(message -> {
          ApiReply reply = message.body();
          if (!reply.succeeded()) return null;
          JsonObject role = reply.output().getJsonObject("Role");
          return role != null && roleArn.equals(role.getString("Arn")) ? role.getString("RoleId") : null;
        })
        .otherwise((String) null);
  }
}
