package io.eventplane.identity.api;

import static io.eventplane.identity.domain.IamErrors.noSuchEntity;

import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.AccessKeyIds;
import io.eventplane.common.partition.PartitionRouter;
import io.eventplane.common.secret.SecretBox;
import io.eventplane.identity.domain.AccessKey;
import io.eventplane.identity.domain.User;
import io.eventplane.identity.domain.Users;
import io.eventplane.identity.store.UserStore.KeyOwner;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * IAM's access-key operations. A key lives with its user (in the user's partition) and has an
 * index entry, key id to user, in the partition its id names: the user's partition when the key
 * was made, so both go in one batch; after a rename of the user the entry stays where the id
 * points and is rewritten there. The secret is sealed with the credentials key (associated data:
 * the key id) before it is stored, and shown once, by CreateAccessKey.
 *
 * <p>{@code eventplane:ResolveAccessKey} is the gateway's lookup: at the partition the key id
 * names, then at the user's owner. It answers the sealed secret: no plaintext secret crosses the
 * cluster network.
 */
public final class AccessKeyApi {
  private static final Set<String> BY_USER = Set.of("CreateAccessKey", "ListAccessKeys", "UpdateAccessKey",
      "DeleteAccessKey", IamCalls.USER_ACCESS_KEY);
  private static final Set<String> BY_KEY = Set.of("GetAccessKeyLastUsed", IamCalls.RESOLVE_ACCESS_KEY,
      IamCalls.INDEX_ACCESS_KEY);

  private final Users users;
  private final Clock clock;
  private final IamCalls calls;
  private final SecretBox box;

  public AccessKeyApi(Users users, Clock clock, IamCalls calls, SecretBox box) {
    this.users = users;
    this.clock = clock;
    this.calls = calls;
    this.box = box;
  }

  public static boolean isAccessKeyOperation(String operation) {
    return BY_USER.contains(operation) || BY_KEY.contains(operation);
  }

  /** Operations that may name no user and then act for the caller's own user. */
  public static boolean actsForCaller(String operation) {
    return BY_USER.contains(operation) && !IamCalls.USER_ACCESS_KEY.equals(operation);
  }

  /**
   * The partition a call runs in: its user's, or the one its key id names ({@link PartitionRouter#ANY}
   * for an id that names none: any node answers that it does not exist).
   */
  public static int partitionOf(String account, String operation, JsonObject in) {
    if (BY_USER.contains(operation)) return Users.partitionOf(account, UserInputs.userName(in));
    int partition = AccessKeyIds.partitionOf(UserInputs.accessKeyId(in));
    return partition < 0 ? PartitionRouter.ANY : partition;
  }

  public Future<JsonObject> handle(String operation, JsonObject in, String account) {
    return switch (operation) {
      case "CreateAccessKey" -> create(in, account);
      case "ListAccessKeys" -> list(in, account);
      case "UpdateAccessKey" -> update(in, account);
      case "DeleteAccessKey" -> delete(in, account);
      case "GetAccessKeyLastUsed" -> lastUsed(in, account);
      case IamCalls.RESOLVE_ACCESS_KEY -> resolve(in);
      case IamCalls.USER_ACCESS_KEY -> userKey(in, account);
      case IamCalls.INDEX_ACCESS_KEY -> index(in, account);
      default -> throw new ServiceException("InvalidAction", "Could not find operation " + operation);
    };
  }

  private Future<JsonObject> create(JsonObject in, String account) {
    User u = requireUser(account, in);
    if (u.accessKeys().size() >= User.MAX_ACCESS_KEYS) {
      throw UserInputs.limit("Cannot exceed quota for AccessKeysPerUser: " + User.MAX_ACCESS_KEYS);
    }
    int partition = Users.partitionOf(account, u.name());
    String keyId;
    do {
      keyId = AccessKeyIds.create(partition);
    } while (users.ownerOf(keyId) != null);
    String secret = AccessKeyIds.secret();
    byte[] sealed = box.seal(secret.getBytes(StandardCharsets.UTF_8), keyId.getBytes(StandardCharsets.UTF_8));
    AccessKey key = new AccessKey(keyId, Base64.getEncoder().encodeToString(sealed), AccessKey.ACTIVE, 0, clock.millis());
    Map<String, AccessKey> keys = new LinkedHashMap<>(u.accessKeys());
    keys.put(keyId, key);
    return users.save(u.withKeys(keys), Map.of(keyId, new KeyOwner(account, u.name())))
        .map(x -> new JsonObject().put("AccessKey", new JsonObject().put("UserName", u.name())
            .put("AccessKeyId", key.keyId()).put("Status", key.status()).put("SecretAccessKey", secret)
            .put("CreateDate", key.created())));
  }

