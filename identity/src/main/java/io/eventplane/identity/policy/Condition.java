package io.eventplane.identity.policy;

import java.util.List;

/**
 * One condition of a statement: an operator (with its {@code IfExists} suffix and
 * {@code ForAllValues:}/{@code ForAnyValue:} set operator), one condition key and the policy's values,
 * compiled. The values are ORed (NORed for a negated operator); a statement ANDs its conditions.
 */
final class Condition {
  enum SetOperator { NONE, FOR_ALL_VALUES, FOR_ANY_VALUE }

  private final ConditionOperator operator;
  private final SetOperator set;
  private final boolean ifExists;
  private final String key;
  private final String[] texts;
  private final Wildcard[] patterns;
  private final Wildcard[][] arnParts;
  private final double[] numbers;
  private final long[] dates;
  private final CidrBlock[] blocks;

  private Condition(ConditionOperator operator, SetOperator set, boolean ifExists, String key, List<String> values,
      boolean variables) {
    this.operator = operator;
    this.set = set;
    this.ifExists = ifExists;
    this.key = ConditionKeys.normalize(key);
    int n = values.size();
    this.texts = values.toArray(String[]::new);
    Wildcard[] patterns = null;
    Wildcard[][] arnParts = null;
    double[] numbers = null;
    long[] dates = null;
    CidrBlock[] blocks = null;
    switch (operator.kind) {
      case STRING, STRING_IGNORE_CASE, STRING_LIKE -> {
        patterns = new Wildcard[n];
        for (int i = 0; i < n; i++) {
          patterns[i] = Wildcard.compile(texts[i], operator.kind == ConditionOperator.Kind.STRING_LIKE, variables,
              operator.kind == ConditionOperator.Kind.STRING_IGNORE_CASE);
        }
      }
      case ARN -> {
        arnParts = new Wildcard[n][];
        for (int i = 0; i < n; i++) arnParts[i] = ArnPattern.compile(texts[i], variables);
      }
      case NUMERIC -> {
        numbers = new double[n];
        for (int i = 0; i < n; i++) numbers[i] = number(texts[i]);
      }
      case DATE -> {
        dates = new long[n];
        for (int i = 0; i < n; i++) dates[i] = PolicyDates.parse(texts[i]);
      }
      case IP -> {
        blocks = new CidrBlock[n];
        for (int i = 0; i < n; i++) blocks[i] = CidrBlock.parse(texts[i]);
      }
      default -> { }
    }
    this.patterns = patterns;
    this.arnParts = arnParts;
    this.numbers = numbers;
    this.dates = dates;
    this.blocks = blocks;
  }

  /** Compiles {@code "ForAnyValue:StringLikeIfExists": {key: values}}'s one key; null when the operator is unknown. */
  static Condition compile(String operatorName, String key, List<String> values, boolean variables) {
    String name = operatorName;
    SetOperator set = SetOperator.NONE;
    if (name.startsWith("ForAllValues:")) {
      set = SetOperator.FOR_ALL_VALUES;
      name = name.substring("ForAllValues:".length());
    } else if (name.startsWith("ForAnyValue:")) {
      set = SetOperator.FOR_ANY_VALUE;
      name = name.substring("ForAnyValue:".length());
    }
    boolean ifExists = false;
    if (name.endsWith("IfExists")) {
      ifExists = true;
      name = name.substring(0, name.length() - "IfExists".length());
    }
    ConditionOperator operator = ConditionOperator.named(name);
    if (operator == null || (operator == ConditionOperator.NULL && (ifExists || set != SetOperator.NONE))) return null;
    return new Condition(operator, set, ifExists, key, values, variables);
  }

  boolean test(RequestContext context) {
    List<String> values = context.values(key);
    if (operator == ConditionOperator.NULL) {
      for (String t : texts) {
        if (t.equalsIgnoreCase("true") ? values == null : t.equalsIgnoreCase("false") && values != null) return true;
      }
      return false;
    }
    if (values == null) {
      if (ifExists) return true;
      return switch (set) {
        case FOR_ALL_VALUES -> true;
        case FOR_ANY_VALUE -> false;
        case NONE -> operator.negated;
      };
    }
    boolean requireAll = set == SetOperator.FOR_ALL_VALUES || (set == SetOperator.NONE && operator.negated);
    for (int i = 0, n = values.size(); i < n; i++) {
      boolean passes = anyMatches(values.get(i), context) != operator.negated;
      if (requireAll && !passes) return false;
      if (!requireAll && passes) return true;
    }
    return requireAll;
  }

  private boolean anyMatches(String value, RequestContext context) {
    switch (operator.kind) {
      case STRING, STRING_IGNORE_CASE, STRING_LIKE -> {
        for (Wildcard p : patterns) if (p.matches(value, context)) return true;
        return false;
      }
      case ARN -> {
        for (Wildcard[] parts : arnParts) if (ArnPattern.matches(parts, value, context)) return true;
        return false;
      }
      case NUMERIC -> {
        double v = number(value);
        if (Double.isNaN(v)) return false;
        for (double n : numbers) if (!Double.isNaN(n) && operator.compare(Double.compare(v, n))) return true;
        return false;
      }
      case DATE -> {
        long v = PolicyDates.parse(value);
        if (v == PolicyDates.INVALID) return false;
        for (long d : dates) if (d != PolicyDates.INVALID && operator.compare(Long.compare(v, d))) return true;
        return false;
      }
      case BOOL -> {
        for (String t : texts) if (t.equalsIgnoreCase(value)) return true;
        return false;
      }
      case BINARY -> {
        for (String t : texts) if (t.equals(value)) return true;
        return false;
      }
      case IP -> {
        byte[] address = IpLiteral.parse(value.trim());
        if (address == null) return false;
        for (CidrBlock b : blocks) if (b != null && b.contains(address)) return true;
        return false;
      }
      default -> throw new IllegalStateException(operator.wireName);
    }
  }

  private static double number(String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
