package io.eventplane.gateway.console;

import io.eventplane.gateway.s3.S3Protocol;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One bucket, browsed by prefix as folders: ListObjectsV2 with the delimiter {@code /} (common
 * prefixes are folder links) a page at a time by its continuation token; each object's download and
 * delete (behind a confirmation page); an upload form; when the bucket is versioned
 * (GetBucketVersioning) the versions under the prefix (ListObjectVersions, paged by its key and
 * version markers); and the bucket's notification configuration.
 */
final class BucketPage {
  static final String NAME = "[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]";
  static final int PAGE_SIZE = 100;

  private BucketPage() {}

  /** The bucket's page, at a prefix (a folder) or its root. */
  static String href(String bucket, String prefix) {
    return ConsoleRoute.PREFIX + "buckets/" + Html.url(bucket) + (prefix == null || prefix.isEmpty() ? "" : "?prefix=" + Html.url(prefix));
  }

  static Future<String> render(Caller caller, String bucket, MultiMap params) {
    String prefix = params.get("prefix") == null ? "" : params.get("prefix");
    String token = params.get("token");
    JsonObject list = new JsonObject().put("Bucket", bucket).put("Prefix", prefix).put("Delimiter", "/").put("MaxKeys", PAGE_SIZE);
    if (token != null && !token.isEmpty()) list.put("ContinuationToken", token);
    JsonObject bucketOnly = new JsonObject().put("Bucket", bucket);
    return caller.call(S3Protocol.BINDING, "ListObjectsV2", list).compose(objects -> {
      Future<JsonObject> versioning = caller.call(S3Protocol.BINDING, "GetBucketVersioning", bucketOnly.copy());
      Future<JsonObject> notifications = caller.call(S3Protocol.BINDING, "GetBucketNotificationConfiguration", bucketOnly.copy());
      Future<JsonObject> versions = versioning.compose(v -> v.getString("Status") == null ? Future.succeededFuture()
          : caller.call(S3Protocol.BINDING, "ListObjectVersions", versionsInput(bucket, prefix, params)));
      return Future.join(versioning, notifications, versions).transform(ignored -> {
        if (versioning.failed()) return Future.failedFuture(versioning.cause());
        return Future.succeededFuture(html(caller, bucket, prefix, token, objects, versioning.result().getString("Status"),
            notifications.succeeded() ? notifications.result() : null, versions.succeeded() ? versions.result() : null, params));
      });
    });
  }

  private static JsonObject versionsInput(String bucket, String prefix, MultiMap params) {
    JsonObject in = new JsonObject().put("Bucket", bucket).put("Prefix", prefix).put("Delimiter", "/").put("MaxKeys", PAGE_SIZE);
    if (params.get("vkey") != null) in.put("KeyMarker", params.get("vkey"));
    if (params.get("vid") != null) in.put("VersionIdMarker", params.get("vid"));
    return in;
  }

