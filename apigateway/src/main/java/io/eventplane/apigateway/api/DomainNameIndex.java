package io.eventplane.apigateway.api;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.partition.Partitions;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Custom domain names found by the name alone, as a request's Host names them. A domain name's
 * record and its mappings live with its account and region ({@code d/<account>/<region>/<name>} in
 * that partition, beside the account's APIs, so a mapping's API and stage are checked in one turn);
 * this index keeps, in a partition derived from the name ({@link #partitionOf}), the owner
 * {@code n/<name>} saying whose it is ({@code {Account, Region}}). The index is also what makes
 * domain names one namespace for v1 and v2 and for every account and region: a name is claimed here
 * before it is created, and released after it is deleted.
 *
 * <p>Operations (internal: no wire protocol names them): {@code eventplane:ClaimDomainName} and
 * {@code eventplane:ReleaseDomainName} {@code {DomainName, Account, Region}} at the name's
 * partition; {@code GetServedDomainName} {@code {DomainName}} (the invoke plane's question, from
 * any node) at the name's partition, which asks {@code eventplane:DomainNameMappings} of the owning
 * account's partition and answers {@code {DomainName, Account, Region, Mappings: [{ApiId, Stage,
 * ApiMappingKey}]}}, or NotFoundException. Every change to a domain name or its mappings publishes
 * {@code {"DomainName": name}} on {@code eventplane.apigateway.changed}.
 */
public final class DomainNameIndex {
  public static final String CLAIM = "eventplane:ClaimDomainName";
  public static final String RELEASE = "eventplane:ReleaseDomainName";
  public static final String SERVED = "GetServedDomainName";
  static final String MAPPINGS = "eventplane:DomainNameMappings";
  /** Operations that run at the partition of the name they carry. */
  static final Set<String> BY_NAME = Set.of(CLAIM, RELEASE, SERVED);
  private static final String KIND = "DOMAININDEX";
  /**
   * The index's writes take turns apart from the rest of their partition's ({@code serially} of
   * this offset): a claim is made inside the creator's turn of its account's partition, which may
   * be the name's partition too, and must not wait for that turn to end.
   */
  private static final int INDEX_TURNS = 1 << 20;

  private final ApiTable table;
  private final EventBus bus;
  private final Function<ApiRequest, Future<JsonObject>> calls;

  /** @param calls sends a request to the lane owning its partition, wherever it is */
  public DomainNameIndex(ApiTable table, EventBus bus, Function<ApiRequest, Future<JsonObject>> calls) {
    this.table = table;
    this.bus = bus;
    this.calls = calls;
  }

  public static boolean handles(String operation) {
    return BY_NAME.contains(operation) || MAPPINGS.equals(operation);
  }

  /** The partition holding a domain name's index entry. */
  public static int partitionOf(String name) {
    return Partitions.of("apigateway", "domainname", name == null ? "" : name.toLowerCase(Locale.ROOT));
  }

  /** The owner key of a domain name's record in its account's partition. */
  public static String ownerOf(String account, String region, String name) {
    return "d/" + account + "/" + region + "/" + name;
  }

  public Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    String name = in.getString("DomainName", "").toLowerCase(Locale.ROOT);
    int partition = partitionOf(name);
    String key = "n/" + name;
    return switch (request.operation()) {
      case CLAIM -> table.serially(INDEX_TURNS + partition, () -> {
        Owner held = table.get(partition, key);
        if (held != null) {
          if (!sameOwner(held, in)) throw ApiGatewayErrors.conflict("The domain name you provided already exists.");
          return Future.succeededFuture(new JsonObject());
        }
        return table.apply(partition, new Changes().putOwner(key, new JsonObject().put("Account", in.getString("Account"))
            .put("Region", in.getString("Region")).put("Kind", KIND))).map(v -> new JsonObject());
      });
      case RELEASE -> table.serially(INDEX_TURNS + partition, () -> {
        Owner held = table.get(partition, key);
        if (held == null || !sameOwner(held, in)) return Future.succeededFuture(new JsonObject());
        return table.apply(partition, new Changes().deleteOwner(key)).map(v -> new JsonObject());
      });
      case SERVED -> {
        Owner held = table.get(partition, key);
        if (held == null) throw ApiGatewayErrors.notFound("Invalid domain name identifier specified");
        RequestContext owner = new RequestContext(held.record().getString("Account"), held.record().getString("Region"),
            request.context().requestId(), request.context().baseUrl());
        yield calls.apply(new ApiRequest(MAPPINGS, new JsonObject().put("DomainName", name), owner));
      }
      case MAPPINGS -> {
        String account = request.context().accountId();
        String region = request.context().region();
        Owner domain = table.get(ApiGatewayPartitions.of(account, region), ownerOf(account, region, name));
        if (domain == null) throw ApiGatewayErrors.notFound("Invalid domain name identifier specified");
        JsonArray mappings = new JsonArray();
        for (JsonObject m : domain.children(DomainNames.MAPPING).values()) {
          mappings.add(new JsonObject().put("ApiId", m.getString("ApiId")).put("Stage", m.getString("Stage"))
              .put("ApiMappingKey", m.getString("ApiMappingKey", "")));
        }
        yield Future.succeededFuture(new JsonObject().put("DomainName", name).put("Account", account).put("Region", region)
            .put("Mappings", mappings));
      }
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  private static boolean sameOwner(Owner held, JsonObject in) {
    return held.record().getString("Account", "").equals(in.getString("Account"))
        && held.record().getString("Region", "").equals(in.getString("Region"));
  }

  /** Claims {@code name} for the caller's account and region: ConflictException when another holds it. */
  public Future<Void> claim(RequestContext context, String name) {
    return calls.apply(new ApiRequest(CLAIM, entry(context, name), context)).mapEmpty();
  }

  /** Releases the caller's claim on {@code name} (nothing when it is not theirs). */
  public Future<Void> release(RequestContext context, String name) {
    return calls.apply(new ApiRequest(RELEASE, entry(context, name), context)).mapEmpty();
  }

  /** Tells every gateway that a domain name or its mappings changed. */
  public void changed(String name) {
    bus.publish(Contracts.APIGATEWAY_CHANGED, new JsonObject().put("DomainName", name));
  }

  /**
   * Creates a domain name: claims it, then writes {@code changes} in the account's partition (the
   * caller is in that partition's turn); a failed write gives the claim back.
   */
  public Future<Void> create(RequestContext context, String name, Changes changes) {
    int partition = ApiGatewayPartitions.of(context.accountId(), context.region());
    return claim(context, name).compose(v -> table.apply(partition, changes)
        .recover(e -> release(context, name).transform(r -> Future.<Void>failedFuture(e))))
        .onSuccess(v -> changed(name));
  }

  /** Deletes a domain name's record (in the caller's turn of its account's partition), then its claim. */
  public Future<Void> delete(RequestContext context, String name, String ownerKey) {
    int partition = ApiGatewayPartitions.of(context.accountId(), context.region());
    return table.apply(partition, new Changes().deleteOwner(ownerKey))
        .compose(v -> release(context, name))
        .onSuccess(v -> changed(name));
  }

  private static JsonObject entry(RequestContext context, String name) {
    return new JsonObject().put("DomainName", name).put("Account", context.accountId()).put("Region", context.region());
  }
}
