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
 * path of the domain), as v2 answers them. A domain name is the owner
 * {@code d/<account>/<region>/<name>} in the partition of its account and region (where the
 * account's APIs live too), its mappings its children; v1's domain names and base path mappings
 * ({@code rest.RestDomainNames}) are the same records, and names are claimed in the
 * {@link DomainNameIndex} (one namespace for v1, v2 and every account), which the invoke plane
 * asks to serve requests by Host.
 */
public final class DomainNames {
  static final String MAPPING = "apimapping";
  /** The child kind of a REST API's stages (v1's {@code RestAccess.STAGE}). */
  private static final String REST_STAGE = "r.stage";
  private static final Pattern DOMAIN = Pattern.compile("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
  private static final Pattern MAPPING_KEY = Pattern.compile("[A-Za-z0-9._~/-]{0,256}");

  private final HttpApiAccess access;
  private final DomainNameIndex index;

  DomainNames(HttpApiAccess access, DomainNameIndex index) {
    this.access = access;
    this.index = index;
  }

  static String ownerOf(String account, String region, String name) {
    return DomainNameIndex.ownerOf(account, region, name);
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
        return index.delete(request.context(), d.record().getJsonObject("DomainName").getString("DomainName"), d.key())
            .map(v -> new JsonObject());
      });
      case "CreateApiMapping" -> access.table.serially(partition, () -> {
        Owner d = find(request, partition);
        JsonObject mapping = checkMapping(request, d, new JsonObject(), null);
        String id = access.ids.childId();
        mapping.put("ApiMappingId", id);
        return access.table.apply(partition, new Changes().putChild(d.key(), MAPPING, id, mapping)).map(v -> changed(d, mapping));
      });
      case "GetApiMapping" -> Future.succeededFuture(mapping(request, find(request, partition)).copy());
      case "GetApiMappings" -> Future.succeededFuture(Paging.page(in,
          List.copyOf(find(request, partition).children(MAPPING).values()), "ApiMappingId"));
      case "UpdateApiMapping" -> access.table.serially(partition, () -> {
        Owner d = find(request, partition);
        JsonObject old = mapping(request, d);
        JsonObject mapping = checkMapping(request, d, old.copy(), old.getString("ApiMappingId"));
        return access.table.apply(partition, new Changes().putChild(d.key(), MAPPING, old.getString("ApiMappingId"), mapping))
            .map(v -> changed(d, mapping));
      });
      case "DeleteApiMapping" -> access.table.serially(partition, () -> {
        Owner d = find(request, partition);
        JsonObject old = mapping(request, d);
        return access.table.apply(partition, new Changes().deleteChild(d.key(), MAPPING, old.getString("ApiMappingId")))
            .map(v -> changed(d, new JsonObject()));
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
      return index.create(request.context(), name, new Changes().putOwner(key, new JsonObject().put("Account", account)
          .put("Region", region).put("Kind", "DOMAIN").put("DomainName", domain))).map(v -> domain);
    });
  }

  private JsonObject changed(Owner d, JsonObject output) {
    index.changed(d.record().getJsonObject("DomainName").getString("DomainName"));
    return output;
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
      boolean edge = "EDGE".equals(x.getString("EndpointType"));
      x.put("ApiGatewayDomainName", edge ? cloudFrontName(access.ids.childId()) : regionalName(access.ids.childId(), region));
      x.put("DomainNameStatus", "AVAILABLE");
      x.put("HostedZoneId", edge ? HostedZones.CLOUDFRONT : HostedZones.regional(region));
      out.add(x);
    }
    return out;
  }

  /** A regional domain name's target as AWS names them: {@code d-<10 characters>.execute-api.<region>.amazonaws.com}. */
  public static String regionalName(String sevenCharacterId, String region) {
    return "d-" + sevenCharacterId + "abc" + ".execute-api." + region + ".amazonaws.com";
  }

  /** An edge-optimized domain name's CloudFront distribution: {@code d<13 characters>.cloudfront.net}. */
  public static String cloudFrontName(String sevenCharacterId) {
    return "d" + sevenCharacterId + "abcdef" + ".cloudfront.net";
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
    // v2 maps REST APIs too (how a REST API gets a multi-level key); their stages are v1's children.
    String mapped = mapping.getString("ApiId");
    int at = io.eventplane.apigateway.ApiIds.partitionOf(mapped);
    Owner rest = at < 0 ? null : access.table.get(at, "a/" + mapped);
    boolean isRest = rest != null && "REST".equals(rest.record().getString("Kind"))
        && request.context().accountId().equals(rest.record().getString("Account"))
        && request.context().region().equals(rest.record().getString("Region"));
    Owner api = isRest ? rest : access.find(request.context(), mapped);
    if (api.child(isRest ? REST_STAGE : HttpApiAccess.STAGE, mapping.getString("Stage")) == null) {
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
