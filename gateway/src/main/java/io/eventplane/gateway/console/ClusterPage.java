package io.eventplane.gateway.console;

import io.eventplane.common.bus.Contracts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster as this node sees it (the admin endpoint's DescribeCluster, what
 * {@code /_eventplane/cluster} answers): its members; which node owns and which replicate each
 * partition, with the replication lag (writes and milliseconds behind) of the partitions this node
 * owns (the owner measures a partition's lag, so another node's partitions show theirs on that
 * node's console); and the placement changes this node applied lately (failovers, handovers,
 * replica changes: a bounded in-memory log per node, empty again after a restart). A standalone
 * node owns every partition alone: no replicas, no lag, no failovers.
 */
final class ClusterPage {
  private ClusterPage() {}

  static Future<String> render(Caller caller) {
    Future<JsonObject> health = caller.node(Contracts.ADMIN, "Health");
    return caller.node(Contracts.ADMIN, "DescribeCluster").compose(cluster -> health
        .transform(h -> Future.succeededFuture(html(cluster, h.succeeded() ? h.result() : null))));
  }

  private static String html(JsonObject cl, JsonObject health) {
    StringBuilder b = new StringBuilder();
    String self = cl.getString("nodeId");
    boolean standalone = !"cluster".equals(cl.getString("mode"));
    b.append("<dl class=\"facts\"><div><dt>Mode</dt><dd id=\"cluster-mode\">").append(Html.text(cl.getString("mode")))
        .append("</dd></div><div><dt>This node</dt><dd id=\"cluster-self\">").append(Html.text(self)).append("</dd></div>")
        .append("<div><dt>Health</dt><dd class=\"health\">").append(health == null ? "unreachable" : Html.text(health.getString("status")))
        .append("</dd></div>");
    if (cl.getValue("replicationFactor") != null) {
      b.append("<div><dt>Replication factor</dt><dd>").append(Html.text(cl.getValue("replicationFactor"))).append("</dd></div>");
    }
    b.append("</dl>");

    JsonObject placement = cl.getJsonObject("placement", new JsonObject());
    JsonArray partitions = placement.getJsonArray("partitions", new JsonArray());
    Map<String, int[]> perNode = new TreeMap<>();
    for (Object o : partitions) {
      JsonObject p = (JsonObject) o;
      perNode.computeIfAbsent(p.getString("owner"), k -> new int[2])[0]++;
      for (Object r : p.getJsonArray("replicas", new JsonArray())) {
        if (!r.equals(p.getString("owner"))) perNode.computeIfAbsent((String) r, k -> new int[2])[1]++;
      }
    }
    JsonArray live = placement.getJsonArray("live", new JsonArray());
    b.append("<section aria-labelledby=\"nodes-h\"><h2 id=\"nodes-h\">Nodes</h2><table id=\"nodes\"><caption>Members</caption>")
        .append("<thead><tr><th scope=\"col\">Node</th><th scope=\"col\">Address</th><th scope=\"col\">This node</th>")
        .append("<th scope=\"col\">Live in the placement</th><th scope=\"col\">Partitions owned</th>")
        .append("<th scope=\"col\">Partitions replicated</th></tr></thead><tbody>");
    for (Object o : cl.getJsonArray("members", new JsonArray())) {
      JsonObject m = (JsonObject) o;
      String id = m.getString("nodeId");
      int[] counts = perNode.getOrDefault(id, new int[2]);
      b.append("<tr><th scope=\"row\">").append(Html.text(id)).append("</th><td>").append(Html.text(m.getString("address", "-")))
          .append("</td><td>").append(m.getBoolean("self", false) ? "yes" : "no").append("</td><td>")
          .append(standalone ? "yes" : live.contains(id) ? "yes" : "no").append("</td><td>")
          .append(standalone ? "all" : Integer.toString(counts[0])).append("</td><td>").append(counts[1]).append("</td></tr>");
    }
    b.append("</tbody></table></section>");

    b.append("<section aria-labelledby=\"placement-h\"><h2 id=\"placement-h\">Partition placement and replication lag</h2>");
    if (standalone) {
      b.append("<p id=\"placement-standalone\">Standalone: this node owns all ").append(io.eventplane.common.partition.Partitions.COUNT)
          .append(" partitions, with no replicas (nothing to lag, nothing to fail over).</p>");
    } else {
      b.append("<p>Lag is measured by each partition's owner: this node shows it for the partitions it owns (writes the ")
          .append("replica has not acknowledged, and the age of the oldest of them; -1 ms while the replica catches up).</p>")
          .append("<table id=\"placement\"><caption>Partitions (").append(partitions.size()).append(")</caption><thead><tr>")
          .append("<th scope=\"col\">Partition</th><th scope=\"col\">Owner</th><th scope=\"col\">Replicas</th>")
          .append("<th scope=\"col\">Epoch</th><th scope=\"col\">Replication lag</th></tr></thead><tbody>");
      for (Object o : partitions) {
        JsonObject p = (JsonObject) o;
        JsonArray replicas = new JsonArray();
        for (Object r : p.getJsonArray("replicas", new JsonArray())) if (!r.equals(p.getString("owner"))) replicas.add(r);
        b.append("<tr><th scope=\"row\">").append(p.getInteger("partition")).append("</th><td")
            .append(self != null && self.equals(p.getString("owner")) ? " class=\"self\"" : "").append('>')
            .append(Html.text(p.getString("owner"))).append("</td><td>").append(Html.text(join(replicas)))
            .append("</td><td>").append(Html.text(p.getValue("epoch"))).append("</td><td class=\"lag\">").append(lag(p)).append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    b.append("</section>");

    b.append("<section aria-labelledby=\"changes-h\"><h2 id=\"changes-h\">Failovers and placement changes</h2>");
    JsonArray changes = placement.getJsonArray("changes", new JsonArray());
    JsonArray moves = new JsonArray();
    for (Object o : changes) if (!"placed".equals(((JsonObject) o).getString("kind"))) moves.add(o);
    if (standalone) {
      b.append("<p id=\"changes-none\">None: a standalone node never hands partitions over.</p>");
    } else {
      b.append("<p>What this node applied since it started, newest first (it keeps the last ").append(200)
          .append("; each partition's first placement seen here is counted, not listed: ")
          .append(changes.size() - moves.size()).append(").</p>");
      if (moves.isEmpty()) {
        b.append("<p id=\"changes-none\">No failovers, handovers or replica changes since this node started.</p>");
      } else {
        b.append("<table id=\"changes\"><caption>Placement changes</caption><thead><tr><th scope=\"col\">Time</th>")
            .append("<th scope=\"col\">Partition</th><th scope=\"col\">Change</th><th scope=\"col\">From</th>")
            .append("<th scope=\"col\">To</th><th scope=\"col\">Replicas</th><th scope=\"col\">Epoch</th></tr></thead><tbody>");
        for (Object o : moves) {
          JsonObject c = (JsonObject) o;
          b.append("<tr><th scope=\"row\">").append(Instant.ofEpochMilli(c.getLong("time", 0L))).append("</th><td>")
              .append(c.getInteger("partition")).append("</td><td class=\"change-kind\">").append(Html.text(c.getString("kind")))
              .append("</td><td>").append(Html.text(c.getString("previousOwner", "-"))).append("</td><td>")
              .append(Html.text(c.getString("owner"))).append("</td><td>")
              .append(Html.text(join(c.getJsonArray("replicas", new JsonArray())))).append("</td><td>")
              .append(Html.text(c.getValue("epoch"))).append("</td></tr>");
        }
        b.append("</tbody></table>");
      }
    }
    return b.append("</section>").toString();
  }

  /** Each replica's lag of a partition this node owns: "node: N writes, M ms"; "-" for partitions owned elsewhere. */
  private static String lag(JsonObject p) {
    JsonObject entries = p.getJsonObject("replicationLag");
    if (entries == null) return "<span title=\"measured on the owner\">-</span>";
    JsonObject millis = p.getJsonObject("replicationLagMillis", new JsonObject());
    if (entries.isEmpty()) return "no replicas";
    StringBuilder b = new StringBuilder();
    for (String node : new java.util.TreeSet<>(entries.fieldNames())) {
      if (b.length() > 0) b.append("; ");
      b.append(Html.text(node)).append(": ").append(Html.text(entries.getValue(node))).append(" writes, ")
          .append(Html.text(millis.getValue(node, "?"))).append(" ms");
    }
    return b.toString();
  }

  private static String join(JsonArray nodes) {
    StringBuilder b = new StringBuilder();
    for (Object n : nodes) b.append(b.length() == 0 ? "" : ", ").append(n);
    return b.toString();
  }
}
