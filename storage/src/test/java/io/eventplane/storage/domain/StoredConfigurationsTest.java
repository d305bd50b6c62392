package io.eventplane.storage.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the store keeps of a bucket's subresources and an object's ACL comes back whole after a restart. */
class StoredConfigurationsTest {
  @Test
  void aBucketsConfigurationsSurviveItsStoredForm() {
    Bucket b = new Bucket("b", "000000000000", "us-east-1", 1L, null, null)
        .withConfiguration("cors", new JsonObject().put("CORSRules", List.of(Map.of("AllowedOrigins", List.of("*")))))
        .withConfiguration("policy", new JsonObject().put("Policy", "{ \"Statement\": [] }"))
        .withConfiguration("tagging", null);
    Bucket back = Bucket.fromJson(new JsonObject(b.toJson().encode()));
    assertThat(back.configuration("policy").getString("Policy")).isEqualTo("{ \"Statement\": [] }");
    assertThat(back.configuration("cors")).isEqualTo(b.configuration("cors"));
    assertThat(back.configuration("tagging")).isNull();
    // Setting one subresource leaves the bucket it came from as it was.
    assertThat(b.withConfiguration("policy", null).configuration("policy")).isNull();
    assertThat(b.configuration("policy")).isNotNull();
  }

  @Test
  void anObjectsAclAndAnUploadsSurviveTheirStoredForm() {
    AccessControlList acl = AccessControlList.canned("public-read", "000000000000");
    StoredObject o = new StoredObject("k", 1, "\"e\"", 1L, Map.of(), Map.of(), null, null, null, 0, List.of(), Map.of(), acl);
    assertThat(StoredObject.fromJson(new JsonObject(o.toJson().encode())).acl()).isEqualTo(acl);
    assertThat(StoredObject.fromJson(new JsonObject(o.withAcl(null).toJson().encode())).acl()).isNull();
    assertThat(o.withTags(Map.of("a", "b")).acl()).isEqualTo(acl);
    Upload u = new Upload("u", "b", "k", 1L, Map.of(), Map.of(), null, null, Map.of(), acl);
    assertThat(Upload.fromJson(new JsonObject(u.toJson().encode())).acl()).isEqualTo(acl);
  }
}
