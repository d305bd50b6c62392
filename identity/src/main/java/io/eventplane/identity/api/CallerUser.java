package io.eventplane.identity.api;

import io.eventplane.common.bus.Caller;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The user a call acts for when it names none (GetUser, CreateAccessKey, ListAccessKeys,
 * UpdateAccessKey, DeleteAccessKey without UserName): IAM takes it from the key that signed the
 * call. A user's key means that user; the root's key (or, with signatures not verified, no
 * caller at all) means the account's root, which has no stored user; a role session has no user.
 */
public final class CallerUser {
  private CallerUser() {}

  /** The caller's user name, or null for the root; a ValidationError for a caller that is no user. */
  public static String nameOf(RequestContext context) {
    Caller caller = context.caller();
    if (caller == null || caller.arn().endsWith(":root")) return null;
    int at = caller.arn().indexOf(":user/");
    if (at < 0) {
      throw new ServiceException("ValidationError", "Must specify userName when calling with non-User credentials");
    }
    return caller.arn().substring(caller.arn().lastIndexOf('/') + 1);
  }

  /**
   * What the root gets: GetUser answers the root user (its id is the account, its ARN
   * {@code arn:aws:iam::<account>:root}), ListAccessKeys no keys (the admin key is configuration,
   * not IAM's), UpdateAccessKey and DeleteAccessKey no such key; CreateAccessKey for the root is
   * refused (Eventplane stores no root keys).
   */
  public static Future<JsonObject> rootAnswer(String operation, JsonObject in, String account, Clock clock) {
    return switch (operation) {
      case "GetUser" -> Future.succeededFuture(new JsonObject().put("User", new JsonObject().put("UserId", account)
          .put("Arn", "arn:aws:iam::" + account + ":root")
          .put("CreateDate", Instant.ofEpochMilli(clock.millis()).truncatedTo(ChronoUnit.SECONDS).toString())));
      case "ListAccessKeys" -> Future.succeededFuture(PrincipalPolicies.page(java.util.List.of(), in, "AccessKeyMetadata"));
      case "UpdateAccessKey", "DeleteAccessKey" -> {
        String keyId = UserInputs.accessKeyId(in);
        if ("UpdateAccessKey".equals(operation)) UserInputs.status(in);
        throw AccessKeyApi.keyNotFound(keyId);
      }
      default -> throw new ServiceException("ValidationError", "Must specify userName when calling with non-User credentials");
    };
  }
}
