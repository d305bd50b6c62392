package io.eventplane.broker.topic.api;

import io.eventplane.broker.topic.domain.TopicErrors;
import io.eventplane.broker.topic.mobile.MobileState;
import io.eventplane.broker.topic.mobile.PlatformApplication;
import io.eventplane.broker.topic.mobile.PlatformArn;
import io.eventplane.broker.topic.mobile.PlatformEndpoint;
import io.eventplane.common.bus.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Platform applications and their endpoints (mobile push): created, listed, changed and deleted
 * as SNS does; what is published to an endpoint is recorded, not sent (no push service is
 * reached). An application and its endpoints are one record in the application's partition.
 */
final class PlatformOperations {
  static final int PAGE = 100;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");

  private final MobileState mobile;

  PlatformOperations(MobileState mobile) {
    this.mobile = mobile;
  }

  Future<JsonObject> createPlatformApplication(JsonObject in, RequestContext ctx) {
    String name = Inputs.required(in, "Name");
    String platform = Inputs.required(in, "Platform");
    Map<String, String> attributes = Inputs.stringMap(in, "Attributes");
    if (!NAME.matcher(name).matches()) throw TopicErrors.invalidParameter("Name");
    if (!PlatformArn.PLATFORMS.contains(platform)) throw TopicErrors.invalidParameter("Platform");
    PlatformArn arn = new PlatformArn(ctx.region(), ctx.accountId(), platform, name, null);
    PlatformApplication existing = mobile.application(arn.toString());
    PlatformApplication app = existing != null ? existing : new PlatformApplication(arn, Map.of());
    // Creating it again sets the attributes given, as SNS does; the endpoints stay.
    app.attributes().putAll(attributes);
    return mobile.saveApplication(app).map(v -> new JsonObject().put("PlatformApplicationArn", arn.toString()));
  }

  Future<JsonObject> getPlatformApplicationAttributes(JsonObject in) {
    PlatformApplication app = application(in);
    return Future.succeededFuture(new JsonObject().put("Attributes", json(app.describe())));
  }

  Future<JsonObject> setPlatformApplicationAttributes(JsonObject in) {
    PlatformApplication app = application(in);
    if (in.getValue("Attributes") == null) throw TopicErrors.missing("Attributes");
    app.attributes().putAll(Inputs.stringMap(in, "Attributes"));
    return mobile.saveApplication(app).map(v -> new JsonObject());
  }

  /** Deleting an application that does not exist succeeds, as in SNS; its endpoints go with it. */
  Future<JsonObject> deletePlatformApplication(JsonObject in) {
    PlatformArn arn = applicationArn(in);
    PlatformApplication app = mobile.application(arn.toString());
    if (app == null) return Future.succeededFuture(new JsonObject());
    return mobile.deleteApplication(app).map(v -> new JsonObject());
  }

  /** ListPlatformApplications' share of this lane. */
  JsonArray applications(String account, String region) {
    JsonArray out = new JsonArray();
    for (PlatformApplication a : mobile.applications(account, region)) {
      out.add(new JsonObject().put("PlatformApplicationArn", a.arnString()).put("Attributes", json(a.describe())));
    }
    return out;
  }

  /**
   * CreatePlatformEndpoint. It is idempotent by token: the token's endpoint is answered again
   * when the CustomUserData and attributes given match what it has; otherwise SNS refuses, naming
   * the endpoint. An endpoint's id is derived from its application and token (a name-based UUID,
   * as SNS's ids are), so the same token gets the same ARN again after a delete (unless another
   * endpoint, whose token was changed since, holds that id).
   */
  Future<JsonObject> createPlatformEndpoint(JsonObject in) {
    PlatformApplication app = application(in);
    String token = Inputs.required(in, "Token");
    String userData = Inputs.optional(in, "CustomUserData");
    Map<String, String> attributes = Inputs.stringMap(in, "Attributes");
    if (token.isEmpty()) throw TopicErrors.invalidParameter("Token Reason: cannot be empty");
    Map<String, String> wanted = new LinkedHashMap<>(attributes);
    if (userData != null) wanted.put("CustomUserData", userData);
    wanted.put("Token", token);
    normalizeEnabled(wanted);
    PlatformEndpoint existing = app.endpointOfToken(token);
    if (existing != null) {
      for (Map.Entry<String, String> e : wanted.entrySet()) {
        if (!e.getValue().equals(existing.attributes().get(e.getKey()))) {
          throw TopicErrors.invalidParameter("Token Reason: Endpoint " + existing.arn()
              + " already exists with the same Token, but different attributes.");
        }
      }
      return Future.succeededFuture(new JsonObject().put("EndpointArn", existing.arn()));
    }
    wanted.putIfAbsent("Enabled", "true");
    PlatformArn a = app.arn();
    String id = UUID.nameUUIDFromBytes((a + "\u0000" + token).getBytes(StandardCharsets.UTF_8)).toString();
    String arn = new PlatformArn(a.region(), a.accountId(), a.platform(), a.application(), id).toString();
    if (app.endpoints().containsKey(arn)) {
      // That endpoint's token was changed (SetEndpointAttributes): this token gets an id of its own.
      arn = new PlatformArn(a.region(), a.accountId(), a.platform(), a.application(), io.eventplane.common.id.Ids.uuid()).toString();
    }
    String created = arn;
    app.endpoints().put(created, new PlatformEndpoint(created, wanted));
    return mobile.saveApplication(app).map(v -> new JsonObject().put("EndpointArn", created));
  }

