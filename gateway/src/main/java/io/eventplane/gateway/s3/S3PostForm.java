package io.eventplane.gateway.s3;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of a browser upload's form (POST Object) as PutObject's input members: what a PUT
 * sends in headers, a form sends as fields (names case-insensitive), plus the policy and every field
 * as posted, which the service holds against the policy.
 */
public final class S3PostForm {
  private static final Map<String, String> FIELDS = Map.of("content-type", "ContentType", "cache-control", "CacheControl",
      "content-disposition", "ContentDisposition", "content-encoding", "ContentEncoding", "content-language", "ContentLanguage",
      "expires", "Expires", "content-md5", "ContentMD5", "x-amz-storage-class", "StorageClass",
      "x-amz-website-redirect-location", "WebsiteRedirectLocation");

  private S3PostForm() {}

  /**
   * @param filename the file part's file name, which replaces {@code ${filename}} in the key
   * @throws io.eventplane.common.error.ServiceException MalformedXML for a {@code tagging} field that does not parse
   */
  public static JsonObject input(String bucket, MultiMap form, String filename) {
    JsonObject in = new JsonObject().put("Bucket", bucket);
    JsonObject fields = new JsonObject();
    JsonObject metadata = new JsonObject();
    for (Map.Entry<String, String> e : form.entries()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      String value = e.getValue();
      // The first of a repeated field counts, as for headers.
      if (fields.containsKey(name)) continue;
      fields.put(name, value);
      if (FIELDS.containsKey(name)) in.put(FIELDS.get(name), value);
      if (name.startsWith("x-amz-meta-")) metadata.put(name.substring("x-amz-meta-".length()), value);
    }
    String key = fields.getString("key");
    if (key != null) {
      key = key.replace("${filename}", filename == null ? "" : filename);
      in.put("Key", key);
      fields.put("key", key);
    }
    if (!metadata.isEmpty()) in.put("Metadata", metadata);
    if (fields.getString("tagging") != null) {
      in.put("Tagging", S3XmlBodies.tagging(Buffer.buffer(fields.getString("tagging"))));
    }
    if (fields.getString("policy") != null) in.put("Policy", fields.getString("policy"));
    return in.put("Fields", fields);
  }
}
