package io.eventplane.gateway.apigateway.invoke.access;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The policy document a Lambda authorizer returns (IAM policy format), judged for one request as
 * API Gateway does: the request is let through when a statement with Effect Allow names an action
 * matching {@code execute-api:Invoke} and a resource matching the request's route ARN, and no
 * statement with Effect Deny does. Action and Resource may be a string or a list, with {@code *}
 * (any run of characters) and {@code ?} (one character) as wildcards; actions compare without
 * case, resources with.
 */
final class IamPolicy {
  /** The verdict: ALLOW, DENY, or INVALID when the document is not a policy. */
  enum Verdict { ALLOW, DENY, INVALID }

  /**
   * REST APIs tell the two kinds of denial apart in their answer: a Deny statement matched
   * (EXPLICIT_DENY), or no Allow statement did (IMPLICIT_DENY).
   */
  enum Evaluation { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY, INVALID }

  private IamPolicy() {}

  static Verdict judge(Object document, String routeArn) {
    return switch (evaluate(document, routeArn)) {
      case ALLOW -> Verdict.ALLOW;
      case EXPLICIT_DENY, IMPLICIT_DENY -> Verdict.DENY;
      case INVALID -> Verdict.INVALID;
    };
  }

  static Evaluation evaluate(Object document, String routeArn) {
    if (!(document instanceof JsonObject policy)) return Evaluation.INVALID;
    Object statements = policy.getValue("Statement");
    List<JsonObject> list = new ArrayList<>();
    if (statements instanceof JsonObject one) {
      list.add(one);
    } else if (statements instanceof JsonArray many) {
      for (Object item : many) {
        if (!(item instanceof JsonObject statement)) return Evaluation.INVALID;
        list.add(statement);
      }
    } else {
      return Evaluation.INVALID;
    }
    boolean allowed = false;
    for (JsonObject statement : list) {
      Object effect = statement.getValue("Effect");
      if (!(effect instanceof String e)) return Evaluation.INVALID;
      boolean allow = e.equalsIgnoreCase("Allow");
      if (!allow && !e.equalsIgnoreCase("Deny")) return Evaluation.INVALID;
      if (!anyMatches(statement.getValue("Action"), "execute-api:invoke", true)) continue;
      if (!anyMatches(statement.getValue("Resource"), routeArn, false)) continue;
      if (!allow) return Evaluation.EXPLICIT_DENY;
      allowed = true;
    }
    return allowed ? Evaluation.ALLOW : Evaluation.IMPLICIT_DENY;
  }

  private static boolean anyMatches(Object patterns, String value, boolean ignoreCase) {
    if (patterns instanceof String one) return matches(one, value, ignoreCase);
    if (patterns instanceof JsonArray many) {
      for (Object item : many) if (item instanceof String p && matches(p, value, ignoreCase)) return true;
    }
    return false;
  }

  /** Glob match with {@code *} and {@code ?}, linear in practice (no regular expressions). */
  static boolean matches(String pattern, String value, boolean ignoreCase) {
    if (ignoreCase) {
      pattern = pattern.toLowerCase(Locale.ROOT);
      value = value.toLowerCase(Locale.ROOT);
    }
    int p = 0;
    int v = 0;
    int star = -1;
    int resume = 0;
    while (v < value.length()) {
      if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
        p++;
        v++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = v;
      } else if (star >= 0) {
        p = star + 1;
        v = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') p++;
    return p == pattern.length();
  }
}
