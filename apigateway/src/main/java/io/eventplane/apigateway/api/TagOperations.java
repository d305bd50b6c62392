package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.ApiIds;
import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TagResource, UntagResource and GetTags on the ARNs of API Gateway v2's resources:
 * {@code arn:aws:apigateway:<region>::/apis/<id>}, an API's stage
 * ({@code .../apis/<id>/stages/<name>}), a domain name ({@code ::/domainnames/<name>}) and a VPC
 * link ({@code ::/vpclinks/<id>}).
 * The tags live in the resource's own {@code Tags} member.
 */
public final class TagOperations {
  private static final Pattern ARN = Pattern.compile(
      "arn:aws[a-z-]*:apigateway:([a-z0-9-]+)::/(?:apis/([a-z0-9]+)(?:/stages/([^/]+))?|domainnames/([^/]+)|vpclinks/([a-z0-9]+))");

  private final HttpApiAccess access;

  TagOperations(HttpApiAccess access) {
    this.access = access;
  }

  /** A tagged resource: the owner it belongs to, and where its tags are. */
  private record Target(Owner owner, String stage, int partition) {}

  public Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "GetTags" -> Future.succeededFuture(new JsonObject().put("Tags", tagsOf(find(request)).copy()));
      case "TagResource" -> {
        JsonObject tags = Inputs.stringMap(in, "Tags");
        if (tags == null) throw badRequest("Invalid input: 'tags' is a required parameter");
        yield change(request, current -> {
          JsonObject merged = current.copy().mergeIn(tags);
          Tags.check(merged);
          return merged;
        });
      }
      case "UntagResource" -> {
        JsonArray keys = Inputs.stringList(in, "TagKeys");
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

  private Future<JsonObject> change(ApiRequest request, java.util.function.UnaryOperator<JsonObject> change) {
    Target first = find(request);
    return access.table.serially(first.partition(), () -> {
      Target t = find(request);
      JsonObject tags = change.apply(tagsOf(t));
      Changes changes = new Changes();
      Owner o = t.owner();
      if (t.stage() != null) {
        changes.putChild(o.key(), HttpApiAccess.STAGE, t.stage(), o.child(HttpApiAccess.STAGE, t.stage()).copy().put("Tags", tags));
      } else {
        String member = resourceMember(o.record());
        changes.putOwner(o.key(), o.record().copy().put(member, o.record().getJsonObject(member).copy().put("Tags", tags)));
      }
      Future<Void> written = access.table.apply(t.partition(), changes);
      if (o.record().containsKey("Api")) written = written.onSuccess(v -> access.changed(o.record().getJsonObject("Api").getString("ApiId")));
      return written.map(v -> new JsonObject());
    });
  }

  private static JsonObject tagsOf(Target t) {
    if (t.stage() != null) return t.owner().child(HttpApiAccess.STAGE, t.stage()).getJsonObject("Tags", new JsonObject());
    JsonObject r = t.owner().record();
    return r.getJsonObject(resourceMember(r)).getJsonObject("Tags", new JsonObject());
  }

  /** Where an owner's record keeps the resource (and its tags). */
  private static String resourceMember(JsonObject record) {
    return record.containsKey("Api") ? "Api" : record.containsKey("VpcLink") ? "VpcLink" : "DomainName";
  }

  private Target find(ApiRequest request) {
    String arn = Inputs.required(request.input(), "ResourceArn");
    Matcher m = ARN.matcher(arn);
    String account = request.context().accountId();
    String region = request.context().region();
    if (!m.matches() || !m.group(1).equals(region)) throw notFound(arn);
    if (m.group(2) != null) {
      Owner api;
      try {
        api = access.find(request.context(), m.group(2));
      } catch (RuntimeException e) {
        throw notFound(arn);
      }
      String stage = m.group(3) == null ? null : java.net.URLDecoder.decode(m.group(3), java.nio.charset.StandardCharsets.UTF_8);
      if (stage != null && api.child(HttpApiAccess.STAGE, stage) == null) throw notFound(arn);
      return new Target(api, stage, ApiIds.partitionOf(m.group(2)));
    }
    int partition = ApiGatewayPartitions.of(account, region);
    if (m.group(5) != null) {
      Owner link = access.table.get(partition, VpcLinks.ownerOf(account, region, m.group(5)));
      if (link == null) throw notFound(arn);
      return new Target(link, null, partition);
    }
    Owner domain = access.table.get(partition, DomainNames.ownerOf(account, region, m.group(4)));
    if (domain == null) throw notFound(arn);
    return new Target(domain, null, partition);
  }

  private static RuntimeException notFound(String arn) {
    return ApiGatewayErrors.notFound("Invalid resource identifier specified " + arn);
  }
}
