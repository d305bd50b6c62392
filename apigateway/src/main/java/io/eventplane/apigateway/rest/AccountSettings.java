package io.eventplane.apigateway.rest;

import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * GetAccount and UpdateAccount: API Gateway's settings of an account in a region, the CloudWatch
 * role it logs with ({@code /cloudwatchRoleArn}, what Terraform's {@code aws_api_gateway_account}
 * sets) and its throttle (10,000 requests per second, bursts of 5,000, AWS's default quota). Kept as
 * the owner {@code s/<account>/<region>} in the account's partition once changed.
 * Used only on the lane's context.
 */
final class AccountSettings {
  private final RestAccess access;
  private final Patches patches = new Patches().scalar("cloudwatchRoleArn", Patches.Kind.STRING, true).shortErrors();

  AccountSettings(RestAccess access) {
    this.access = access;
  }

  Future<JsonObject> handle(ApiRequest request) {
    RequestContext ctx = request.context();
    return switch (request.operation()) {
      case "GetAccount" -> Future.succeededFuture(current(ctx));
      case "UpdateAccount" -> access.changeAccount(request, partition -> {
        JsonObject updated = patches.apply(current(ctx), request.input());
        String key = owner(ctx);
        return new RestAccess.AccountChange(new Changes().putOwner(key, new JsonObject().put("Account", ctx.accountId())
            .put("Region", ctx.region()).put("Kind", "ACCOUNT").put("Settings", updated)), updated.copy(), List.of());
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private JsonObject current(RequestContext ctx) {
    Owner o = access.table.get(RestAccess.partitionOf(ctx), owner(ctx));
    return o != null ? o.record().getJsonObject("Settings").copy()
        : new JsonObject().put("throttleSettings", new JsonObject().put("burstLimit", 5000).put("rateLimit", 10000.0))
            .put("features", new JsonArray().add("UsagePlans")).put("apiKeyVersion", "4");
  }

  private static String owner(RequestContext ctx) {
    return "s/" + ctx.accountId() + "/" + ctx.region();
  }
}
