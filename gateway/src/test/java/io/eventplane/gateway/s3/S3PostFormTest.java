package io.eventplane.gateway.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class S3PostFormTest {
  @Test
  void fieldsBecomePutObjectsMembers() {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("Key", "u/${filename}").add("content-type", "image/png")
        .add("Cache-Control", "no-cache").add("X-Amz-Meta-Owner", "alice").add("policy", "cG9saWN5")
        .add("tagging", "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>");
    JsonObject in = S3PostForm.input("bucket", form, "pic.png");
    assertThat(in.getString("Bucket")).isEqualTo("bucket");
    assertThat(in.getString("Key")).isEqualTo("u/pic.png");
    assertThat(in.getString("ContentType")).isEqualTo("image/png");
    assertThat(in.getString("CacheControl")).isEqualTo("no-cache");
    assertThat(in.getJsonObject("Metadata")).isEqualTo(new JsonObject().put("owner", "alice"));
    assertThat(in.getString("Policy")).isEqualTo("cG9saWN5");
    assertThat(in.getJsonObject("Tagging").getJsonArray("TagSet")).hasSize(1);
    assertThat(in.getJsonObject("Fields").getString("key")).as("conditions see the key as stored").isEqualTo("u/pic.png");
    assertThat(in.getJsonObject("Fields").fieldNames()).contains("content-type", "cache-control", "x-amz-meta-owner");
  }

  @Test
  void aFormWithoutKeyHasNoKeyAndBadTaggingIsMalformedXml() {
    assertThat(S3PostForm.input("b", MultiMap.caseInsensitiveMultiMap(), "f").containsKey("Key")).isFalse();
    assertThatThrownBy(() -> S3PostForm.input("b", MultiMap.caseInsensitiveMultiMap().add("key", "k").add("tagging", "<x"), "f"))
        .isInstanceOf(ServiceException.class)
        .satisfies(e -> assertThat(((ServiceException) e).error().code()).isEqualTo("MalformedXML"));
  }

  @Test
  void operationsOfThisChange() {
    MultiMap none = MultiMap.caseInsensitiveMultiMap();
    assertThat(S3Request.operation("POST", "b", null, none, none)).isEqualTo("PostObject");
    assertThat(S3Request.operation("POST", "b", null, MultiMap.caseInsensitiveMultiMap().add("delete", ""), none))
        .isEqualTo("DeleteObjects");
    // A bucket subresource S3 serves, but not with POST: no operation (405), not a form upload.
    assertThat(S3Request.operation("POST", "b", null, MultiMap.caseInsensitiveMultiMap().add("acl", ""), none)).isNull();
    assertThat(S3Request.operation("POST", "b", null, MultiMap.caseInsensitiveMultiMap().add("website", ""), none))
        .isEqualTo("Unsupported");
    assertThat(S3Request.operation("GET", "b", "k", MultiMap.caseInsensitiveMultiMap().add("attributes", ""), none))
        .isEqualTo("GetObjectAttributes");
    assertThat(S3Request.operation("PUT", "b", "k", MultiMap.caseInsensitiveMultiMap().add("partNumber", "1").add("uploadId", "u"),
        MultiMap.caseInsensitiveMultiMap().add("x-amz-copy-source", "b/s"))).isEqualTo("UploadPartCopy");
  }
}
