package io.eventplane.functions.api;

import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceException;
import io.eventplane.functions.domain.Alias;
import io.eventplane.functions.domain.Function;
import io.eventplane.functions.domain.FunctionErrors;
import io.eventplane.functions.domain.FunctionName;
import io.eventplane.functions.domain.Functions;
import io.eventplane.functions.runtime.Instances;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Versions and aliases: PublishVersion, ListVersionsByFunction, deleting a version, and
 * Create/Get/Update/Delete/ListAliases, with Lambda's rules (a version is an immutable copy of
 * $LATEST; publishing an unchanged $LATEST returns the newest version; an alias may route a share
 * of its invocations to one more version; a version an alias uses cannot be deleted).
 */
final class VersionOperations {
  private static final Pattern ALIAS_NAME = Pattern.compile("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");
  private static final Pattern VERSION = Pattern.compile("(\\$LATEST|[0-9]+)");
  private static final int MAX_ITEMS = 10_000;

  private final Functions functions;
  private final Instances instances;
  private final Clock clock;

  VersionOperations(Functions functions, Instances instances, Clock clock) {
    this.functions = functions;
    this.instances = instances;
    this.clock = clock;
  }

  Future<JsonObject> publish(JsonObject in, RequestContext ctx) {
    Function latest = latest(in, ctx);
    String sha = FunctionInputs.string(in, "CodeSha256");
    if (sha != null && !sha.equals(latest.codeSha256())) {
      throw FunctionErrors.invalid("CodeSHA256 (" + sha + ") is different from current CodeSHA256 in $LATEST ("
          + latest.codeSha256() + "). Please try again with the current CodeSHA256.");
    }
    String revision = FunctionInputs.string(in, "RevisionId");
    if (revision != null && !revision.equals(latest.revisionId())) throw FunctionErrors.preconditionFailed();
    String description = FunctionInputs.string(in, "Description");
    if (description != null) FunctionInputs.description(description);
    return functions.publish(latest, description, clock.millis()).map(Function::configuration);
  }

  Future<JsonObject> listVersions(JsonObject in, RequestContext ctx) {
    Function latest = latest(in, ctx);
    List<JsonObject> all = new ArrayList<>();
    all.add(latest.configuration(Function.View.LISTED).put("FunctionArn", latest.arn() + ":" + Function.LATEST));
    for (Function v : functions.versions(latest)) all.add(v.configuration(Function.View.LISTED));
    return Future.succeededFuture(page(all, in, "Versions"));
  }

  /** DeleteFunction with a version number as qualifier. */
  Future<JsonObject> deleteVersion(Function latest, String number, String region) {
    Function version = functions.version(latest, number);
    if (version == null) throw FunctionErrors.notFound(latest.arn() + ":" + number);
    List<String> users = new ArrayList<>();
    for (Alias a : functions.aliases(latest)) {
      if (a.functionVersion().equals(number) || a.additionalWeights().containsKey(number)) users.add(a.name());
    }
    if (!users.isEmpty()) {
      throw new ServiceException("ResourceConflictException",
          "Unable to delete version because the following aliases reference it: " + users);
    }
    return functions.deleteVersion(latest, version).map(v -> {
      instances.retire(version.versionArn());
      return new JsonObject();
    });
  }

  Future<JsonObject> createAlias(JsonObject in, RequestContext ctx) {
    Function latest = latest(in, ctx);
    String name = aliasName(in);
    if (functions.alias(latest, name) != null) {
      throw new ServiceException("ResourceConflictException", "Alias already exists: " + latest.arn() + ":" + name);
    }
    String version = version(latest, FunctionInputs.string(in, "FunctionVersion"));
    Map<String, Double> weights = weights(latest, in, version);
    String description = FunctionInputs.description(orDefault(FunctionInputs.string(in, "Description"), ""));
    Alias alias = new Alias(latest.accountId(), latest.region(), latest.name(), name, version, description, UUID.randomUUID().toString(),
        weights == null ? Map.of() : weights);
    return functions.putAlias(latest, alias).map(a -> a.configuration());
  }

  Future<JsonObject> getAlias(JsonObject in, RequestContext ctx) {
    Function latest = latest(in, ctx);
    return Future.succeededFuture(existingAlias(latest, in).configuration());
  }

  Future<JsonObject> updateAlias(JsonObject in, RequestContext ctx) {
    Function latest = latest(in, ctx);
    Alias alias = existingAlias(latest, in);
    String revision = FunctionInputs.string(in, "RevisionId");
    if (revision != null && !revision.equals(alias.revisionId())) throw FunctionErrors.preconditionFailed();
    String requested = FunctionInputs.string(in, "FunctionVersion");
    String version = requested == null ? alias.functionVersion() : version(latest, requested);
    Map<String, Double> weights = weights(latest, in, version);
    if (weights == null) {
      weights = alias.additionalWeights();
      if (weights.containsKey(version) || (!weights.isEmpty() && Function.LATEST.equals(version))) {
        throw FunctionErrors.invalid("The alias's additional version must differ from its FunctionVersion, which cannot be $LATEST.");
      }
    }
    String description = in.getValue("Description") == null ? alias.description()
        : FunctionInputs.description(FunctionInputs.string(in, "Description"));
    Alias next = new Alias(alias.accountId(), alias.region(), alias.functionName(), alias.name(), version, description,
        UUID.randomUUID().toString(), weights);
    return functions.putAlias(latest, next).map(a -> a.configuration());
  }

