package io.eventplane.gateway.apigateway.invoke;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * A node's cache of custom domain names as the invoke plane serves them: per host name, the answer
 * of {@code GetServedDomainName} (the domain's owner and its API mappings, or NotFoundException when
 * no domain name has that name here), asked once however many requests miss at once, forgotten when
 * a lane announces a change of the name ({@code {"DomainName": name}}) or a reset ({@code {"All":
 * true}}) on {@code eventplane.apigateway.changed}. NotFound answers are kept too, so a host that
 * is no domain name (an SDK's endpoint) costs one bus call, not one per request; creating the name
 * announces it. Failures of the bus are not kept. Shared by the node's gateway instances.
 */
public final class CustomDomains implements io.vertx.core.shareddata.Shareable {
  private static final String LOCAL_MAP = "eventplane.apigateway.invoke";
  /** How many answers a node keeps at most (then it starts over). */
  static final int MAX_ENTRIES = BusAnswers.MAX_ENTRIES;
  /** A name API Gateway takes as a custom domain name: dotted labels ending in letters (no IP, no bare host). */
  private static final Pattern DOMAIN = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

  private final BusAnswers cache;

  CustomDomains(BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    this.cache = new BusAnswers(bus, "GetServedDomainName");
  }

  /** The node's cache, made on first use and listening for changes from then on. */
  public static CustomDomains of(Vertx vertx, BiFunction<String, ApiRequest, Future<ApiReply>> bus) {
    io.vertx.core.shareddata.LocalMap<String, CustomDomains> node = vertx.sharedData().getLocalMap(LOCAL_MAP);
    CustomDomains domains = node.get("domains");
    if (domains != null) return domains;
    CustomDomains made = new CustomDomains(bus);
    domains = node.putIfAbsent("domains", made);
    if (domains != null) return domains;
    vertx.eventBus().<JsonObject>consumer(Contracts.APIGATEWAY_CHANGED, m -> made.changed(m.body()));
    return made;
  }

  /** The host name (without port, lower case) when it could be a custom domain name, else null. */
  public static String candidate(String host) {
    String name = InvokeRoute.domainName(host).toLowerCase(Locale.ROOT);
    return name.length() <= 512 && DOMAIN.matcher(name).matches() ? name : null;
  }

  void changed(JsonObject notice) {
    if (notice == null || notice.getBoolean("All", false)) {
      cache.clear();
      return;
    }
    String name = notice.getString("DomainName");
    if (name != null) cache.remove(name.toLowerCase(Locale.ROOT));
  }

  /** What the name serves: {@code {DomainName, Account, Region, Mappings}}, or the service's error. */
  Future<ApiReply> get(String name, RequestContext context) {
    return cache.get(name, new JsonObject().put("DomainName", name), context);
  }

  /**
   * Where a request to a served domain goes: the mapping whose key is the longest whole-segment
   * prefix of the path (the empty key matches every path), that prefix taken off the path; a
   * mapping without a stage leaves the stage to the path's next segment. Null when none matches.
   */
  static InvokeRoute.Target resolve(JsonObject served, String path) {
    JsonObject best = null;
    int bestLength = -1;
    for (Object o : served.getJsonArray("Mappings", new io.vertx.core.json.JsonArray())) {
      JsonObject m = (JsonObject) o;
      String key = m.getString("ApiMappingKey", "");
      boolean matches = key.isEmpty() || path.equals("/" + key) || path.startsWith("/" + key + "/");
      if (matches && key.length() > bestLength) {
        best = m;
        bestLength = key.length();
      }
    }
    if (best == null) return null;
    String rest = bestLength == 0 ? path : path.substring(1 + bestLength);
    if (rest.isEmpty()) rest = "/";
    return new InvokeRoute.Target(best.getString("ApiId"), rest, best.getString("Stage"));
  }

  /** How many answers are kept (tests). */
  int size() {
    return cache.size();
  }
}
