package io.eventplane.identity.api;

import static io.eventplane.identity.domain.IamErrors.noSuchEntity;

import io.eventplane.common.error.ServiceException;
import io.eventplane.identity.domain.AwsManagedPolicies;
import io.eventplane.identity.domain.IamErrors;
import io.eventplane.identity.domain.ManagedPolicy;
import io.eventplane.identity.domain.Policies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * IAM's managed-policy operations. A customer policy's calls run at the owner of its partition;
 * AWS-managed policies ({@link AwsManagedPolicies}) are answered on any node; ListPolicies and
 * the attachment counts ask every node (roles, which hold the attachments, live in partitions of
 * their own).
 */
public final class PolicyApi {
  private static final Set<String> OPERATIONS = Set.of("CreatePolicy", "GetPolicy", "DeletePolicy", "ListPolicies",
      "GetPolicyVersion", "CreatePolicyVersion", "ListPolicyVersions", "DeletePolicyVersion", "SetDefaultPolicyVersion");

  private final Policies policies;
  private final Clock clock;
  private final Function<String, Future<IamInventory>> inventoryOfEveryNode;

  /** @param inventoryOfEveryNode an account's roles, attachments and customer policies from every node */
  public PolicyApi(Policies policies, Clock clock, Function<String, Future<IamInventory>> inventoryOfEveryNode) {
    this.policies = policies;
    this.clock = clock;
    this.inventoryOfEveryNode = inventoryOfEveryNode;
  }

  public static boolean isPolicyOperation(String operation) {
    return OPERATIONS.contains(operation);
  }

  /** Whether the call is answered where it arrives: ListPolicies, and any call on an AWS-managed policy. */
  public static boolean isAnsweredAnywhere(String operation, JsonObject in) {
    if ("ListPolicies".equals(operation)) return true;
    if ("CreatePolicy".equals(operation)) return false;
    return AwsManagedPolicies.ACCOUNT.equals(PolicyInputs.policyArn(in).account());
  }

  /** The partition of the customer policy a call names; a bad name or ARN is refused before routing. */
  public static int partitionOf(String account, String operation, JsonObject in) {
    String name = "CreatePolicy".equals(operation) ? PolicyInputs.policyName(in) : PolicyInputs.policyArn(in).name();
    return Policies.partitionOf(account, name);
  }

  public Future<JsonObject> handle(String operation, JsonObject in, String account) {
    return switch (operation) {
      case "CreatePolicy" -> create(in, account);
      case "GetPolicy" -> get(in, account);
      case "DeletePolicy" -> delete(in, account);
      case "ListPolicies" -> list(in, account);
      case "GetPolicyVersion" -> getVersion(in, account);
      case "CreatePolicyVersion" -> createVersion(in, account);
      case "ListPolicyVersions" -> listVersions(in, account);
      case "DeletePolicyVersion" -> deleteVersion(in, account);
      case "SetDefaultPolicyVersion" -> setDefault(in, account);
      default -> throw new ServiceException("InvalidAction", "Could not find operation " + operation);
    };
  }

  /** Whether a customer policy of this ARN exists here (AttachRolePolicy's check, at the policy's owner). */
  public boolean exists(String account, String arn) {
    PolicyInputs.Arn parsed = PolicyInputs.parseArn(arn);
    if (parsed == null || !parsed.account().equals(account)) return false;
    ManagedPolicy p = policies.find(account, parsed.name());
    return p != null && p.arn().equals(arn);
  }

  /** This node's customer policies of an account, as ListPolicies items (attachment counts left at 0). */
  public JsonArray policiesHere(String account) {
    JsonArray out = new JsonArray();
    for (ManagedPolicy p : policies.ofAccount(account)) out.add(p.output(ManagedPolicy.View.LISTED, 0));
    return out;
  }

  private Future<JsonObject> create(JsonObject in, String account) {
    String name = PolicyInputs.policyName(in);
    String path = RoleInputs.path(in);
    String document = PolicyInputs.document(in);
    String description = RoleInputs.description(in);
    Map<String, String> tags = RoleInputs.tags(in, false);
    if (policies.find(account, name) != null) {
      throw new ServiceException("EntityAlreadyExists", "A policy called " + name + " already exists. Duplicate names are not allowed.");
    }
    long now = clock.millis();
    TreeMap<Integer, ManagedPolicy.Version> versions = new TreeMap<>();
    versions.put(1, new ManagedPolicy.Version(document, now));
    ManagedPolicy p = new ManagedPolicy(account, name, path, policyId(), description, tags, versions, 1, 2, now, now);
    return policies.save(p).map(x -> new JsonObject().put("Policy", p.output(ManagedPolicy.View.CREATED, 0)));
  }