  Future<JsonObject> deleteAlias(JsonObject in, RequestContext ctx) {
    Function latest = latest(in, ctx);
    Alias alias = functions.alias(latest, aliasName(in));
    if (alias == null) return Future.succeededFuture(new JsonObject());
    return functions.deleteAlias(latest, alias).map(v -> new JsonObject());
  }

  Future<JsonObject> listAliases(JsonObject in, RequestContext ctx) {
    Function latest = latest(in, ctx);
    String version = FunctionInputs.string(in, "FunctionVersion");
    List<JsonObject> all = new ArrayList<>();
    for (Alias a : functions.aliases(latest)) {
      if (version == null || a.functionVersion().equals(version)) all.add(a.configuration());
    }
    return Future.succeededFuture(page(all, in, "Aliases"));
  }

  private Function latest(JsonObject in, RequestContext ctx) {
    FunctionName name = FunctionName.unqualified(in.getString("FunctionName"), "functionName", ctx.accountId(), ctx.region());
    return functions.require(name, ctx.region());
  }

  private Alias existingAlias(Function latest, JsonObject in) {
    String name = aliasName(in);
    Alias alias = functions.alias(latest, name);
    if (alias == null) throw new ServiceException("ResourceNotFoundException", "Alias not found: " + latest.arn() + ":" + name);
    return alias;
  }

  private static String aliasName(JsonObject in) {
    String name = FunctionInputs.string(in, "Name");
    if (name == null) throw FunctionErrors.validation("null", "name", "Member must not be null");
    if (name.isEmpty() || name.length() > 128) {
      throw FunctionErrors.validation(name, "name", "Member must have length between 1 and 128");
    }
    if (!ALIAS_NAME.matcher(name).matches()) {
      throw FunctionErrors.validation(name, "name", "Member must satisfy regular expression pattern: " + ALIAS_NAME.pattern());
    }
    return name;
  }

  /** A version an alias may point to: $LATEST or a published one. */
  private String version(Function latest, String version) {
    if (version == null) throw FunctionErrors.validation("null", "functionVersion", "Member must not be null");
    if (version.isEmpty() || version.length() > 1024 || !VERSION.matcher(version).matches()) {
      throw FunctionErrors.validation(version, "functionVersion", "Member must satisfy regular expression pattern: "
          + VERSION.pattern());
    }
    if (!Function.LATEST.equals(version) && functions.version(latest, version) == null) {
      throw FunctionErrors.notFound(latest.arn() + ":" + version);
    }
    return version;
  }

  /** RoutingConfig.AdditionalVersionWeights: null when absent; at most one published version other than the alias's. */
  private Map<String, Double> weights(Function latest, JsonObject in, String version) {
    JsonObject routing = FunctionInputs.object(in, "RoutingConfig");
    if (routing == null) return null;
    Object raw = routing.getValue("AdditionalVersionWeights");
    if (raw == null) return Map.of();
    if (!(raw instanceof JsonObject weights)) throw FunctionInputs.serialization("RoutingConfig.AdditionalVersionWeights");
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : weights) {
      if (!(e.getValue() instanceof Number n)) throw FunctionInputs.serialization("RoutingConfig.AdditionalVersionWeights");
      double w = n.doubleValue();
      if (w < 0.0 || w > 1.0) {
        throw FunctionErrors.validation(String.valueOf(w), "routingConfig.additionalVersionWeights",
            "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, "
                + "Member must have value greater than or equal to 0.0]");
      }
      if (!e.getKey().chars().allMatch(Character::isDigit) || e.getKey().isEmpty()) {
        throw FunctionErrors.validation(e.getKey(), "routingConfig.additionalVersionWeights",
            "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]+]");
      }
      if (functions.version(latest, e.getKey()) == null) throw FunctionErrors.notFound(latest.arn() + ":" + e.getKey());
      out.put(e.getKey(), w);
    }
    if (out.size() > 1) throw FunctionErrors.invalid("Number of items in AdditionalVersionWeights cannot be greater than 1");
    if (!out.isEmpty() && Function.LATEST.equals(version)) {
      throw FunctionErrors.invalid("$LATEST is not supported for an alias pointing to more than 1 version");
    }
    if (out.containsKey(version)) {
      throw FunctionErrors.invalid("Invalid function version " + version + ". Function version " + version
          + " is already included in routing configuration.");
    }
    return out;
  }

  /** A page of {@code items} after the Marker (an index), MaxItems long, as {@code member} with NextMarker. */
  private static JsonObject page(List<JsonObject> items, JsonObject in, String member) {
    int max = in.getValue("MaxItems") == null ? 50 : FunctionInputs.range(number(in.getValue("MaxItems")), "maxItems", 1, MAX_ITEMS);
    int from = 0;
    String marker = FunctionInputs.string(in, "Marker");
    if (marker != null) {
      try {
        from = Integer.parseInt(marker);
      } catch (NumberFormatException e) {
        throw FunctionErrors.invalid("Invalid Marker: " + marker);
      }
      if (from < 0 || from > items.size()) throw FunctionErrors.invalid("Invalid Marker: " + marker);
    }
    int to = Math.min(items.size(), from + max);
    JsonObject out = new JsonObject().put(member, new JsonArray(new ArrayList<>(items.subList(from, to))));
    if (to < items.size()) out.put("NextMarker", Integer.toString(to));
    return out;
  }

  /** MaxItems arrives as a query string. */
  private static Object number(Object value) {
    if (value instanceof String s) {
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        throw FunctionErrors.validation(s, "maxItems", "Member must be a number");
      }
    }
    return value;
  }

  private static <T> T orDefault(T value, T otherwise) {
    return value == null ? otherwise : value;
  }
}
