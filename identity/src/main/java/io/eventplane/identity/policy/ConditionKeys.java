package io.eventplane.identity.policy;

import java.util.Locale;

/** Condition key names: IAM compares them without regard to case, so both sides are lower-cased once. */
final class ConditionKeys {
  static final String PRINCIPAL_ARN = "aws:principalarn";
  static final String PRINCIPAL_ACCOUNT = "aws:principalaccount";
  static final String PRINCIPAL_TAG = "aws:principaltag/";
  static final String USERNAME = "aws:username";
  static final String PRINCIPAL_TYPE = "aws:principaltype";

  private ConditionKeys() {}

  static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT);
  }
}
