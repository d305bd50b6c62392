package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * VPC links of an account and region (what HTTP_PROXY integrations with ConnectionType VPC_LINK
 * name), stored and answered as AWS does: AVAILABLE at once, version V2. This server has no VPCs;
 * such integrations are stored, not served. Owner {@code v/<account>/<region>/<id>} in the partition
 * of the account and region.
 */
public final class VpcLinks {
  private final HttpApiAccess access;

  VpcLinks(HttpApiAccess access) {
    this.access = access;
  }

  static String ownerOf(String account, String region, String id) {
    return "v/" + account + "/" + region + "/" + id;
  }

  public Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    String account = request.context().accountId();
    String region = request.context().region();
    int partition = ApiGatewayPartitions.of(account, region);
    return switch (request.operation()) {
      case "CreateVpcLink" -> {
        String name = Inputs.required(in, "Name");
        if (name.isEmpty() || name.length() > 128) throw badRequest("VPC link name must be between 1 and 128 characters");
        JsonArray subnets = Inputs.stringList(in, "SubnetIds");
        if (subnets == null) throw badRequest("Invalid input: 'subnetIds' is a required parameter");
        JsonArray groups = Inputs.stringList(in, "SecurityGroupIds");
        JsonObject tags = Inputs.stringMap(in, "Tags");
        String id = access.ids.childId();
        JsonObject link = new JsonObject().put("CreatedDate", access.now()).put("Name", name)
            .put("SecurityGroupIds", groups == null ? new JsonArray() : groups).put("SubnetIds", subnets)
            .put("Tags", tags == null ? new JsonObject() : Tags.check(tags)).put("VpcLinkId", id)
            .put("VpcLinkStatus", "AVAILABLE").put("VpcLinkStatusMessage", "VPC link is ready to route traffic")
            .put("VpcLinkVersion", "V2");
        yield access.table.serially(partition, () -> access.table.apply(partition, new Changes().putOwner(
            ownerOf(account, region, id), new JsonObject().put("Account", account).put("Region", region).put("Kind", "VPCLINK")
                .put("VpcLink", link))).map(v -> link));
      }
      case "GetVpcLink" -> Future.succeededFuture(find(request, partition).record().getJsonObject("VpcLink").copy());
      case "GetVpcLinks" -> Future.succeededFuture(Paging.page(in, access.table.all(partition).stream()
          .filter(o -> o.key().startsWith(ownerOf(account, region, "")))
          .map(o -> o.record().getJsonObject("VpcLink").copy()).toList(), "VpcLinkId"));
      case "UpdateVpcLink" -> access.table.serially(partition, () -> {
        Owner o = find(request, partition);
        JsonObject link = o.record().getJsonObject("VpcLink").copy();
        String name = Inputs.string(in, "Name");
        if (name != null) {
          if (name.isEmpty() || name.length() > 128) throw badRequest("VPC link name must be between 1 and 128 characters");
          link.put("Name", name);
        }
        return access.table.apply(partition, new Changes().putOwner(o.key(), o.record().copy().put("VpcLink", link)))
            .map(v -> link);
      });
      case "DeleteVpcLink" -> access.table.serially(partition, () -> {
        Owner o = find(request, partition);
        return access.table.apply(partition, new Changes().deleteOwner(o.key())).map(v -> new JsonObject());
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private Owner find(ApiRequest request, int partition) {
    String id = Inputs.string(request.input(), "VpcLinkId");
    Owner o = id == null ? null
        : access.table.get(partition, ownerOf(request.context().accountId(), request.context().region(), id));
    if (o == null) throw ApiGatewayErrors.notFound("Invalid VpcLink identifier specified " + request.context().accountId() + ":" + id);
    return o;
  }
}
