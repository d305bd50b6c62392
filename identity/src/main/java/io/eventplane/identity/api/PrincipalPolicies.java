package io.eventplane.identity.api;

import static io.eventplane.identity.domain.IamErrors.noSuchEntity;

import io.eventplane.identity.domain.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The managed and inline policies of a user or a group: the rules of Attach/Detach/ListAttached
 * and Put/Get/Delete/List of inline policies, on the entity's current policy sets. The calls
 * return the new sets; the entity's API saves them.
 */
final class PrincipalPolicies {
  private static final Pattern AWS_POLICY = Pattern.compile("arn:aws[a-zA-Z-]*:iam::aws:policy/[\\w+=,.@/-]+");
  private static final Pattern POLICY_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:iam::(aws|\\d{12}):policy/[\\w+=,.@/-]+");
  /** IAM's quota of managed policies attached to one user, group or role. */
  static final int MAX_ATTACHED = 10;

  private final String kind;
  private final String quotaName;
  private final int maxInlineCharacters;
  private final RoleApi.PolicyExists policyExists;

  /**
   * @param kind {@code user} or {@code group}, as IAM's messages name them
   * @param quotaName the attached-policies quota's name ({@code PoliciesPerUser})
   * @param maxInlineCharacters IAM's quota of all inline documents together (whitespace not counted)
   */
  PrincipalPolicies(String kind, String quotaName, int maxInlineCharacters, RoleApi.PolicyExists policyExists) {
    this.kind = kind;
    this.quotaName = quotaName;
    this.maxInlineCharacters = maxInlineCharacters;
    this.policyExists = policyExists;
  }

  /** The policy ARN of Attach/Detach, checked as IAM checks it. */
  static String policyArn(JsonObject in) {
    String arn = RoleInputs.string(in, "PolicyArn", "policyArn");
    if (arn == null) throw io.eventplane.identity.domain.IamErrors.validation("null", "policyArn", "Member must not be null");
    if (!POLICY_ARN.matcher(arn).matches()) throw PolicyInputs.notValid(arn);
    return arn;
  }

  /**
   * Whether the policy can be attached: any AWS-managed ARN, a customer policy that exists (its
   * owner is asked). Completes with nothing or fails with NoSuchEntity.
   */
  Future<Void> checkAttachable(String account, String arn) {
    Future<Boolean> exists = AWS_POLICY.matcher(arn).matches() ? Future.succeededFuture(true)
        : policyExists.exists(account, arn);
    return exists.map(found -> {
      if (!found) throw noSuchEntity("Policy " + arn + " does not exist or is not attachable.");
      return null;
    });
  }

  TreeSet<String> attach(TreeSet<String> attached, String arn) {
    TreeSet<String> next = new TreeSet<>(attached);
    if (next.add(arn) && next.size() > MAX_ATTACHED) {
      throw UserInputs.limit("Cannot exceed quota for " + quotaName + ": " + MAX_ATTACHED);
    }
    return next;
  }

  TreeSet<String> detach(TreeSet<String> attached, String arn) {
    TreeSet<String> next = new TreeSet<>(attached);
    if (!next.remove(arn)) throw noSuchEntity("Policy " + arn + " was not found.");
    return next;
  }

  JsonObject listAttached(TreeSet<String> attached, JsonObject in) {
    String prefix = UserInputs.pathPrefix(in);
    List<JsonObject> all = new ArrayList<>();
    for (String arn : attached) {
      String path = arn.substring(arn.indexOf(":policy") + ":policy".length(), arn.lastIndexOf('/') + 1);
      if (prefix != null && !path.startsWith(prefix)) continue;
      all.add(new JsonObject().put("PolicyName", arn.substring(arn.lastIndexOf('/') + 1)).put("PolicyArn", arn));
    }
    return page(all, in, "AttachedPolicies");
  }

  TreeMap<String, String> put(String entityName, TreeMap<String, String> inline, JsonObject in) {
    String name = RoleInputs.policyName(in);
    String doc = UserInputs.identityPolicy(in);
    TreeMap<String, String> next = new TreeMap<>(inline);
    next.put(name, doc);
    int total = 0;
    for (String d : next.values()) total += UserInputs.quotaLength(d);
    if (total > maxInlineCharacters) {
      throw UserInputs.limit("Maximum policy size of " + maxInlineCharacters + " bytes exceeded for " + kind + " " + entityName);
    }
    return next;
  }

  /** GetUserPolicy's or GetGroupPolicy's answer. */
  JsonObject get(String entityMember, String entityName, TreeMap<String, String> inline, JsonObject in) {
    String name = RoleInputs.policyName(in);
    String doc = inline.get(name);
    if (doc == null) throw noSuchEntity("The " + kind + " policy with name " + name + " cannot be found.");
    return new JsonObject().put(entityMember, entityName).put("PolicyName", name).put("PolicyDocument", Role.encode(doc));
  }

  TreeMap<String, String> delete(TreeMap<String, String> inline, JsonObject in) {
    String name = RoleInputs.policyName(in);
    if (!inline.containsKey(name)) throw noSuchEntity("The " + kind + " policy with name " + name + " cannot be found.");
    TreeMap<String, String> next = new TreeMap<>(inline);
    next.remove(name);
    return next;
  }

  JsonObject listInline(TreeMap<String, String> inline, JsonObject in) {
    List<Object> names = new ArrayList<>(inline.keySet());
    return page(names, in, "PolicyNames");
  }

  /**
   * One page of a listing with IAM's MaxItems (1 to 1000, 100 when absent) and Marker (this
   * listing's own: the position of the next item; one it did not hand out starts over).
   */
  static <T> JsonObject page(List<T> all, JsonObject in, String member) {
    int max = RoleInputs.integer(in, "MaxItems", "maxItems", 1, 1000, 100);
    String marker = RoleInputs.string(in, "Marker", "marker");
    int from = marker != null && marker.matches("\\d{1,6}") ? Math.min(Integer.parseInt(marker), all.size()) : 0;
    JsonArray page = new JsonArray();
    for (int i = from; i < Math.min(all.size(), from + max); i++) page.add(all.get(i));
    boolean truncated = from + max < all.size();
    JsonObject out = new JsonObject().put(member, page).put("IsTruncated", truncated);
    if (truncated) out.put("Marker", String.valueOf(from + max));
    return out;
  }
}
