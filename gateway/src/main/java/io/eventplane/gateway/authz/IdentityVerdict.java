package io.eventplane.gateway.authz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity step's decisions for all the targets of one call, in the targets' order.
 * {@link #denied()} is the first target the identity policies deny explicitly, else null: an
 * explicit deny is final, whatever the resource's policy says. An implicit deny is not final yet
 * (the resource's policy may allow the caller), so the lane completes it.
 */
public record IdentityVerdict(List<Target> targets, List<IdentityDecision> decisions) {
  public IdentityVerdict {
    targets = List.copyOf(targets);
    decisions = List.copyOf(decisions);
    if (targets.size() != decisions.size()) throw new IllegalArgumentException("one decision per target");
  }

  /** The index of the first explicitly denied target, or -1. */
  public int denied() {
    for (int i = 0; i < decisions.size(); i++) if (decisions.get(i).explicitlyDenied()) return i;
    return -1;
  }

  /**
   * The index of the first target denied for good at the identity step, or -1: an explicit deny, or
   * an implicit deny of an action no resource policy can grant (iam:PassRole: a role's trust policy
   * governs assuming it, never passing it).
   */
  public int finalDenial() {
    int explicit = denied();
    if (explicit >= 0) return explicit;
    for (int i = 0; i < decisions.size(); i++) {
      if (!decisions.get(i).allowed() && targets.get(i).action().equals("iam:PassRole")) return i;
    }
    return -1;
  }

  /** The index of the first target that is not allowed (explicitly or implicitly denied), or -1. */
  public int notAllowed() {
    int explicit = denied();
    if (explicit >= 0) return explicit;
    for (int i = 0; i < decisions.size(); i++) if (!decisions.get(i).allowed()) return i;
    return -1;
  }

  public boolean allAllowed() {
    return notAllowed() < 0;
  }

  /**
   * The verdict as it travels with the request to the lane that completes it: one array per target,
   * {@code [action, resource, {serviceKey: [values]}, [outcome, policyName, sid]]}.
   */
  public JsonArray toWire() {
    JsonArray out = new JsonArray();
    for (int i = 0; i < targets.size(); i++) {
      Target t = targets.get(i);
      JsonObject keys = new JsonObject();
      t.keys().forEach((k, v) -> keys.put(k, new JsonArray(new ArrayList<>(v))));
      out.add(new JsonArray().add(t.action()).add(t.resource()).add(keys).add(decisions.get(i).toWire()));
    }
    return out;
  }

  /** The verdict a wire array carries; IllegalArgumentException for anything else. */
  public static IdentityVerdict fromWire(JsonArray wire) {
    List<Target> targets = new ArrayList<>(wire.size());
    List<IdentityDecision> decisions = new ArrayList<>(wire.size());
    try {
      for (Object o : wire) {
        JsonArray t = (JsonArray) o;
        Map<String, List<String>> keys = new HashMap<>();
        for (var e : t.getJsonObject(2)) {
          List<String> values = new ArrayList<>();
          for (Object v : (JsonArray) e.getValue()) values.add((String) v);
          keys.put(e.getKey(), values);
        }
        targets.add(new Target(t.getString(0), t.getString(1), keys));
        decisions.add(IdentityDecision.fromWire(t.getJsonArray(3)));
      }
    } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not an identity verdict: " + wire, e);
    }
    return new IdentityVerdict(targets, decisions);
  }
}