  Future<JsonObject> getEndpointAttributes(JsonObject in) {
    PlatformEndpoint e = endpoint(in);
    return Future.succeededFuture(new JsonObject().put("Attributes", json(e.describe())));
  }

  Future<JsonObject> setEndpointAttributes(JsonObject in) {
    PlatformEndpoint e = endpoint(in);
    if (in.getValue("Attributes") == null) throw TopicErrors.missing("Attributes");
    Map<String, String> attributes = Inputs.stringMap(in, "Attributes");
    normalizeEnabled(attributes);
    e.attributes().putAll(attributes);
    PlatformApplication app = mobile.application(PlatformArn.endpoint(e.arn()).applicationArn().toString());
    return mobile.saveApplication(app).map(v -> new JsonObject());
  }

  /** Deleting an endpoint that does not exist succeeds, as in SNS. */
  Future<JsonObject> deleteEndpoint(JsonObject in) {
    String arn = Inputs.required(in, "EndpointArn");
    PlatformArn parsed = PlatformArn.endpoint(arn);
    if (parsed == null) throw TopicErrors.invalidParameter("EndpointArn");
    PlatformApplication app = mobile.application(parsed.applicationArn().toString());
    if (app == null || app.endpoints().remove(arn) == null) return Future.succeededFuture(new JsonObject());
    return mobile.saveApplication(app).map(v -> new JsonObject());
  }

  Future<JsonObject> listEndpointsByPlatformApplication(JsonObject in) {
    PlatformApplication app = application(in);
    String after = Inputs.optional(in, "NextToken") == null ? null : PageTokens.decode(in.getString("NextToken"));
    List<PlatformEndpoint> all = new ArrayList<>(app.endpoints().values());
    all.sort(java.util.Comparator.comparing(PlatformEndpoint::arn));
    JsonArray page = new JsonArray();
    String last = null;
    boolean more = false;
    for (PlatformEndpoint e : all) {
      if (after != null && e.arn().compareTo(after) <= 0) continue;
      if (page.size() == PAGE) {
        more = true;
        break;
      }
      page.add(new JsonObject().put("EndpointArn", e.arn()).put("Attributes", json(e.describe())));
      last = e.arn();
    }
    JsonObject out = new JsonObject().put("Endpoints", page);
    if (more) out.put("NextToken", PageTokens.encode(last));
    return Future.succeededFuture(out);
  }

  /** The endpoint a TargetArn names, enabled, for a direct publish; refused in SNS's words otherwise. */
  PlatformEndpoint target(String arn) {
    PlatformArn parsed = PlatformArn.endpoint(arn);
    PlatformApplication app = parsed == null ? null : mobile.application(parsed.applicationArn().toString());
    PlatformEndpoint e = app == null ? null : app.endpoints().get(arn);
    if (e == null) throw TopicErrors.invalidParameter("TargetArn Reason: No endpoint found for the target arn specified");
    if (!e.enabled()) throw TopicErrors.endpointDisabled();
    return e;
  }

  private static void normalizeEnabled(Map<String, String> attributes) {
    String enabled = attributes.get("Enabled");
    if (enabled == null) return;
    if (!enabled.equalsIgnoreCase("true") && !enabled.equalsIgnoreCase("false")) {
      throw TopicErrors.invalidParameter("Attributes Reason: Enabled must be true or false");
    }
    attributes.put("Enabled", enabled.toLowerCase(java.util.Locale.ROOT));
  }

  private PlatformEndpoint endpoint(JsonObject in) {
    String arn = Inputs.required(in, "EndpointArn");
    PlatformArn parsed = PlatformArn.endpoint(arn);
    if (parsed == null) throw TopicErrors.invalidParameter("EndpointArn");
    PlatformApplication app = mobile.application(parsed.applicationArn().toString());
    PlatformEndpoint e = app == null ? null : app.endpoints().get(arn);
    if (e == null) throw TopicErrors.endpointNotFound();
    return e;
  }

  private PlatformApplication application(JsonObject in) {
    PlatformApplication app = mobile.application(applicationArn(in).toString());
    if (app == null) throw TopicErrors.applicationNotFound();
    return app;
  }

  private static PlatformArn applicationArn(JsonObject in) {
    String arn = Inputs.required(in, "PlatformApplicationArn");
    PlatformArn parsed = PlatformArn.application(arn);
    if (parsed == null) throw TopicErrors.invalidParameter("PlatformApplicationArn");
    return parsed;
  }

  private static JsonObject json(Map<String, String> map) {
    JsonObject out = new JsonObject();
    map.forEach(out::put);
    return out;
  }
}
