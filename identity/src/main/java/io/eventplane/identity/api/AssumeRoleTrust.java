package io.eventplane.identity.api;

import static io.eventplane.identity.domain.IamErrors.noSuchEntity;

import io.eventplane.common.error.ServiceException;
import io.eventplane.identity.domain.Role;
import io.eventplane.identity.domain.Roles;
import io.eventplane.identity.policy.AccessRequest;
import io.eventplane.identity.policy.Decision;
import io.eventplane.identity.policy.MalformedPolicyDocumentException;
import io.eventplane.identity.policy.PolicyDocument;
import io.eventplane.identity.policy.Principal;
import io.eventplane.identity.policy.TrustEvaluation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * STS's question to IAM when a verified caller assumes a role: does the role's trust policy let
 * this principal take it, for each action the call needs ({@code sts:AssumeRole}, plus
 * {@code sts:TagSession} with session tags and {@code sts:SetSourceIdentity} with a source
 * identity)? Answered at the owner of the role's partition (the role lives there), with the Role
 * shape GetRole answers so that STS needs no second call. An internal operation: IAM's API does
 * not route it (it is not in IAM's model).
 *
 * <p>The caller's identity-based policies are not evaluated yet (iam mode's identity step comes
 * later): they count as allowing, so a trust policy naming the caller's account lets it in.
 */
public final class AssumeRoleTrust {
  public static final String OPERATION = "eventplane:AssumeRole";

  private final Roles roles;
  private final Clock clock;

  public AssumeRoleTrust(Roles roles, Clock clock) {
    this.roles = roles;
    this.clock = clock;
  }

  /**
   * The question, as STS builds it.
   *
   * @param context condition keys to their values (sts:ExternalId, sts:RoleSessionName, aws:RequestTag/k, ...)
   */
  public static JsonObject question(String roleName, String roleArn, String callerArn, List<String> actions,
      Map<String, List<String>> context) {
    JsonObject keys = new JsonObject();
    context.forEach((k, v) -> keys.put(k, new JsonArray(new ArrayList<>(v))));
    return new JsonObject().put("RoleName", roleName).put("RoleArn", roleArn).put("Caller", callerArn)
        .put("Actions", new JsonArray(new ArrayList<>(actions))).put("Context", keys);
  }

  /**
   * The role, or AccessDenied naming the first action the trust policy does not allow; a role that
   * does not exist is NoSuchEntity (STS answers both alike).
   */
  public JsonObject check(JsonObject in, String account) {
    String name = RoleInputs.roleName(in);
    Role role = roles.find(account, name);
    if (role == null) throw noSuchEntity("The role with name " + name + " cannot be found.");
    String caller = in.getString("Caller");
    String roleArn = in.getString("RoleArn", role.arn());
    PolicyDocument trust;
    try {
      trust = PolicyDocument.parse(role.assumeRolePolicy(), PolicyDocument.Kind.TRUST);
    } catch (MalformedPolicyDocumentException e) {
      trust = null; // a trust policy IAM would not take today trusts no one
    }
    Map<String, List<String>> context = context(in.getJsonObject("Context", new JsonObject()));
    // The gateway's identity step (--auth iam) says whether the caller's policies allow; without it they are taken as allowing.
    Decision identity = in.getBoolean("IdentityAllows", true) ? new Decision(Decision.Outcome.ALLOW, null, null)
        : new Decision(Decision.Outcome.IMPLICIT_DENY, null, null);
    for (Object a : in.getJsonArray("Actions", new JsonArray().add("sts:AssumeRole"))) {
      String action = String.valueOf(a);
      AccessRequest request = AccessRequest.of(Principal.aws(caller), action, role.arn(), context);
      if (trust == null || !TrustEvaluation.evaluate(request, identity, trust, role.accountId()).allowed()) {
        throw new ServiceException("AccessDenied", "User: " + caller + " is not authorized to perform: " + action
            + " on resource: " + roleArn);
      }
    }
    return new JsonObject().put("Role", role.got());
  }

  private Map<String, List<String>> context(JsonObject keys) {
    Map<String, List<String>> out = new HashMap<>();
    for (String k : keys.fieldNames()) {
      List<String> values = new ArrayList<>();
      keys.getJsonArray(k).forEach(v -> values.add(String.valueOf(v)));
      out.put(k, values);
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    out.putIfAbsent("aws:CurrentTime", List.of(now.toString()));
    out.putIfAbsent("aws:EpochTime", List.of(Long.toString(now.getEpochSecond())));
    return out;
  }
}
