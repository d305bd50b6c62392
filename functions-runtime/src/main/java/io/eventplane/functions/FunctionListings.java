package io.eventplane.functions;

import io.eventplane.common.bus.ApiRequest;
import io.eventplane.functions.domain.FunctionErrors;
import io.eventplane.functions.domain.FunctionName;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * ListFunctions and ListEventSourceMappings: the client's paging members checked here, the
 * question asked of every node (each node asks every lane), the answers merged into one page.
 */
final class FunctionListings {
  /** The question to every lane: its functions of an account and region after a name. */
  static final String LIST = "eventplane:ListFunctions";
  /** The question to every lane: its event source mappings that match the filters. */
  static final String LIST_MAPPINGS = "eventplane:ListEventSourceMappings";
  private static final int MAX_LIST = 10_000;
  private static final int DEFAULT_LIST = 50;

  private final Function<ApiRequest, Future<List<JsonObject>>> everyNode;

  /** @param everyNode asks every node of the cluster a question, answered by all its lanes together */
  FunctionListings(Function<ApiRequest, Future<List<JsonObject>>> everyNode) {
    this.everyNode = everyNode;
  }

  /** ListFunctions: every node's functions of the account, in name order, MaxItems a page. */
  Future<JsonObject> listFunctions(ApiRequest request) {
    JsonObject in = request.input();
    int max = DEFAULT_LIST;
    if (in.getValue("MaxItems") != null) {
      try {
        max = Integer.parseInt(String.valueOf(in.getValue("MaxItems")));
      } catch (NumberFormatException e) {
        throw FunctionErrors.validation(String.valueOf(in.getValue("MaxItems")), "maxItems", "Member must be a number");
      }
      if (max < 1) throw FunctionErrors.validation(Integer.toString(max), "maxItems", "Member must have value greater than or equal to 1");
      if (max > MAX_LIST) throw FunctionErrors.validation(Integer.toString(max), "maxItems", "Member must have value less than or equal to " + MAX_LIST);
    }
    String after = null;
    String marker = in.getString("Marker");
    if (marker != null && !marker.isEmpty()) {
      try {
        after = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw FunctionErrors.invalid("Invalid Marker: " + marker);
      }
    }
    int page = max;
    JsonObject question = new JsonObject().put("account", request.context().accountId())
        .put("region", request.context().region()).put("after", after)
        .put("limit", page + 1);
    return everyNode.apply(new ApiRequest(LIST, question, request.context())).map(answers -> {
      List<JsonObject> all = new ArrayList<>();
      for (JsonObject a : answers) a.getJsonArray("functions").forEach(o -> all.add((JsonObject) o));
      all.sort(Comparator.comparing(o -> o.getString("FunctionName")));
      JsonArray items = new JsonArray();
      for (int i = 0; i < Math.min(page, all.size()); i++) items.add(all.get(i));
      JsonObject out = new JsonObject().put("Functions", items);
      if (all.size() > page) {
        String last = all.get(page - 1).getString("FunctionName");
        out.put("NextMarker", Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
      }
      return out;
    });
  }

  /** ListEventSourceMappings: every node's mappings of the account, filtered, in UUID order, MaxItems a page. */
  Future<JsonObject> listMappings(ApiRequest request) {
    JsonObject in = request.input();
    String account = request.context().accountId();
    String function = null;
    if (in.getString("FunctionName") != null) {
      function = FunctionName.parse(in.getString("FunctionName"), "functionName", account, request.context().region()).arn();
    }
    int max = 100;
    if (in.getValue("MaxItems") != null) {
      try {
        max = Integer.parseInt(String.valueOf(in.getValue("MaxItems")).trim());
      } catch (NumberFormatException e) {
        throw FunctionErrors.validation(String.valueOf(in.getValue("MaxItems")), "maxItems", "Member must be a number");
      }
    }
    if (max < 1 || max > 10_000) {
      throw FunctionErrors.validation(Integer.toString(max), "maxItems", "Member must have value between 1 and 10000");
    }
    String after = in.getString("Marker");
    JsonObject question = new JsonObject().put("account", account).put("region", request.context().region())
        .put("function", function)
        .put("source", in.getString("EventSourceArn"));
    int page = max;
    return everyNode.apply(new ApiRequest(LIST_MAPPINGS, question, request.context())).map(answers -> {
      List<JsonObject> all = new ArrayList<>();
      for (JsonObject a : answers) a.getJsonArray("mappings").forEach(o -> all.add((JsonObject) o));
      all.sort(Comparator.comparing(o -> o.getString("UUID")));
      if (after != null) all.removeIf(o -> o.getString("UUID").compareTo(after) <= 0);
      JsonArray items = new JsonArray();
      for (int i = 0; i < Math.min(page, all.size()); i++) items.add(all.get(i));
      JsonObject out = new JsonObject().put("EventSourceMappings", items);
      if (all.size() > page) out.put("NextMarker", all.get(page - 1).getString("UUID"));
      return out;
    });
  }

  /** One node's answer to {@link #LIST} or {@link #LIST_MAPPINGS}: its lanes' answers in one list. */
  static JsonObject merge(String operation, List<JsonObject> lanes) {
    String member = LIST.equals(operation) ? "functions" : "mappings";
    JsonArray all = new JsonArray();
    for (JsonObject lane : lanes) all.addAll(lane.getJsonArray(member));
    return new JsonObject().put(member, all);
  }
}
