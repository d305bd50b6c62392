package io.eventplane.identity.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;

/**
 * What the user, group and access-key calls ask of the rest of the cluster: an internal operation
 * at the owner of another partition (a user renamed into another partition, a group's id, an
 * access key's index entry), the account's inventory from every node, and the notice that access
 * keys changed (every node's gateway drops what it cached of them).
 */
public interface IamCalls {
  /** Moves a user record (stored form under {@code User}) into its new name's partition: UpdateUser's rename. */
  String ADOPT_USER = "eventplane:AdoptUser";
  /** Moves a group record into its new name's partition: UpdateGroup's rename. */
  String ADOPT_GROUP = "eventplane:AdoptGroup";
  /** A group's id and shape by name ({@code GroupName}), at the group's owner. */
  String GROUP_ID = "eventplane:GroupId";
  /** Writes ({@code UserName}) or drops (no UserName) the index entry of {@code AccessKeyId}, at the key's partition. */
  String INDEX_ACCESS_KEY = "eventplane:IndexAccessKey";
  /** An access key of a user ({@code UserName}, {@code AccessKeyId}), at the user's owner: ResolveAccessKey's second step. */
  String USER_ACCESS_KEY = "eventplane:UserAccessKey";
  /**
   * The gateway's key lookup ({@code AccessKeyId}), at the partition the key id names: AccountId,
   * UserName, UserArn, UserId, Status, SealedSecret (base64), Generation; or NoSuchEntity.
   */
  String RESOLVE_ACCESS_KEY = "eventplane:ResolveAccessKey";

  /** Runs an internal operation at the owner of {@code partition}, for {@code account}. */
  Future<JsonObject> at(int partition, String operation, JsonObject input, String account);

  /** The account's roles, users, groups, attachments and customer policies, from every node. */
  Future<IamInventory> inventory(String account);

  /** Tells every node that these access keys changed (status, deleted, their user renamed or deleted). */
  void accessKeysChanged(Collection<String> accessKeyIds);
}
