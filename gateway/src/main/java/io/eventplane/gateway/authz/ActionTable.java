package io.eventplane.gateway.authz;

import io.eventplane.common.bus.RequestContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@link ServiceActions} kept as a map from operation to the rule that builds its targets. */
final class ActionTable implements ServiceActions {
  /** How one operation's targets are built. */
  @FunctionalInterface
  interface Rule {
    List<Target> targets(ApiCall call, Arns arns);
  }

  private final String signingName;
  private final Map<String, Rule> rules;

  private ActionTable(String signingName, Map<String, Rule> rules) {
    this.signingName = signingName;
    this.rules = Map.copyOf(rules);
  }

  static Builder builder(String signingName) {
    return new Builder(signingName);
  }

  @Override
  public String signingName() {
    return signingName;
  }

  @Override
  public Set<String> operations() {
    return rules.keySet();
  }

  @Override
  public List<Target> targets(ApiCall call, RequestContext context) {
    Rule rule = rules.get(call.operation());
    if (rule == null) throw new IllegalArgumentException("no IAM action for " + signingName + " " + call.operation());
    return rule.targets(call, new Arns(context.region(), context.accountId(), Arns.userOf(context.caller())));
  }

  static final class Builder {
    private final String signingName;
    private final Map<String, Rule> rules = new HashMap<>();

    private Builder(String signingName) {
      this.signingName = signingName;
    }

    Builder rule(String operation, Rule rule) {
      if (rules.put(operation, rule) != null) throw new IllegalStateException("two rules for " + operation);
      return this;
    }

    /** Operations whose action is the service prefix and their own name, on the resource the function gives. */
    Builder same(java.util.function.BiFunction<ApiCall, Arns, String> resource, String... operations) {
      for (String op : operations) {
        String action = signingName + ":" + op;
        rule(op, (call, arns) -> List.of(Target.of(action, resource.apply(call, arns))));
      }
      return this;
    }

    /** Operations that need their own action on {@code *} (no resource type in the reference). */
    Builder anyResource(String... operations) {
      return same((call, arns) -> "*", operations);
    }

    /** Operations that need no permission at all. */
    Builder free(String... operations) {
      for (String op : operations) rule(op, (call, arns) -> List.of());
      return this;
    }

    ActionTable build() {
      return new ActionTable(signingName, rules);
    }
  }
}