  private Future<JsonObject> get(JsonObject in, String account) {
    ManagedPolicy p = require(in, account);
    return attachments(account, p).map(count -> new JsonObject().put("Policy", p.output(ManagedPolicy.View.GET, count)));
  }

  private Future<JsonObject> delete(JsonObject in, String account) {
    ManagedPolicy p = require(in, account);
    return attachments(account, p).compose(count -> {
      // The policy may have changed while the nodes were asked: decide on what is there now.
      ManagedPolicy now = require(in, account);
      if (count > 0) throw IamErrors.deleteConflict("Cannot delete a policy attached to entities.");
      if (now.versions().size() > 1) {
        throw IamErrors.deleteConflict("This policy has more than one version. Before you delete a policy, you must "
            + "delete the policy's versions. The default version is deleted with the policy.");
      }
      return policies.delete(now).map(x -> new JsonObject());
    });
  }

  private Future<JsonObject> list(JsonObject in, String account) {
    String scope = RoleInputs.string(in, "Scope", "scope");
    if (scope != null && !Set.of("All", "AWS", "Local").contains(scope)) {
      throw IamErrors.validationAt("scope", "Member must satisfy enum value set: [All, AWS, Local]");
    }
    boolean onlyAttached = Boolean.TRUE.equals(in.getValue("OnlyAttached")) || "true".equals(in.getValue("OnlyAttached"));
    String given = RoleInputs.string(in, "PathPrefix", "pathPrefix");
    String prefix = given == null ? "/" : given;
    int max = RoleInputs.integer(in, "MaxItems", "maxItems", 1, 1000, 100);
    String marker = RoleInputs.string(in, "Marker", "marker");
    return inventoryOfEveryNode.apply(account).map(inventory -> {
      List<JsonObject> all = new ArrayList<>();
      if (scope == null || !scope.equals("Local")) {
        for (ManagedPolicy p : AwsManagedPolicies.all()) {
          all.add(p.output(ManagedPolicy.View.LISTED, inventory.attachments().getOrDefault(p.arn(), 0)));
        }
      }
      if (scope == null || !scope.equals("AWS")) {
        for (JsonObject p : inventory.policies()) {
          all.add(p.copy().put("AttachmentCount", inventory.attachments().getOrDefault(p.getString("Arn"), 0)));
        }
      }
      all.removeIf(p -> !p.getString("Path").startsWith(prefix) || (onlyAttached && p.getInteger("AttachmentCount") == 0));
      all.sort(Comparator.comparing((JsonObject p) -> p.getString("PolicyName").toLowerCase(Locale.ROOT))
          .thenComparing(p -> p.getString("Arn")));
      if (marker != null) all.removeIf(p -> order(p).compareTo(marker) <= 0);
      JsonArray page = new JsonArray();
      for (int i = 0; i < Math.min(max, all.size()); i++) page.add(all.get(i));
      JsonObject out = new JsonObject().put("Policies", page).put("IsTruncated", all.size() > max);
      if (all.size() > max) out.put("Marker", order(all.get(max - 1)));
      return out;
    });
  }

  private Future<JsonObject> getVersion(JsonObject in, String account) {
    PolicyInputs.Arn arn = PolicyInputs.policyArn(in);
    int number = PolicyInputs.versionId(in);
    ManagedPolicy p = find(arn, account);
    if (p == null || !p.versions().containsKey(number)) throw versionNotFound(arn, number);
    return Future.succeededFuture(new JsonObject().put("PolicyVersion", p.versionOutput(number, true)));
  }

