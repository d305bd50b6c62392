package io.eventplane.identity.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventplane.common.bus.Caller;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Whom GetUser and the access-key calls act for when they name no user. */
class CallerUserTest {
  private static final RequestContext NO_CALLER = new RequestContext("123456789012", "us-east-1", "r", "");

  @Test
  void aUsersKeyMeansThatUser() {
    RequestContext ctx = NO_CALLER.withCaller(new Caller("arn:aws:iam::123456789012:user/division/team/alice",
        "AIDAAAAAAAAAAAAAAAAAA", "AKIAAAAAAAAAAAAAAAAA"));
    assertThat(CallerUser.nameOf(ctx)).isEqualTo("alice");
  }

  @Test
  void theRootOrNoVerifiedCallerMeansTheRoot() {
    assertThat(CallerUser.nameOf(NO_CALLER)).isNull();
    assertThat(CallerUser.nameOf(NO_CALLER.withCaller(Caller.root("123456789012", "ADMINKEY0000000000")))).isNull();
    JsonObject root = CallerUser.rootAnswer("GetUser", new JsonObject(), "123456789012",
        Clock.fixed(Instant.parse("2026-01-02T03:04:05.600Z"), ZoneOffset.UTC)).result().getJsonObject("User");
    assertThat(root).isEqualTo(new JsonObject().put("UserId", "123456789012").put("Arn", "arn:aws:iam::123456789012:root")
        .put("CreateDate", "2026-01-02T03:04:05Z"));
  }

  @Test
  void aRoleSessionHasNoUser() {
    RequestContext ctx = NO_CALLER.withCaller(new Caller("arn:aws:sts::123456789012:assumed-role/deployer/s1",
        "AROAAAAAAAAAAAAAAAAAA:s1", "ASIAAAAAAAAAAAAAAAAA"));
    assertThatThrownBy(() -> CallerUser.nameOf(ctx)).isInstanceOfSatisfying(ServiceException.class, e -> {
      assertThat(e.error().code()).isEqualTo("ValidationError");
      assertThat(e.error().message()).isEqualTo("Must specify userName when calling with non-User credentials");
    });
  }
}
