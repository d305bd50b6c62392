package io.eventplane.apigateway.api;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Custom domain names of an account and region and their API mappings (an API's stage under a
 * path of the domain), stored and answered as AWS does; this server does not serve requests by
 * them. A domain name is the owner {@code d/<account>/<region>/<name>} in the partition of its
 * account and region (where the account's APIs live too), its mappings its children.
 */
public final class DomainNames {
  static final String MAPPING = "apimapping";
  private static final Pattern DOMAIN = Pattern.compile("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
  private static final Pattern MAPPING_KEY = Pattern.compile("[A-Za-z0-9._~/-]{0,256}");

  private final HttpApiAccess access;

  DomainNames(HttpApiAccess access) {
    this.access = access;
  }

  static String ownerOf(String account, String region, String name) {
    return "d/" + account + "/" + region + "/" + name;
  }

  public Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    String account = request.context().accountId();
    String region = request.context().region();
    int partition = ApiGatewayPartitions.of(account, region);
    return switch (request.operation()) {
      case "CreateDomainName" -> create(request, partition);
      case "GetDomainName" -> Future.succeededFuture(find(request, partition).record().getJsonObject("DomainName").copy());
      case "GetDomainNames" -> Future.succeededFuture(Paging.page(in, access.table.all(partition).stream()
          .filter(o -> o.key().startsWith(ownerOf(account, region, "")))
          .map(o -> o.record().getJsonObject("DomainName").copy()).toList(), "DomainName"));
      case "UpdateDomainName" -> access.table.serially(partition, () -> {
        Owner d = find(request, partition);
        JsonObject domain = d.record().getJsonObject("DomainName").copy();
        JsonArray configurations = Inputs.array(in, "DomainNameConfigurations");
        if (configurations != null) domain.put("DomainNameConfigurations", configurations(configurations, region));
        JsonObject mtls = Inputs.object(in, "MutualTlsAuthentication");
        if (mtls != null) domain.put("MutualTlsAuthentication", mtls);
        return access.table.apply(partition, new Changes().putOwner(d.key(), d.record().copy().put("DomainName", domain)))
            .map(v -> domain);
      });
      case "DeleteDomainName" -> access.table.serially(partition, () -> {
        Owner d = find(request, partition);
        return access.table.apply(partition, new Changes().deleteOwner(d.key())).map(v -> new JsonObject());
      });
      case "CreateApiMapping" -> access.table.serially(partition, () -> {
        Owner d = find(request, partition);
        JsonObject mapping = checkMapping(request, d, new JsonObject(), null);
        String id = access.ids.childId();
        mapping.put("ApiMappingId", id);
        return access.table.apply(partition, new Changes().putChild(d.key(), MAPPING, id, mapping)).map(v -> mapping);
      });
      case "GetApiMapping" -> Future.succeededFuture(mapping(request, find(request, partition)).copy());
      case "GetApiMappings" -> Future.succeededFuture(Paging.page(in,
          List.copyOf(find(request, partition).children(MAPPING).values()), "ApiMappingId"));
      case "UpdateApiMapping" -> access.table.serially(partition, () -> {
        Owner d = find(request, partition);
        JsonObject old = mapping(request, d);
        JsonObject mapping = checkMapping(request, d, old.copy(), old.getString("ApiMappingId"));
        return access.table.apply(partition, new Changes().putChild(d.key(), MAPPING, old.getString("ApiMappingId"), mapping))
            .map(v -> mapping);
      });
      case "DeleteApiMapping" -> access.table.serially(partition, () -> {
        Owner d = find(request, partition);
        JsonObject old = mapping(request, d);
        return access.table.apply(partition, new Changes().deleteChild(d.key(), MAPPING, old.getString("ApiMappingId")))
            .map(v -> new JsonObject());
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private Future<JsonObject> create(ApiRequest request, int partition) {
    JsonObject in = request.input();
    String account = request.context().accountId();
    String region = request.context().region();
    String name = Inputs.required(in, "DomainName").toLowerCase(Locale.ROOT);
    if (name.length() > 512 || !DOMAIN.matcher(name).matches()) throw badRequest("Invalid domain name specified: " + name);
    JsonObject domain = new JsonObject().put("ApiMappingSelectionExpression", "$request.basepath").put("DomainName", name)
        .put("DomainNameArn", "arn:aws:apigateway:" + region + "::/domainnames/" + name);
    JsonArray configurations = Inputs.array(in, "DomainNameConfigurations");
    domain.put("DomainNameConfigurations", configurations(configurations == null ? new JsonArray() : configurations, region));
    JsonObject mtls = Inputs.object(in, "MutualTlsAuthentication");
    if (mtls != null) domain.put("MutualTlsAuthentication", mtls);
    JsonObject tags = Inputs.stringMap(in, "Tags");
    domain.put("Tags", tags == null ? new JsonObject() : Tags.check(tags));
    String key = ownerOf(account, region, name);
    return access.table.serially(partition, () -> {
      if (access.table.get(partition, key) != null) throw ApiGatewayErrors.conflict("The domain name you provided already exists.");
      return access.table.apply(partition, new Changes().putOwner(key, new JsonObject().put("Account", account)
          .put("Region", region).put("Kind", "DOMAIN").put("DomainName", domain))).map(v -> domain);
    });
  }

  /** The configurations as AWS answers them: each with its API Gateway domain name and status. */
  private JsonArray configurations(JsonArray in, String region) {
    JsonArray out = new JsonArray();
    for (Object o : in) {
      if (!(o instanceof JsonObject c)) throw badRequest("Invalid input for 'domainNameConfigurations': expected objects");
      JsonObject x = c.copy();
      String endpointType = Inputs.oneOf(Inputs.string(c, "EndpointType"), "EndpointType", List.of("REGIONAL", "EDGE"));
      x.put("EndpointType", endpointType == null ? "REGIONAL" : endpointType);
      x.put("SecurityPolicy", Inputs.oneOf(Inputs.string(c, "SecurityPolicy") == null ? "TLS_1_2" : Inputs.string(c, "SecurityPolicy"),
          "SecurityPolicy", List.of("TLS_1_0", "TLS_1_2")));
      x.put("ApiGatewayDomainName", "d-" + access.ids.childId() + "abc.execute-api." + region + ".amazonaws.com");
      x.put("DomainNameStatus", "AVAILABLE");
      x.put("HostedZoneId", "Z1UJRXOUMOOFQ8");
      out.add(x);
    }
    return out;
  }

  private Owner find(ApiRequest request, int partition) {
    String name = Inputs.string(request.input(), "DomainName");
    Owner d = name == null ? null
        : access.table.get(partition, ownerOf(request.context().accountId(), request.context().region(), name.toLowerCase(Locale.ROOT)));
    if (d == null) throw ApiGatewayErrors.notFound("The domain name resource specified in the request was not found.");
    return d;
  }

  private static JsonObject mapping(ApiRequest request, Owner d) {
    String id = Inputs.string(request.input(), "ApiMappingId");
    JsonObject m = id == null ? null : d.child(MAPPING, id);
    if (m == null) throw ApiGatewayErrors.notFound("The API mapping resource specified in the request was not found.");
    return m;
  }

  private JsonObject checkMapping(ApiRequest request, Owner d, JsonObject mapping, String self) {
    JsonObject in = request.input();
    String apiId = self == null ? Inputs.required(in, "ApiId") : Inputs.string(in, "ApiId");
    String stage = self == null ? Inputs.required(in, "Stage") : Inputs.string(in, "Stage");
    String key = Inputs.string(in, "ApiMappingKey");
    if (apiId != null) mapping.put("ApiId", apiId);
    if (stage != null) mapping.put("Stage", stage);
    if (key != null) {
      if (!MAPPING_KEY.matcher(key).matches() || key.startsWith("/") || key.endsWith("/")) {
        throw badRequest("Invalid API mapping key specified: " + key);
      }
      mapping.put("ApiMappingKey", key);
    }
    if (!mapping.containsKey("ApiMappingKey")) mapping.put("ApiMappingKey", "");
    Owner api = access.find(request.context(), mapping.getString("ApiId"));
    if (api.child(HttpApiAccess.STAGE, mapping.getString("Stage")) == null) {
      throw badRequest("Invalid stage identifier specified");
    }
    for (JsonObject other : d.children(MAPPING).values()) {
      if (other.getString("ApiMappingKey").equals(mapping.getString("ApiMappingKey")) && !other.getString("ApiMappingId").equals(self)) {
        throw ApiGatewayErrors.conflict("API mapping already exists for this domain name and key");
      }
    }
    return mapping;
  }
}