  private Future<JsonObject> list(JsonObject in, String account) {
    User u = requireUser(account, in);
    List<JsonObject> all = new java.util.ArrayList<>();
    for (AccessKey k : u.accessKeys().values()) all.add(metadata(u.name(), k));
    return Future.succeededFuture(PrincipalPolicies.page(all, in, "AccessKeyMetadata"));
  }

  static JsonObject metadata(String userName, AccessKey k) {
    return new JsonObject().put("UserName", userName).put("AccessKeyId", k.keyId()).put("Status", k.status())
        .put("CreateDate", k.created());
  }

  private Future<JsonObject> update(JsonObject in, String account) {
    String keyId = UserInputs.accessKeyId(in);
    String status = UserInputs.status(in);
    User u = requireUser(account, in);
    AccessKey key = requireKey(u, keyId);
    Map<String, AccessKey> keys = new LinkedHashMap<>(u.accessKeys());
    keys.put(keyId, key.withStatus(status));
    return users.save(u.withKeys(keys)).map(x -> {
      calls.accessKeysChanged(List.of(keyId));
      return new JsonObject();
    });
  }

  private Future<JsonObject> delete(JsonObject in, String account) {
    String keyId = UserInputs.accessKeyId(in);
    User u = requireUser(account, in);
    requireKey(u, keyId);
    Map<String, AccessKey> keys = new LinkedHashMap<>(u.accessKeys());
    keys.remove(keyId);
    int keyPartition = AccessKeyIds.partitionOf(keyId);
    boolean indexHere = keyPartition == Users.partitionOf(account, u.name());
    Map<String, KeyOwner> index = new HashMap<>();
    if (indexHere) index.put(keyId, null);
    return users.save(u.withKeys(keys), index)
        .compose(x -> indexHere ? Future.succeededFuture()
            : calls.at(keyPartition, IamCalls.INDEX_ACCESS_KEY, new JsonObject().put("AccessKeyId", keyId), account))
        .map(x -> {
          calls.accessKeysChanged(List.of(keyId));
          return new JsonObject();
        });
  }

  /** GetAccessKeyLastUsed: Eventplane does not record keys' use, so it answers as AWS does for an unused key. */
  private Future<JsonObject> lastUsed(JsonObject in, String account) {
    String keyId = UserInputs.accessKeyId(in);
    KeyOwner owner = users.ownerOf(keyId);
    if (owner == null || !owner.account().equals(account)) throw keyNotFound(keyId);
    return Future.succeededFuture(new JsonObject().put("UserName", owner.userName())
        .put("AccessKeyLastUsed", new JsonObject().put("ServiceName", "N/A").put("Region", "N/A")));
  }

  private Future<JsonObject> resolve(JsonObject in) {
    String keyId = UserInputs.accessKeyId(in);
    KeyOwner owner = users.ownerOf(keyId);
    if (owner == null) throw keyNotFound(keyId);
    return calls.at(Users.partitionOf(owner.account(), owner.userName()), IamCalls.USER_ACCESS_KEY,
        new JsonObject().put("UserName", owner.userName()).put("AccessKeyId", keyId), owner.account());
  }

  private Future<JsonObject> userKey(JsonObject in, String account) {
    String keyId = UserInputs.accessKeyId(in);
    User u = users.find(account, UserInputs.userName(in));
    AccessKey key = u == null ? null : u.accessKeys().get(keyId);
    if (key == null) throw keyNotFound(keyId);
    return Future.succeededFuture(new JsonObject().put("AccountId", account).put("UserName", u.name())
        .put("UserArn", u.arn()).put("UserId", u.userId()).put("Status", key.status())
        .put("SealedSecret", key.sealedSecret()).put("Generation", key.generation()));
  }

  private Future<JsonObject> index(JsonObject in, String account) {
    String keyId = UserInputs.accessKeyId(in);
    String userName = in.getString("UserName");
    Map<String, KeyOwner> entry = new HashMap<>();
    entry.put(keyId, userName == null ? null : new KeyOwner(account, userName));
    return users.putIndex(AccessKeyIds.partitionOf(keyId), entry).map(x -> new JsonObject());
  }

  private User requireUser(String account, JsonObject in) {
    String name = UserInputs.userName(in);
    User u = users.find(account, name);
    if (u == null) throw noSuchEntity("The user with name " + name + " cannot be found.");
    return u;
  }

  private static AccessKey requireKey(User u, String keyId) {
    AccessKey key = u.accessKeys().get(keyId);
    if (key == null) throw keyNotFound(keyId);
    return key;
  }

  static ServiceException keyNotFound(String keyId) {
    return noSuchEntity("The Access Key with id " + keyId + " cannot be found.");
  }
}
