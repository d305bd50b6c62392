package io.eventplane.identity.policy;

/**
 * ARN matching for the Arn condition operators: each of the six colon-separated parts of the ARN is
 * matched on its own (a wildcard never spans a colon before the resource part), case-sensitively.
 */
final class ArnPattern {
  private ArnPattern() {}

  static Wildcard[] compile(String pattern, boolean variables) {
    String[] parts = pattern.split(":", 6);
    if (parts.length < 6) return new Wildcard[] {Wildcard.compile(pattern, true, variables, false)};
    Wildcard[] out = new Wildcard[6];
    for (int i = 0; i < 6; i++) out[i] = Wildcard.compile(parts[i], true, variables, false);
    return out;
  }

  static boolean matches(Wildcard[] parts, String arn, RequestContext context) {
    if (parts.length == 1) return parts[0].matches(arn, context);
    int from = 0;
    for (int i = 0; i < 5; i++) {
      int colon = arn.indexOf(':', from);
      if (colon < 0) return false;
      if (!parts[i].matches(arn, from, colon, context)) return false;
      from = colon + 1;
    }
    return parts[5].matches(arn, from, arn.length(), context);
  }
}
