package io.eventplane.gateway.console;

import io.eventplane.gateway.s3.S3Protocol;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The buckets, a page at a time: one ListBuckets call with MaxBuckets and the ContinuationToken of the page before. */
final class BucketListPage {
  static final int PAGE_SIZE = 100;

  private BucketListPage() {}

  static Future<String> render(Caller caller, String token) {
    JsonObject in = new JsonObject().put("MaxBuckets", PAGE_SIZE);
    if (token != null && !token.isEmpty()) in.put("ContinuationToken", token);
    return caller.call(S3Protocol.BINDING, "ListBuckets", in).map(out -> {
      JsonArray buckets = out.getJsonArray("Buckets", new JsonArray());
      StringBuilder b = new StringBuilder();
      if (buckets.isEmpty()) {
        b.append("<p>No buckets.</p>");
      } else {
        b.append("<table id=\"buckets\"><caption>Buckets, ").append(buckets.size()).append(" on this page</caption><thead><tr>")
            .append("<th scope=\"col\">Name</th><th scope=\"col\">Created</th></tr></thead><tbody>");
        for (Object o : buckets) {
          JsonObject bucket = (JsonObject) o;
          String name = bucket.getString("Name");
          b.append("<tr><th scope=\"row\"><a href=\"").append(BucketPage.href(name, null)).append("\">").append(Html.text(name))
              .append("</a></th><td>").append(Html.text(bucket.getValue("CreationDate", "-"))).append("</td></tr>");
        }
        b.append("</tbody></table>");
      }
      return b.append(Paging.nav(ConsoleRoute.PREFIX + "buckets", "token", token, out.getString("ContinuationToken"))).toString();
    });
  }
}
