package io.eventplane.storage.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AccessControlListTest {
  @Test
  void grantHeadersListGranteesInTheOrderS3Keeps() {
    AccessControlList acl = AccessControlList.fromRequest(new JsonObject()
        .put("GrantRead", "uri=\"" + AccessControlList.ALL_USERS + "\", id=\"abc\"")
        .put("GrantFullControl", "id=000000000000"), "000000000000");
    assertThat(acl.grants()).extracting(g -> g.permission() + " " + g.grantee().type() + " "
        + (g.grantee().uri() != null ? g.grantee().uri() : g.grantee().id()))
        .containsExactly("FULL_CONTROL CanonicalUser 000000000000", "READ Group " + AccessControlList.ALL_USERS,
            "READ CanonicalUser abc");
    assertThat(acl.grants().get(0).grantee().displayName()).isEqualTo(AccessControlList.DISPLAY_NAME);
    assertThat(AccessControlList.fromJson(acl.toJson())).isEqualTo(acl);
  }

  @Test
  void whatS3RefusesIsRefused() {
    assertThatThrownBy(() -> AccessControlList.fromRequest(new JsonObject().put("GrantRead", "id=abc junk"), "1"))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.error().code()).isEqualTo("InvalidArgument"));
    assertThatThrownBy(() -> AccessControlList.fromRequest(new JsonObject().put("GrantRead", "emailAddress=\"a@b.c\""), "1"))
        .isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.error().code()).isEqualTo("UnresolvableGrantByEmailAddress"));
    assertThatThrownBy(() -> AccessControlList.fromRequest(new JsonObject().put("ACL", "Private"), "1"))
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.error().code()).isEqualTo("InvalidArgument"));
    assertThat(AccessControlList.fromRequest(new JsonObject(), "1")).isNull();
  }
}
