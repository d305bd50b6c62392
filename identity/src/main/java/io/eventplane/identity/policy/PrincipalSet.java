package io.eventplane.identity.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A resource policy's Principal (or NotPrincipal) element, compiled: {@code "*"}, {@code {"AWS": ...}}
 * with account ids, account root ARNs or principal ARNs, {@code {"Service": ...}},
 * {@code {"Federated": ...}}. Naming an account (its id or its root ARN) trusts that account's own
 * identity policies to decide; naming a principal's ARN grants that principal directly.
 */
final class PrincipalSet {
  /** How a request's principal is named by this set. */
  enum Match { NONE, ACCOUNT, PRINCIPAL }

  private final boolean everyone;
  private final List<String> accounts;
  private final List<String> arns;
  private final List<String> services;
  private final List<String> federated;

  private PrincipalSet(boolean everyone, List<String> accounts, List<String> arns, List<String> services,
      List<String> federated) {
    this.everyone = everyone;
    this.accounts = accounts;
    this.arns = arns;
    this.services = services;
    this.federated = federated;
  }

  static PrincipalSet everyone() {
    return new PrincipalSet(true, List.of(), List.of(), List.of(), List.of());
  }

  static final class Builder {
    private boolean everyone;
    private final List<String> accounts = new ArrayList<>();
    private final List<String> arns = new ArrayList<>();
    private final List<String> services = new ArrayList<>();
    private final List<String> federated = new ArrayList<>();

    /** Adds an {@code "AWS"} value; false when IAM would not take it as a principal. */
    boolean aws(String value) {
      if (value.equals("*")) {
        everyone = true;
        return true;
      }
      if (isAccountId(value)) {
        accounts.add(value);
        return true;
      }
      String[] parts = value.split(":", 6);
      if (parts.length != 6 || !parts[0].equals("arn") || parts[1].isEmpty() || !isAccountId(parts[4])
          || value.indexOf('*') >= 0 || value.indexOf('?') >= 0) {
        return false;
      }
      if (parts[2].equals("iam") && parts[5].equals("root")) accounts.add(parts[4]);
      else arns.add(value);
      return true;
    }

    boolean service(String value) {
      if (value.isEmpty()) return false;
      if (value.equals("*")) everyone = true;
      else services.add(value);
      return true;
    }

    boolean federated(String value) {
      if (value.isEmpty()) return false;
      federated.add(value);
      return true;
    }

    PrincipalSet build() {
      return new PrincipalSet(everyone, List.copyOf(accounts), List.copyOf(arns), List.copyOf(services),
          List.copyOf(federated));
    }
  }

  private static boolean isAccountId(String s) {
    if (s.length() != 12) return false;
    for (int i = 0; i < 12; i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    return true;
  }

  Match match(AccessRequest request) {
    Principal p = request.principal();
    if (everyone) return Match.PRINCIPAL;
    switch (p.type()) {
      case AWS -> {
        if (arns.contains(p.id())) return Match.PRINCIPAL;
        if (request.sessionRole() != null && arns.contains(request.sessionRole())) return Match.PRINCIPAL;
        if (p.account() != null && accounts.contains(p.account())) return Match.ACCOUNT;
        return Match.NONE;
      }
      case SERVICE -> {
        return services.contains(p.id()) ? Match.PRINCIPAL : Match.NONE;
      }
      case FEDERATED -> {
        return federated.contains(p.id()) ? Match.PRINCIPAL : Match.NONE;
      }
      default -> {
        return Match.NONE;
      }
    }
  }
}
