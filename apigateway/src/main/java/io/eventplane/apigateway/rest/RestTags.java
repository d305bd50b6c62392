package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.ApiIds;
import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TagResource, UntagResource and GetTags of the REST API's resources by ARN: a REST API
 * ({@code arn:aws:apigateway:<region>::/restapis/<id>}), its stage ({@code .../restapis/<id>/stages/<name>}),
 * an API key ({@code ::/apikeys/<id>}) and a usage plan ({@code ::/usageplans/<id>}). The tags live in
 * the resource's own {@code tags} member (absent when there are none).
 */
final class RestTags {
  static final int MAX = 50;
  private static final Pattern ARN = Pattern.compile(
      "arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/(?:restapis/([a-z0-9]+)(?:/stages/([^/]+))?|apikeys/([a-z0-9]+)|usageplans/([a-z0-9]+))");

  private final RestAccess access;

  RestTags(RestAccess access) {
    this.access = access;
  }

  static JsonObject check(JsonObject tags) {
    if (tags.size() > MAX) throw badRequest("Too many tags: at most " + MAX + " are allowed per resource");
    for (Map.Entry<String, Object> e : tags) {
      String k = e.getKey();
      if (k.isEmpty() || k.length() > 128) throw badRequest("Tag keys must be between 1 and 128 characters");
      if (k.toLowerCase(Locale.ROOT).startsWith("aws:")) throw badRequest("Tag keys cannot start with 'aws:'");
      if (((String) e.getValue()).length() > 256) throw badRequest("Tag values must be at most 256 characters");
    }
    return tags.copy();
  }

  /** A tagged resource: its owner, the stage when a stage's, the member holding the resource, its partition. */
  private record Target(Owner owner, String stage, String member, int partition) {
    JsonObject resource() {
      return stage != null ? owner.child(RestAccess.STAGE, stage) : owner.record().getJsonObject(member);
    }
  }

  Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "GetTags" -> Future.succeededFuture(new JsonObject().put("tags", find(request).resource().getJsonObject("tags", new JsonObject()).copy()));
      case "TagResource" -> {
        JsonObject tags = RestInputs.stringMap(in, "tags");
        if (tags == null) throw badRequest("Invalid input: 'tags' is a required parameter");
        yield change(request, current -> check(current.copy().mergeIn(tags)));
      }
      case "UntagResource" -> {
        JsonArray keys = RestInputs.stringList(in, "tagKeys");
        if (keys == null || keys.isEmpty()) throw badRequest("Invalid input: 'tagKeys' is a required parameter");
        yield change(request, current -> {
          JsonObject left = current.copy();
          keys.forEach(k -> left.remove((String) k));
          return left;
        });
      }
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private Future<JsonObject> change(ApiRequest request, UnaryOperator<JsonObject> change) {
    int partition = find(request).partition();
    return access.table.serially(partition, () -> {
      Target t = find(request);
      JsonObject resource = t.resource().copy();
      JsonObject tags = change.apply(resource.getJsonObject("tags", new JsonObject()));
      if (tags.isEmpty()) resource.remove("tags");
      else resource.put("tags", tags);
      Owner o = t.owner();
      Changes changes = new Changes();
      if (t.stage() != null) changes.putChild(o.key(), RestAccess.STAGE, t.stage(), resource);
      else changes.putOwner(o.key(), o.record().copy().put(t.member(), resource));
      Future<Void> written = access.table.apply(partition, changes);
      if (t.member().equals("RestApi")) written = written.onSuccess(v -> access.changed(List.of(o.record().getJsonObject("RestApi").getString("id"))));
      return written.map(v -> new JsonObject());
    });
  }

  private Target find(ApiRequest request) {
    String arn = RestInputs.required(request.input(), "resourceArn");
    Matcher m = ARN.matcher(arn);
    RequestContext ctx = request.context();
    if (!m.matches()) throw badRequest("Invalid resource ARN specified: " + arn);
    if (!m.group(1).equals(ctx.region())) throw notFound(arn);
    if (m.group(2) != null) {
      Owner api = access.findAnywhere(m.group(2));
      if (api == null || !RestAccess.mine(api, ctx)) throw notFound(arn);
      String stage = m.group(3) == null ? null : URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
      if (stage != null && api.child(RestAccess.STAGE, stage) == null) throw notFound(arn);
      return new Target(api, stage, "RestApi", ApiIds.partitionOf(m.group(2)));
    }
    int partition = RestAccess.partitionOf(ctx);
    String key = m.group(4) != null ? RestAccess.keyOwner(ctx.accountId(), ctx.region(), m.group(4))
        : RestAccess.planOwner(ctx.accountId(), ctx.region(), m.group(5));
    Owner o = access.table.get(partition, key);
    if (o == null) throw notFound(arn);
    return new Target(o, null, m.group(4) != null ? "ApiKey" : "UsagePlan", partition);
  }

  private static RuntimeException notFound(String arn) {
    return ApiGatewayErrors.notFound("Invalid resource identifier specified " + arn);
  }
}
