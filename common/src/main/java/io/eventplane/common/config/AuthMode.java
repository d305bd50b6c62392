package io.eventplane.common.config;

import java.util.Locale;

/**
 * How a node treats the signatures and permissions of API calls.
 * <ul>
 *   <li>{@link #OFF}: any key is accepted and names the account as before (the laptop default).
 *   <li>{@link #SIGV4}: every signed API call is verified with Signature Version 4 against the admin
 *       key, IAM's access keys and STS's temporary credentials.
 *   <li>{@link #IAM}: verified, and every action is authorized by IAM's policy evaluation.
 * </ul>
 */
public enum AuthMode {
  OFF, SIGV4, IAM;

  /** {@code off}, {@code sigv4} or {@code iam}, any case. */
  public static AuthMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("auth must be off, sigv4 or iam: " + text);
    }
  }

  /** Whether signatures are checked. */
  public boolean verifiesSignatures() {
    return this != OFF;
  }

  /** Whether policies are evaluated. */
  public boolean authorizes() {
    return this == IAM;
  }
}