  private Future<JsonObject> createVersion(JsonObject in, String account) {
    ManagedPolicy p = requireCustomer(in, account);
    String document = PolicyInputs.document(in);
    boolean setAsDefault = Boolean.TRUE.equals(in.getValue("SetAsDefault")) || "true".equals(in.getValue("SetAsDefault"));
    if (p.versions().size() >= ManagedPolicy.MAX_VERSIONS) {
      throw new ServiceException("LimitExceeded", "A managed policy can have up to " + ManagedPolicy.MAX_VERSIONS
          + " versions. Before you create a new version, you must delete an existing version.");
    }
    long now = clock.millis();
    int number = p.nextVersion();
    TreeMap<Integer, ManagedPolicy.Version> versions = new TreeMap<>(p.versions());
    versions.put(number, new ManagedPolicy.Version(document, now));
    ManagedPolicy next = p.withVersions(versions, setAsDefault ? number : p.defaultVersion(), number + 1, now);
    return policies.save(next).map(x -> new JsonObject().put("PolicyVersion", next.versionOutput(number, false)));
  }

  private Future<JsonObject> listVersions(JsonObject in, String account) {
    ManagedPolicy p = require(in, account);
    RoleInputs.integer(in, "MaxItems", "maxItems", 1, 1000, 100);
    JsonArray out = new JsonArray();
    for (Integer n : p.versions().descendingKeySet()) out.add(p.versionOutput(n, false));
    return Future.succeededFuture(new JsonObject().put("Versions", out).put("IsTruncated", false));
  }

  private Future<JsonObject> deleteVersion(JsonObject in, String account) {
    PolicyInputs.Arn arn = PolicyInputs.policyArn(in);
    int number = PolicyInputs.versionId(in);
    ManagedPolicy p = requireCustomer(in, account);
    if (!p.versions().containsKey(number)) throw versionNotFound(arn, number);
    if (number == p.defaultVersion()) throw IamErrors.deleteConflict("Cannot delete the default version of a policy.");
    TreeMap<Integer, ManagedPolicy.Version> versions = new TreeMap<>(p.versions());
    versions.remove(number);
    return policies.save(p.withVersions(versions, p.defaultVersion(), p.nextVersion(), clock.millis()))
        .map(x -> new JsonObject());
  }

  private Future<JsonObject> setDefault(JsonObject in, String account) {
    PolicyInputs.Arn arn = PolicyInputs.policyArn(in);
    int number = PolicyInputs.versionId(in);
    ManagedPolicy p = find(arn, account);
    if (p == null || !p.versions().containsKey(number)) throw versionNotFound(arn, number);
    if (p.isAwsManaged()) requireCustomer(in, account);
    return policies.save(p.withVersions(p.versions(), number, p.nextVersion(), clock.millis())).map(x -> new JsonObject());
  }

  /** How many of the account's roles have the policy attached (every node's roles). */
  private Future<Integer> attachments(String account, ManagedPolicy p) {
    return inventoryOfEveryNode.apply(account).map(inventory -> inventory.attachments().getOrDefault(p.arn(), 0));
  }

  private ManagedPolicy require(JsonObject in, String account) {
    PolicyInputs.Arn arn = PolicyInputs.policyArn(in);
    ManagedPolicy p = find(arn, account);
    if (p == null) throw noSuchEntity("Policy " + arn.text() + " was not found.");
    return p;
  }

  /** A customer policy the call may change; an AWS-managed one cannot be changed. */
  private ManagedPolicy requireCustomer(JsonObject in, String account) {
    ManagedPolicy p = require(in, account);
    if (p.isAwsManaged()) {
      throw new ServiceException("UnmodifiableEntity", "Cannot perform the operation on the AWS managed policy " + p.arn() + ".");
    }
    return p;
  }

  private ManagedPolicy find(PolicyInputs.Arn arn, String account) {
    if (AwsManagedPolicies.ACCOUNT.equals(arn.account())) return AwsManagedPolicies.find(arn.text());
    if (!arn.account().equals(account)) return null;
    ManagedPolicy p = policies.find(account, arn.name());
    return p != null && p.arn().equals(arn.text()) ? p : null;
  }

  private static ServiceException versionNotFound(PolicyInputs.Arn arn, int number) {
    return noSuchEntity("Policy " + arn.text() + " version v" + number + " does not exist or is not attachable.");
  }

  private static String order(JsonObject p) {
    return p.getString("PolicyName").toLowerCase(Locale.ROOT) + "\u0000" + p.getString("Arn");
  }

  private static String policyId() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder id = new StringBuilder("ANPA");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 17; i++) id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    return id.toString();
  }
}