  private static String html(Caller caller, String bucket, String prefix, String token, JsonObject objects, String versioning,
      JsonObject notifications, JsonObject versions, MultiMap params) {
    StringBuilder b = new StringBuilder();
    String said = params.get("uploaded") != null ? "Uploaded " + params.get("uploaded")
        : params.get("deleted") != null ? "Deleted " + params.get("deleted") : null;
    b.append(Paging.flash(said, params.get("failed")));
    b.append(breadcrumbs(bucket, prefix));

    b.append("<section aria-labelledby=\"objects-h\"><h2 id=\"objects-h\">Objects</h2>");
    JsonArray folders = objects.getJsonArray("CommonPrefixes", new JsonArray());
    JsonArray contents = objects.getJsonArray("Contents", new JsonArray());
    if (folders.isEmpty() && contents.isEmpty()) {
      b.append("<p id=\"objects-none\">No objects").append(prefix.isEmpty() ? "" : " under " + Html.text(prefix)).append(".</p>");
    } else {
      b.append("<table id=\"objects\"><caption>Under <code>").append(Html.text(prefix.isEmpty() ? "/" : prefix))
          .append("</code>: ").append(folders.size()).append(" folders, ").append(contents.size())
          .append(" objects on this page</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Size (bytes)</th>")
          .append("<th scope=\"col\">Last modified</th><th scope=\"col\">Actions</th></tr></thead><tbody>");
      for (Object o : folders) {
        String folder = ((JsonObject) o).getString("Prefix");
        b.append("<tr class=\"folder\"><th scope=\"row\"><a href=\"").append(href(bucket, folder)).append("\">")
            .append(Html.text(folder.substring(prefix.length()))).append("</a></th><td>-</td><td>-</td><td></td></tr>");
      }
      for (Object o : contents) {
        JsonObject object = (JsonObject) o;
        String key = object.getString("Key");
        b.append("<tr class=\"object\"><th scope=\"row\">").append(Html.text(key.substring(Math.min(prefix.length(), key.length()))))
            .append("</th><td>").append(Html.text(object.getValue("Size"))).append("</td><td>")
            .append(Html.text(object.getValue("LastModified"))).append("</td><td>")
            .append(objectLinks(bucket, key, null)).append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    String base = href(bucket, prefix);
    b.append(Paging.nav(base, "token", token, objects.getString("NextContinuationToken"))).append("</section>");

    b.append("<section aria-labelledby=\"upload-h\"><h2 id=\"upload-h\">Upload</h2>")
        .append("<form method=\"post\" enctype=\"multipart/form-data\" class=\"stack\" action=\"")
        .append(ConsoleRoute.PREFIX).append("buckets/").append(Html.url(bucket)).append("/upload\">").append(caller.csrfField())
        .append("<label for=\"upload-prefix\">Folder (key prefix)</label><input id=\"upload-prefix\" name=\"prefix\" value=\"")
        .append(Html.text(prefix)).append("\">")
        .append("<label for=\"upload-file\">File (its name becomes the key after the folder)</label>")
        .append("<input id=\"upload-file\" name=\"file\" type=\"file\" required>")
        .append("<button type=\"submit\" id=\"upload\">Upload</button></form></section>");

    if (versioning != null) {
      b.append("<section aria-labelledby=\"versions-h\"><h2 id=\"versions-h\">Versions</h2><p>Versioning: <strong id=\"versioning\">")
          .append(Html.text(versioning)).append("</strong></p>");
      if (versions != null) b.append(versions(bucket, prefix, versions));
      b.append("</section>");
    }

    b.append("<section aria-labelledby=\"notifications-h\"><h2 id=\"notifications-h\">Event notifications</h2>")
        .append(notifications(notifications)).append("</section>");
    return b.toString();
  }

  /** The bucket and each folder of the prefix, as links up the tree. */
  private static String breadcrumbs(String bucket, String prefix) {
    StringBuilder b = new StringBuilder("<nav aria-label=\"Folder\"><ol class=\"breadcrumbs\"><li><a href=\"")
        .append(href(bucket, null)).append("\">").append(Html.text(bucket)).append("</a></li>");
    int from = 0;
    for (int slash = prefix.indexOf('/'); slash >= 0; slash = prefix.indexOf('/', from)) {
      b.append("<li><a href=\"").append(href(bucket, prefix.substring(0, slash + 1))).append("\">")
          .append(Html.text(prefix.substring(from, slash))).append("</a></li>");
      from = slash + 1;
    }
    if (from < prefix.length()) b.append("<li>").append(Html.text(prefix.substring(from))).append("\u2026</li>");
    return b.append("</ol></nav>").toString();
  }

  private static String objectLinks(String bucket, String key, String versionId) {
    String query = "?key=" + Html.url(key) + (versionId == null ? "" : "&amp;version=" + Html.url(versionId));
    String base = ConsoleRoute.PREFIX + "buckets/" + Html.url(bucket);
    String what = Html.text(key) + (versionId == null ? "" : " version " + Html.text(versionId));
    return "<a class=\"download\" href=\"" + base + "/object" + query + "\" aria-label=\"Download " + what + "\">Download</a> "
        + "<a class=\"delete\" href=\"" + base + "/delete" + query + "\" aria-label=\"Delete " + what + "\">Delete\u2026</a>";
  }

  private static String versions(String bucket, String prefix, JsonObject listed) {
    JsonArray versions = listed.getJsonArray("Versions", new JsonArray());
    StringBuilder b = new StringBuilder();
    if (versions.isEmpty()) {
      b.append("<p id=\"versions-none\">No versions under this folder.</p>");
    } else {
      b.append("<table id=\"versions\"><caption>Versions and delete markers under <code>").append(Html.text(prefix.isEmpty() ? "/" : prefix))
          .append("</code>, newest first for each key</caption><thead><tr><th scope=\"col\">Key</th><th scope=\"col\">Version</th>")
          .append("<th scope=\"col\">Latest</th><th scope=\"col\">Size (bytes)</th><th scope=\"col\">Last modified</th>")
          .append("<th scope=\"col\">Actions</th></tr></thead><tbody>");
      for (Object o : versions) {
        JsonObject v = (JsonObject) o;
        boolean marker = v.getBoolean("DeleteMarker", false);
        String key = v.getString("Key");
        b.append("<tr><th scope=\"row\">").append(Html.text(key)).append("</th><td><code>").append(Html.text(v.getString("VersionId")))
            .append("</code>").append(marker ? " (delete marker)" : "").append("</td><td>")
            .append(v.getBoolean("IsLatest", false) ? "yes" : "no").append("</td><td>")
            .append(marker ? "-" : Html.text(v.getValue("Size"))).append("</td><td>").append(Html.text(v.getValue("LastModified")))
            .append("</td><td>").append(marker ? "" : objectLinks(bucket, key, v.getString("VersionId"))).append("</td></tr>");
      }
      b.append("</tbody></table>");
    }
    if (listed.getBoolean("IsTruncated", false)) {
      String next = href(bucket, prefix) + (prefix.isEmpty() ? "?" : "&amp;") + "vkey=" + Html.url(listed.getString("NextKeyMarker"))
          + (listed.getString("NextVersionIdMarker") == null ? "" : "&amp;vid=" + Html.url(listed.getString("NextVersionIdMarker")));
      b.append("<nav aria-label=\"Version pages\" class=\"pages\"><a href=\"").append(href(bucket, prefix))
          .append("#versions-h\">First versions</a> <a rel=\"next\" href=\"").append(next).append("#versions-h\">More versions</a></nav>");
    }
    return b.toString();
  }

  /** GetBucketNotificationConfiguration: each queue, topic and function configuration, and EventBridge. */
  private static String notifications(JsonObject config) {
    if (config == null) return "<p>Could not read the notification configuration.</p>";
    StringBuilder rows = new StringBuilder();
    String[][] kinds = {{"QueueConfigurations", "QueueArn", "Queue"}, {"TopicConfigurations", "TopicArn", "Topic"},
        {"LambdaFunctionConfigurations", "LambdaFunctionArn", "Function"}};
    for (String[] kind : kinds) {
      for (Object o : config.getJsonArray(kind[0], new JsonArray())) {
        JsonObject c = (JsonObject) o;
        rows.append("<tr><th scope=\"row\">").append(Html.text(c.getString("Id"))).append("</th><td>").append(kind[2])
            .append("</td><td><code>").append(Html.text(c.getString(kind[1]))).append("</code></td><td>")
            .append(Html.text(String.join(", ", c.getJsonArray("Events", new JsonArray()).stream().map(String::valueOf).toList())))
            .append("</td><td>").append(filter(c.getJsonObject("Filter"))).append("</td></tr>");
      }
    }
    StringBuilder b = new StringBuilder();
    if (rows.isEmpty()) {
      b.append("<p id=\"notifications-none\">No queue, topic or function is notified of this bucket's events.</p>");
    } else {
      b.append("<table id=\"notifications\"><caption>Notification configuration</caption><thead><tr><th scope=\"col\">Id</th>")
          .append("<th scope=\"col\">Destination</th><th scope=\"col\">ARN</th><th scope=\"col\">Events</th>")
          .append("<th scope=\"col\">Key filter</th></tr></thead><tbody>").append(rows).append("</tbody></table>");
    }
    b.append("<p>Amazon EventBridge: <strong id=\"eventbridge\">").append(config.getValue("EventBridgeConfiguration") != null
        ? "every event is sent to the default bus" : "off").append("</strong></p>");
    return b.toString();
  }

  /** A configuration's key filter ({@code Filter.Key.FilterRules}: prefix and suffix), or "all keys". */
  private static String filter(JsonObject filter) {
    JsonObject key = filter == null ? null : filter.getJsonObject("Key");
    JsonArray rules = key == null ? null : key.getJsonArray("FilterRules");
    if (rules == null || rules.isEmpty()) return "all keys";
    StringBuilder b = new StringBuilder();
    for (Object o : rules) {
      JsonObject r = (JsonObject) o;
      if (!b.isEmpty()) b.append(", ");
      b.append(Html.text(r.getString("Name"))).append(" <code>").append(Html.text(r.getString("Value"))).append("</code>");
    }
    return b.toString();
  }

  /** The confirmation page of a delete: a form that must be submitted on purpose. */
  static String deleteConfirmation(Caller caller, String bucket, String key, String versionId) {
    String what = "<code>" + Html.text(key) + "</code>" + (versionId == null ? "" : " version <code>" + Html.text(versionId) + "</code>");
    String back = href(bucket, parentOf(key));
    return "<p>Delete " + what + " from bucket <strong>" + Html.text(bucket) + "</strong>? "
        + (versionId == null ? "In a versioned bucket this adds a delete marker; the versions stay."
            : "This version is deleted for good.") + "</p>"
        + "<form method=\"post\" action=\"" + ConsoleRoute.PREFIX + "buckets/" + Html.url(bucket) + "/delete\">" + caller.csrfField()
        + "<input type=\"hidden\" name=\"key\" value=\"" + Html.text(key) + "\">"
        + (versionId == null ? "" : "<input type=\"hidden\" name=\"version\" value=\"" + Html.text(versionId) + "\">")
        + "<input type=\"hidden\" name=\"confirm\" value=\"" + Html.text(key) + "\">"
        + "<button type=\"submit\" id=\"confirm-delete\" class=\"danger\">Delete</button> <a href=\"" + back + "\">Cancel</a></form>";
  }

  /** The folder a key is in ({@code a/b/} for {@code a/b/c.txt}; empty at the root). */
  static String parentOf(String key) {
    int slash = key.lastIndexOf('/', key.endsWith("/") ? key.length() - 2 : key.length() - 1);
    return slash < 0 ? "" : key.substring(0, slash + 1);
  }
}
