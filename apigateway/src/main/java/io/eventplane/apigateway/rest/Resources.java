package io.eventplane.apigateway.rest;

import static io.eventplane.apigateway.domain.ApiGatewayErrors.badRequest;
import static io.eventplane.apigateway.domain.ApiGatewayErrors.conflict;
import static io.eventplane.apigateway.rest.RestAccess.RESOURCE;

import io.eventplane.apigateway.domain.ApiGatewayErrors;
import io.eventplane.apigateway.domain.ApiTable.Changes;
import io.eventplane.apigateway.domain.ApiTable.Owner;
import io.eventplane.common.bus.ApiRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CreateResource, GetResource, GetResources (with {@code embed=methods}), UpdateResource
 * ({@code /pathPart}, {@code /parentId}) and DeleteResource (with everything under it). A path part
 * is a literal, a variable {@code {name}} or a greedy variable {@code {name+}}; siblings may not share
 * a path part (ConflictException) nor both be variables, and a greedy resource has no children.
 * Used only on the lane's context.
 */
final class Resources {
  static final int RESOURCES_PER_API = 300;
  static final Pattern PATH_PART = Pattern.compile("[a-zA-Z0-9._:-]+|\\{[a-zA-Z0-9._-]+\\+?}");

  private final RestAccess access;

  Resources(RestAccess access) {
    this.access = access;
  }

  Future<JsonObject> handle(ApiRequest request) {
    JsonObject in = request.input();
    return switch (request.operation()) {
      case "CreateResource" -> access.change(request, api -> create(api, in));
      case "GetResource" -> Future.succeededFuture(output(find(access.find(request), in), embed(in)));
      case "GetResources" -> Future.succeededFuture(list(access.find(request), in));
      case "UpdateResource" -> access.change(request, api -> update(api, in));
      case "DeleteResource" -> access.change(request, api -> delete(api, in));
      default -> throw new IllegalArgumentException(request.operation());
    };
  }

  /** The resource the call's {@code resourceId} names; else NotFoundException. */
  static JsonObject find(Owner api, JsonObject in) {
    String id = RestInputs.string(in, "resourceId");
    JsonObject resource = id == null ? null : api.child(RESOURCE, id);
    if (resource == null) throw ApiGatewayErrors.notFound("Invalid Resource identifier specified");
    return resource;
  }

  private static boolean embed(JsonObject in) {
    Object embed = in.getValue("embed");
    if (embed instanceof JsonArray a) return a.contains("methods");
    return "methods".equals(embed);
  }

  /** A resource as GetResource answers it: its methods in full when embedded, else each as an empty object. */
  static JsonObject output(JsonObject resource, boolean embedMethods) {
    JsonObject out = resource.copy();
    JsonObject methods = out.getJsonObject("resourceMethods");
    if (methods != null && !embedMethods) {
      JsonObject names = new JsonObject();
      methods.fieldNames().forEach(m -> names.put(m, new JsonObject()));
      out.put("resourceMethods", names);
    }
    if (methods != null && methods.isEmpty()) out.remove("resourceMethods");
    return out;
  }

  /** The API's resources in path order, as GetResources answers. */
  static List<JsonObject> sorted(Owner api) {
    return api.children(RESOURCE).values().stream().sorted(Comparator.comparing((JsonObject r) -> r.getString("path"))
        .thenComparing(r -> r.getString("id"))).toList();
  }

  private JsonObject list(Owner api, JsonObject in) {
    boolean embed = embed(in);
    List<JsonObject> all = sorted(api).stream().map(r -> output(r, embed)).toList();
    return RestPaging.page(in, all, r -> r.getString("path") + "\0" + r.getString("id"));
  }

  private RestAccess.Change create(Owner api, JsonObject in) {
    JsonObject parent = api.child(RESOURCE, RestInputs.required(in, "parentId"));
    if (parent == null) throw ApiGatewayErrors.notFound("Invalid Resource identifier specified");
    String pathPart = RestInputs.required(in, "pathPart");
    checkPlacement(api, parent, pathPart, null);
    if (api.children(RESOURCE).size() >= RESOURCES_PER_API) {
      throw ApiGatewayErrors.limitExceeded("Maximum number of Resources for this API has been reached: " + RESOURCES_PER_API);
    }
    // A child resource's id has 6 characters on AWS; only the root's has 10.
    String id = access.id(6);
    JsonObject resource = new JsonObject().put("id", id).put("parentId", parent.getString("id")).put("pathPart", pathPart)
        .put("path", childPath(parent, pathPart));
    return new RestAccess.Change(new Changes().putChild(api.key(), RESOURCE, id, resource), output(resource, false));
  }

