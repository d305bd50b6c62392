package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.conflict;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.notFound;

import io.eventplane.apigateway.api.DomainNameIndex;
import io.eventplane.apigateway.api.DomainNames;
import io.eventplane.apigateway.api.HostedZones;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * v1's custom domain names (CreateDomainName, GetDomainName(s), UpdateDomainName by patch,
 * DeleteDomainName) and base path mappings (Create/Get/Update/Delete BasePathMapping(s)). They are
 * v2's records ({@link DomainNames}: the owner {@code d/<account>/<region>/<name>} with the v2
 * GetDomainName output as {@code DomainName}, mappings as {@code apimapping} children in v2's shape),
 * answered in v1's shape: a name made by either API is seen, mapped and deleted by the other, as on
 * AWS. A base path is a mapping's {@code ApiMappingKey}; {@code (none)} is the empty key. The
 * certificate is stored, not checked. Used only on the lane's context.
 */
final class RestDomainNames {
  private static final String MAPPING = "apimapping";
  private static final Pattern DOMAIN = Pattern.compile("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
  private static final Pattern BASE_PATH = Pattern.compile("[A-Za-z0-9._~-]{1,256}");
  private static final String NONE = "(none)";

  private final RestAccess access;
  private final DomainNameIndex index;
  private final Patches domainPatches = new Patches()
      .scalar("certificateName", Patches.Kind.STRING, true)
      .scalar("certificateArn", Patches.Kind.STRING, true)
      .scalar("regionalCertificateName", Patches.Kind.STRING, true)
      .scalar("regionalCertificateArn", Patches.Kind.STRING, true)
      .scalar("securityPolicy", Patches.Kind.STRING, false);
  private final Patches mappingPatches = new Patches()
      .scalar("basePath", Patches.Kind.STRING, false)
      .scalar("/restapiId", "restApiId", Patches.Kind.STRING, false)
      .scalar("restApiId", Patches.Kind.STRING, false)
      .scalar("stage", Patches.Kind.STRING, false);

  RestDomainNames(RestAccess access, DomainNameIndex index) {
    this.access = access;
    this.index = index;
  }

  Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    RequestContext ctx = request.context();
    int partition = RestAccess.partitionOf(ctx);
    return switch (request.operation()) {
      case "CreateDomainName" -> create(ctx, in, partition);
      case "GetDomainName" -> Future.succeededFuture(view(find(ctx, partition, in)));
      case "GetDomainNames" -> {
        // OTHER_ACCOUNTS lists private domain names shared with the caller, which this server does not have.
        boolean others = "OTHER_ACCOUNTS".equals(RestInputs.string(in, "resourceOwner"));
        List<JsonObject> all = (others ? List.<Owner>of() : access.accountOwners("d", ctx.accountId(), ctx.region())).stream()
            .map(RestDomainNames::view)
            .sorted(Comparator.comparing(d -> d.getString("domainName"))).toList();
        yield Future.succeededFuture(RestPaging.page(in, all, "domainName"));
      }
      case "UpdateDomainName" -> access.table.serially(partition, () -> {
        Owner d = find(ctx, partition, in);
        JsonObject patched = domainPatches.apply(view(d), in);
        String policy = patched.getString("securityPolicy");
        if (!List.of("TLS_1_0", "TLS_1_2").contains(policy)) throw badRequest("Invalid security policy specified: " + policy);
        JsonObject domain = d.record().getJsonObject("DomainName").copy();
        JsonArray configurations = new JsonArray();
        for (Object o : domain.getJsonArray("DomainNameConfigurations", new JsonArray())) {
          JsonObject c = ((JsonObject) o).copy();
          boolean edge = "EDGE".equals(c.getString("EndpointType"));
          putOrRemove(c, "CertificateArn", patched.getString(edge ? "certificateArn" : "regionalCertificateArn"));
          putOrRemove(c, "CertificateName", patched.getString(edge ? "certificateName" : "regionalCertificateName"));
          c.put("SecurityPolicy", policy);
          configurations.add(c);
        }
        domain.put("DomainNameConfigurations", configurations);
        JsonObject record = d.record().copy().put("DomainName", domain);
        return access.table.apply(partition, new Changes().putOwner(d.key(), record)).map(v -> {
          index.changed(domain.getString("DomainName"));
          return view(access.table.get(partition, d.key()));
        });
      });
      case "DeleteDomainName" -> access.table.serially(partition, () -> {
        Owner d = find(ctx, partition, in);
        return index.delete(ctx, d.record().getJsonObject("DomainName").getString("DomainName"), d.key()).map(v -> new JsonObject());
      });
      case "CreateBasePathMapping" -> access.table.serially(partition, () -> {
        Owner d = find(ctx, partition, in);
        String basePath = basePath(RestInputs.string(in, "basePath"));
        JsonObject mapping = new JsonObject().put("ApiMappingId", access.id(6)).put("ApiMappingKey", basePath);
        check(ctx, d, mapping, RestInputs.required(in, "restApiId"), RestInputs.string(in, "stage"), null);
        return write(partition, d, mapping);
      });
      case "GetBasePathMapping" -> Future.succeededFuture(mappingView(mapping(find(ctx, partition, in), in)));
      case "GetBasePathMappings" -> {
        List<JsonObject> all = new ArrayList<>();
        for (JsonObject m : find(ctx, partition, in).children(MAPPING).values()) all.add(mappingView(m));
        all.sort(Comparator.comparing(m -> m.getString("basePath")));
        yield Future.succeededFuture(RestPaging.page(in, all, "basePath"));
      }
      case "UpdateBasePathMapping" -> access.table.serially(partition, () -> {
        Owner d = find(ctx, partition, in);
        JsonObject old = mapping(d, in);
        JsonObject patched = mappingPatches.apply(mappingView(old), in);
        JsonObject mapping = old.copy().put("ApiMappingKey", basePath(patched.getString("basePath")));
        check(ctx, d, mapping, patched.getString("restApiId"), patched.getString("stage"), old.getString("ApiMappingId"));
        return write(partition, d, mapping);
      });
      case "DeleteBasePathMapping" -> access.table.serially(partition, () -> {
        Owner d = find(ctx, partition, in);
        JsonObject old = mapping(d, in);
        return access.table.apply(partition, new Changes().deleteChild(d.key(), MAPPING, old.getString("ApiMappingId")))
            .map(v -> {
              index.changed(d.record().getJsonObject("DomainName").getString("DomainName"));
              return new JsonObject();
            });
      });
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private Future<JsonObject> create(RequestContext ctx, JsonObject in, int partition) {
    String given = RestInputs.string(in, "domainName");
    if (given == null || given.isEmpty()) throw badRequest("No Domain Name specified");
    String name = given.toLowerCase(Locale.ROOT);
    if (name.length() > 512 || !DOMAIN.matcher(name).matches()) throw badRequest("Invalid domain name specified: " + given);
    String type = "EDGE";
    JsonObject endpoint = RestInputs.object(in, "endpointConfiguration");
    JsonArray types = endpoint == null ? null : RestInputs.stringList(endpoint, "types");
    if (types != null && !types.isEmpty()) {
      if (types.size() > 1) throw badRequest("Cannot create an api with multiple Endpoint Types.");
      type = RestInputs.oneOf(types.getString(0), "types", List.of("EDGE", "REGIONAL"));
    }
    boolean edge = type.equals("EDGE");
    String policy = RestInputs.string(in, "securityPolicy");
    policy = RestInputs.oneOf(policy == null ? "TLS_1_2" : policy, "securityPolicy", List.of("TLS_1_0", "TLS_1_2"));
    JsonObject configuration = new JsonObject().put("EndpointType", type).put("DomainNameStatus", "AVAILABLE")
        .put("SecurityPolicy", policy)
        .put("ApiGatewayDomainName", edge ? DomainNames.cloudFrontName(access.ids.childId())
            : DomainNames.regionalName(access.ids.childId(), ctx.region()))
        .put("HostedZoneId", edge ? HostedZones.CLOUDFRONT : HostedZones.regional(ctx.region()));
    putOrRemove(configuration, "CertificateArn", RestInputs.string(in, edge ? "certificateArn" : "regionalCertificateArn"));
    putOrRemove(configuration, "CertificateName", RestInputs.string(in, edge ? "certificateName" : "regionalCertificateName"));
    // Stored in v2's shape (ISO-8601, as v2 answers dates); v1 answers epoch seconds.
    if (edge) configuration.put("CertificateUploadDate", java.time.Instant.ofEpochSecond(access.now()).toString());
    JsonObject tags = RestInputs.stringMap(in, "tags");
    JsonObject domain = new JsonObject().put("ApiMappingSelectionExpression", "$request.basepath").put("DomainName", name)
        .put("DomainNameArn", "arn:aws:apigateway:" + ctx.region() + "::/domainnames/" + name)
        .put("DomainNameConfigurations", new JsonArray().add(configuration))
        .put("Tags", tags == null ? new JsonObject() : RestTags.check(tags));
    String key = DomainNameIndex.ownerOf(ctx.accountId(), ctx.region(), name);
    return access.table.serially(partition, () -> {
      if (access.table.get(partition, key) != null) throw conflict("The domain name you provided already exists.");
      return index.create(ctx, name, new Changes().putOwner(key, new JsonObject().put("Account", ctx.accountId())
          .put("Region", ctx.region()).put("Kind", "DOMAIN").put("DomainName", domain)))
          .map(v -> view(access.table.get(partition, key)));
    });
  }

  /** A stored domain name in GetDomainName's (v1) shape. */
  static JsonObject view(Owner d) {
    JsonObject domain = d.record().getJsonObject("DomainName");
    JsonObject out = new JsonObject().put("domainName", domain.getString("DomainName"));
    JsonArray configurations = domain.getJsonArray("DomainNameConfigurations", new JsonArray());
    JsonObject c = configurations.isEmpty() ? new JsonObject().put("EndpointType", "REGIONAL") : configurations.getJsonObject(0);
    boolean edge = "EDGE".equals(c.getString("EndpointType"));
    copy(c, "CertificateName", out, edge ? "certificateName" : "regionalCertificateName");
    copy(c, "CertificateArn", out, edge ? "certificateArn" : "regionalCertificateArn");
    if (edge && c.getValue("CertificateUploadDate") instanceof String uploaded) {
      out.put("certificateUploadDate", java.time.Instant.parse(uploaded).getEpochSecond());
    }
    copy(c, "ApiGatewayDomainName", out, edge ? "distributionDomainName" : "regionalDomainName");
    copy(c, "HostedZoneId", out, edge ? "distributionHostedZoneId" : "regionalHostedZoneId");
    out.put("endpointConfiguration", new JsonObject().put("types", new JsonArray().add(c.getString("EndpointType"))));
    out.put("domainNameStatus", c.getString("DomainNameStatus", "AVAILABLE"));
    out.put("securityPolicy", c.getString("SecurityPolicy", "TLS_1_2"));
    out.put("domainNameArn", domain.getString("DomainNameArn"));
    JsonObject tags = domain.getJsonObject("Tags");
    if (tags != null && !tags.isEmpty()) out.put("tags", tags.copy());
    return out;
  }

  private Owner find(RequestContext ctx, int partition, JsonObject in) {
    String name = RestInputs.string(in, "domainName");
    Owner d = name == null ? null
        : access.table.get(partition, DomainNameIndex.ownerOf(ctx.accountId(), ctx.region(), name.toLowerCase(Locale.ROOT)));
    if (d == null) throw notFound("Invalid domain name identifier specified");
    return d;
  }

  private static JsonObject mapping(Owner d, JsonObject in) {
    String basePath = RestInputs.string(in, "basePath");
    String key = basePath == null || basePath.equals(NONE) ? "" : basePath;
    for (JsonObject m : d.children(MAPPING).values()) if (key.equals(m.getString("ApiMappingKey", ""))) return m;
    throw notFound("Invalid base path mapping identifier specified");
  }

  /** A stored mapping in GetBasePathMapping's shape. */
  private static JsonObject mappingView(JsonObject m) {
    String key = m.getString("ApiMappingKey", "");
    JsonObject out = new JsonObject().put("basePath", key.isEmpty() ? NONE : key).put("restApiId", m.getString("ApiId"));
    if (m.getString("Stage") != null) out.put("stage", m.getString("Stage"));
    return out;
  }

  /** The mapping key of a v1 base path: {@code (none)} or absent is the empty key; v1 refuses a slash. */
  private static String basePath(String basePath) {
    if (basePath == null || basePath.isEmpty() || basePath.equals(NONE)) return "";
    if (basePath.contains("/")) {
      throw badRequest("API Gateway V1 doesn't support the slash character (/) in base path mappings. "
          + "To create a multi-level base path mapping, use API Gateway V2.");
    }
    if (!BASE_PATH.matcher(basePath).matches()) throw badRequest("Invalid base path specified: " + basePath);
    return basePath;
  }

  /** Checks a mapping's API (the caller's REST API), stage and key; fills them into {@code mapping}. */
  private void check(RequestContext ctx, Owner d, JsonObject mapping, String restApiId, String stage, String self) {
    Owner api = restApiId == null ? null : access.findAnywhere(restApiId);
    if (api == null || !RestAccess.mine(api, ctx)) throw badRequest("Invalid REST API identifier specified");
    if (stage != null && !stage.isEmpty() && api.child(RestAccess.STAGE, stage) == null) {
      throw badRequest("Invalid stage identifier specified");
    }
    mapping.put("ApiId", restApiId);
    if (stage == null || stage.isEmpty()) mapping.remove("Stage");
    else mapping.put("Stage", stage);
    for (JsonObject other : d.children(MAPPING).values()) {
      if (other.getString("ApiMappingKey", "").equals(mapping.getString("ApiMappingKey")) && !other.getString("ApiMappingId").equals(self)) {
        throw conflict("Base path already exists for this domain name");
      }
    }
  }

  private Future<JsonObject> write(int partition, Owner d, JsonObject mapping) {
    return access.table.apply(partition, new Changes().putChild(d.key(), MAPPING, mapping.getString("ApiMappingId"), mapping))
        .map(v -> {
          index.changed(d.record().getJsonObject("DomainName").getString("DomainName"));
          return mappingView(mapping);
        });
  }

  private static void copy(JsonObject from, String member, JsonObject to, String as) {
    if (from.getValue(member) != null) to.put(as, from.getValue(member));
  }

  private static void putOrRemove(JsonObject o, String member, String value) {
    if (value == null) o.remove(member);
    else o.put(member, value);
  }
}
