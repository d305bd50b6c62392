package io.eventplane.storage.domain;

import io.eventplane.common.blob.Blob;
import io.vertx.core.json.JsonObject;

/** One uploaded part of a multipart upload: its number, blob (with its MD5) and when it arrived. */
public record Part(int number, Blob blob, long lastModified) {
  public String etag() {
    return "\"" + blob.md5Hex() + "\"";
  }

  public JsonObject toJson() {
    return new JsonObject().put("number", number).put("blob", blob.toJson()).put("modified", lastModified);
  }

  public static Part fromJson(JsonObject j) {
    return new Part(j.getInteger("number"), Blob.fromJson(j.getJsonObject("blob")), j.getLong("modified"));
  }
}
