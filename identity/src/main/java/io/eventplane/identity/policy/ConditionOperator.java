package io.eventplane.identity.policy;

import java.util.HashMap;
import java.util.Map;

/**
 * The condition operators of IAM's Condition element, without their {@code IfExists} suffix and set
 * prefix. A negated operator (StringNotEquals, NotIpAddress, ...) matches when none of the policy's
 * values matches, and also when the key is absent from the request.
 */
enum ConditionOperator {
  STRING_EQUALS("StringEquals", Kind.STRING, false),
  STRING_NOT_EQUALS("StringNotEquals", Kind.STRING, true),
  STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Kind.STRING_IGNORE_CASE, false),
  STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Kind.STRING_IGNORE_CASE, true),
  STRING_LIKE("StringLike", Kind.STRING_LIKE, false),
  STRING_NOT_LIKE("StringNotLike", Kind.STRING_LIKE, true),
  NUMERIC_EQUALS("NumericEquals", Kind.NUMERIC, false),
  NUMERIC_NOT_EQUALS("NumericNotEquals", Kind.NUMERIC, true),
  NUMERIC_LESS_THAN("NumericLessThan", Kind.NUMERIC, false),
  NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Kind.NUMERIC, false),
  NUMERIC_GREATER_THAN("NumericGreaterThan", Kind.NUMERIC, false),
  NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Kind.NUMERIC, false),
  DATE_EQUALS("DateEquals", Kind.DATE, false),
  DATE_NOT_EQUALS("DateNotEquals", Kind.DATE, true),
  DATE_LESS_THAN("DateLessThan", Kind.DATE, false),
  DATE_LESS_THAN_EQUALS("DateLessThanEquals", Kind.DATE, false),
  DATE_GREATER_THAN("DateGreaterThan", Kind.DATE, false),
  DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Kind.DATE, false),
  BOOL("Bool", Kind.BOOL, false),
  BINARY_EQUALS("BinaryEquals", Kind.BINARY, false),
  IP_ADDRESS("IpAddress", Kind.IP, false),
  NOT_IP_ADDRESS("NotIpAddress", Kind.IP, true),
  ARN_EQUALS("ArnEquals", Kind.ARN, false),
  ARN_LIKE("ArnLike", Kind.ARN, false),
  ARN_NOT_EQUALS("ArnNotEquals", Kind.ARN, true),
  ARN_NOT_LIKE("ArnNotLike", Kind.ARN, true),
  NULL("Null", Kind.NULL, false);

  enum Kind { STRING, STRING_IGNORE_CASE, STRING_LIKE, NUMERIC, DATE, BOOL, BINARY, IP, ARN, NULL }

  private static final Map<String, ConditionOperator> BY_NAME = new HashMap<>();

  static {
    for (ConditionOperator o : values()) BY_NAME.put(o.wireName, o);
  }

  final String wireName;
  final Kind kind;
  final boolean negated;

  ConditionOperator(String wireName, Kind kind, boolean negated) {
    this.wireName = wireName;
    this.kind = kind;
    this.negated = negated;
  }

  /** The operator of that name (case-sensitive, as IAM takes it), or null. */
  static ConditionOperator named(String name) {
    return BY_NAME.get(name);
  }

  /** For the ordered numeric and date operators: whether {@code request} compared to {@code policy} passes. */
  boolean compare(int requestComparedToPolicy) {
    return switch (this) {
      case NUMERIC_EQUALS, NUMERIC_NOT_EQUALS, DATE_EQUALS, DATE_NOT_EQUALS -> requestComparedToPolicy == 0;
      case NUMERIC_LESS_THAN, DATE_LESS_THAN -> requestComparedToPolicy < 0;
      case NUMERIC_LESS_THAN_EQUALS, DATE_LESS_THAN_EQUALS -> requestComparedToPolicy <= 0;
      case NUMERIC_GREATER_THAN, DATE_GREATER_THAN -> requestComparedToPolicy > 0;
      case NUMERIC_GREATER_THAN_EQUALS, DATE_GREATER_THAN_EQUALS -> requestComparedToPolicy >= 0;
      default -> throw new IllegalStateException(wireName);
    };
  }
}