  private RestAccess.Change update(Owner api, JsonObject in) {
    JsonObject resource = find(api, in);
    String pathPart = resource.getString("pathPart");
    String parentId = resource.getString("parentId");
    for (Patches.Op op : Patches.of(in)) {
      if (!op.op().equals("replace")) throw Patches.invalid(op);
      boolean root = resource.getString("parentId") == null;
      switch (op.path()) {
        case "/pathPart" -> {
          if (root) throw badRequest("Root resource cannot update its pathPart.");
          pathPart = op.requiredValue();
        }
        case "/parentId" -> {
          if (root) throw badRequest("Root resource cannot update its parentId.");
          parentId = op.requiredValue();
        }
        default -> throw badRequest("Invalid patch path  '" + op.path() + "' specified for op 'replace'. Must be one of: "
            + "[/parentId, /pathPart]");
      }
    }
    if (parentId == null) return new RestAccess.Change(new Changes(), output(resource, false));
    JsonObject parent = api.child(RESOURCE, parentId);
    if (parent == null) throw ApiGatewayErrors.notFound("Invalid Resource identifier specified");
    for (JsonObject p = parent; p != null; p = p.getString("parentId") == null ? null : api.child(RESOURCE, p.getString("parentId"))) {
      if (p.getString("id").equals(resource.getString("id"))) throw badRequest("Resources cannot be cyclical.");
    }
    checkPlacement(api, parent, pathPart, resource.getString("id"));
    Changes changes = new Changes();
    JsonObject moved = resource.copy().put("parentId", parentId).put("pathPart", pathPart).put("path", childPath(parent, pathPart));
    changes.putChild(api.key(), RESOURCE, moved.getString("id"), moved);
    // Descendants' paths follow their ancestor's.
    Map<String, JsonObject> resources = api.children(RESOURCE);
    Deque<JsonObject> todo = new ArrayDeque<>(List.of(moved));
    while (!todo.isEmpty()) {
      JsonObject p = todo.pop();
      for (JsonObject child : resources.values()) {
        if (!p.getString("id").equals(child.getString("parentId"))) continue;
        JsonObject updated = child.copy().put("path", childPath(p, child.getString("pathPart")));
        changes.putChild(api.key(), RESOURCE, updated.getString("id"), updated);
        todo.push(updated);
      }
    }
    return new RestAccess.Change(changes, output(moved, false));
  }

  private RestAccess.Change delete(Owner api, JsonObject in) {
    JsonObject resource = find(api, in);
    if (resource.getString("parentId") == null) throw badRequest("Cannot delete root resource");
    Changes changes = new Changes();
    for (String id : subtree(api, resource.getString("id"))) changes.deleteChild(api.key(), RESOURCE, id);
    return new RestAccess.Change(changes, new JsonObject());
  }

  /** The ids of a resource and its descendants. */
  private static List<String> subtree(Owner api, String rootId) {
    List<String> out = new ArrayList<>(List.of(rootId));
    for (int i = 0; i < out.size(); i++) {
      String parent = out.get(i);
      for (JsonObject r : api.children(RESOURCE).values()) if (parent.equals(r.getString("parentId"))) out.add(r.getString("id"));
    }
    return out;
  }

  private static void checkPlacement(Owner api, JsonObject parent, String pathPart, String self) {
    if (!PATH_PART.matcher(pathPart).matches()) {
      throw badRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an "
          + "optional plus sign before the closing brace.");
    }
    String parentPart = parent.getString("pathPart");
    if (parentPart != null && parentPart.endsWith("+}")) {
      throw badRequest("Cannot create a child of a resource with a greedy path variable: " + parentPart);
    }
    boolean variable = pathPart.startsWith("{");
    for (JsonObject sibling : api.children(RESOURCE).values()) {
      if (!parent.getString("id").equals(sibling.getString("parentId")) || sibling.getString("id").equals(self)) continue;
      String other = sibling.getString("pathPart");
      if (other.equals(pathPart)) throw conflict("Another resource with the same parent already has this name: " + pathPart);
      if (variable && other.startsWith("{")) {
        throw badRequest("A sibling (" + other + ") of this resource already has a variable path part -- only one is allowed");
      }
    }
  }

  private static String childPath(JsonObject parent, String pathPart) {
    String p = parent.getString("path");
    return (p.endsWith("/") ? p : p + "/") + pathPart;
  }
}
