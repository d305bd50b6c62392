package io.eventplane.gateway.console;

import io.eventplane.common.bus.Contracts;
import io.eventplane.gateway.binding.ProtocolBinding;
import io.eventplane.gateway.events.EventBridgeJsonProtocol;
import io.eventplane.gateway.kinesis.KinesisJsonProtocol;
import io.eventplane.gateway.lambda.LambdaRestProtocol;
import io.eventplane.gateway.s3.S3Protocol;
import io.eventplane.gateway.sns.SnsQueryProtocol;
import io.eventplane.gateway.sqs.SqsJsonProtocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The console's front page: each service's resources in the caller's account and region, counted
 * from one page of its List call (a full page shows as "N+": the overview never pages through
 * everything), and this node's health and cluster membership.
 */
final class OverviewPage {
  /** One service's count: the List call, its first page's size and where the items and the next-page token are. */
  private record Count(String label, String href, ProtocolBinding service, String operation, JsonObject input,
      String items, String more) {}

  private static final List<Count> COUNTS = List.of(
      new Count("Queues (SQS)", "queues", SqsJsonProtocol.BINDING, "ListQueues",
          new JsonObject().put("MaxResults", 1000), "QueueUrls", "NextToken"),
      new Count("Topics (SNS)", "topics", SnsQueryProtocol.BINDING, "ListTopics", new JsonObject(), "Topics", "NextToken"),
      new Count("Buckets (S3)", "buckets", S3Protocol.BINDING, "ListBuckets", new JsonObject().put("MaxBuckets", 1000),
          "Buckets", "ContinuationToken"),
      new Count("Event buses (EventBridge)", "buses", EventBridgeJsonProtocol.BINDING, "ListEventBuses",
          new JsonObject().put("Limit", 100), "EventBuses", "NextToken"),
      new Count("Functions (Lambda)", "functions", LambdaRestProtocol.BINDING, "ListFunctions",
          new JsonObject().put("MaxItems", 50), "Functions", "NextMarker"),
      new Count("Streams (Kinesis)", "streams", KinesisJsonProtocol.BINDING, "ListStreams",
          new JsonObject().put("Limit", 100), "StreamNames", "HasMoreStreams"));

  private OverviewPage() {}

  static Future<String> render(Caller caller) {
    List<Future<String>> rows = new ArrayList<>();
    for (Count c : COUNTS) rows.add(caller.call(c.service(), c.operation(), c.input().copy()).map(out -> count(c, out))
        .otherwise(e -> e instanceof ConsoleFailure f ? "unavailable (" + f.error.code() + ")" : "unavailable"));
    Future<JsonObject> health = caller.node(Contracts.ADMIN, "Health");
    Future<JsonObject> cluster = caller.node(Contracts.ADMIN, "DescribeCluster");
    return Future.join(Future.join(rows), health, cluster).transform(ignored -> {
      StringBuilder b = new StringBuilder();
      b.append("<section aria-labelledby=\"services\"><h2 id=\"services\">Services</h2>")
          .append("<table><caption>Resources in account ").append(Html.text(caller.context().accountId()))
          .append(", region ").append(Html.text(caller.context().region())).append("</caption>")
          .append("<thead><tr><th scope=\"col\">Service</th><th scope=\"col\">Resources</th></tr></thead><tbody>");
      for (int i = 0; i < COUNTS.size(); i++) {
        Count c = COUNTS.get(i);
        String label = c.href() == null ? Html.text(c.label())
            : "<a href=\"" + ConsoleRoute.PREFIX + c.href() + "\">" + Html.text(c.label()) + "</a>";
        b.append("<tr><th scope=\"row\">").append(label).append("</th><td>").append(Html.text(rows.get(i).result()))
            .append("</td></tr>");
      }
      b.append("</tbody></table></section>");
      b.append("<section aria-labelledby=\"node\"><h2 id=\"node\">Nodes</h2>");
      String status = health.succeeded() ? health.result().getString("status", "?") : "unreachable";
      b.append("<p>This node: <strong class=\"health\">").append(Html.text(status)).append("</strong>");
      if (cluster.succeeded()) {
        JsonObject cl = cluster.result();
        b.append(" (").append(Html.text(cl.getString("mode"))).append(", node ").append(Html.text(cl.getString("nodeId")));
        if (cl.getValue("replicationFactor") != null) {
          b.append(", replication factor ").append(Html.text(cl.getValue("replicationFactor")));
        }
        b.append(")</p>");
        b.append("<table><caption>Cluster members</caption><thead><tr><th scope=\"col\">Node</th>")
            .append("<th scope=\"col\">Address</th><th scope=\"col\">This node</th></tr></thead><tbody>");
        JsonArray members = cl.getJsonArray("members", new JsonArray());
        for (Object o : members) {
          JsonObject m = (JsonObject) o;
          b.append("<tr><th scope=\"row\">").append(Html.text(m.getString("nodeId"))).append("</th><td>")
              .append(Html.text(m.getString("address", "-"))).append("</td><td>")
              .append(m.getBoolean("self", false) ? "yes" : "no").append("</td></tr>");
        }
        b.append("</tbody></table>");
      } else {
        b.append("</p>");
      }
      b.append("</section>");
      return Future.succeededFuture(b.toString());
    });
  }

  private static String count(Count c, JsonObject out) {
    Object items = out.getValue(c.items());
    int n = items instanceof JsonArray a ? a.size() : 0;
    Object more = out.getValue(c.more());
    boolean hasMore = more instanceof Boolean flag ? flag : more != null;
    return n + (hasMore ? "+" : "");
  }
}
