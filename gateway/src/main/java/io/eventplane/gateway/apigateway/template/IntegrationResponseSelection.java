package io.eventplane.gateway.apigateway.template;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which of an integration's integration responses answers, by their {@code selectionPattern}s, as API
 * Gateway chooses: for a Lambda integration the pattern is matched against the function error's
 * {@code errorMessage}, for HTTP and AWS integrations against the backend's status code ({@code "404"}).
 * A pattern must match the whole text (a Java regular expression, in which {@code .} does not match a line
 * break). The response without a pattern is the default: it answers a successful Lambda invocation and any
 * result no pattern matches. Responses are tried in status code order; a pattern that is not a valid regular
 * expression matches nothing.
 */
public final class IntegrationResponseSelection {
  private IntegrationResponseSelection() {
  }

  /**
   * @param patterns status code of each integration response to its selection pattern (null or empty for the default)
   * @param errorMessage the Lambda function error's {@code errorMessage}, or null when the function succeeded
   * @return the status code of the integration response to use; empty when none applies (API Gateway's 500)
   */
  public static Optional<String> forLambda(Map<String, String> patterns, String errorMessage, boolean functionError) {
    return functionError ? select(patterns, errorMessage == null ? "" : errorMessage) : defaultOf(patterns);
  }

  /**
   * @param patterns status code of each integration response to its selection pattern (null or empty for the default)
   * @param backendStatus the HTTP or AWS backend's status code
   * @return the status code of the integration response to use; empty when none applies (API Gateway's 500)
   */
  public static Optional<String> forStatus(Map<String, String> patterns, int backendStatus) {
    return select(patterns, Integer.toString(backendStatus));
  }

  private static Optional<String> select(Map<String, String> patterns, String subject) {
    for (Map.Entry<String, String> e : new TreeMap<>(patterns).entrySet()) {
      String pattern = e.getValue();
      if (pattern == null || pattern.isEmpty()) continue;
      if (matches(pattern, subject)) return Optional.of(e.getKey());
    }
    return defaultOf(patterns);
  }

  private static Optional<String> defaultOf(Map<String, String> patterns) {
    return new TreeMap<>(patterns).entrySet().stream()
        .filter(e -> e.getValue() == null || e.getValue().isEmpty())
        .map(Map.Entry::getKey)
        .findFirst();
  }

  private static boolean matches(String pattern, String subject) {
    try {
      return Pattern.compile(pattern).matcher(subject).matches();
    } catch (PatternSyntaxException e) {
      return false;
    }
  }
}
