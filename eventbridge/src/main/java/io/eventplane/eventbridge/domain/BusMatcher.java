package io.eventplane.eventbridge.domain;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.event.ruler.Machine;

/**
 * The rules of one bus as one event-ruler {@link Machine}: every enabled rule with an event pattern
 * is added under its name, so matching an event costs what the machine's automaton costs (it does
 * not grow with the number of rules the way a loop over rules would). Changed when a rule is put,
 * enabled, disabled or deleted. Not thread-safe: one lane owns it.
 */
public final class BusMatcher {
  private final Machine machine = new Machine();

  /** Adds the rule when it is enabled and has a pattern. The pattern was validated when the rule was put. */
  public void add(Rule rule) {
    if (!rule.enabled() || rule.eventPattern() == null) return;
    try {
      machine.addRule(rule.name(), rule.eventPattern());
    } catch (Exception e) {
      throw new IllegalStateException("a stored pattern does not compile: rule " + rule.arn(), e);
    }
  }

  /** Takes the rule out (as it was added). */
  public void remove(Rule rule) {
    if (!rule.enabled() || rule.eventPattern() == null) return;
    try {
      machine.deleteRule(rule.name(), rule.eventPattern());
    } catch (Exception e) {
      throw new IllegalStateException("a stored pattern does not compile: rule " + rule.arn(), e);
    }
  }

  /** The names of the rules the event (its JSON envelope) matches, each once. */
  public Set<String> matches(String eventJson) {
    List<String> names;
    try {
      names = machine.rulesForJSONEvent(eventJson);
    } catch (Exception e) {
      throw new IllegalArgumentException("not a JSON event: " + e.getMessage(), e);
    }
    return new LinkedHashSet<>(names);
  }

  public boolean isEmpty() {
    return machine.isEmpty();
  }

  /** TestEventPattern: does this one pattern match the event? */
  public static boolean test(String pattern, String eventJson) {
    Machine m = new Machine();
    try {
      m.addRule("test", pattern);
      return !m.rulesForJSONEvent(eventJson).isEmpty();
    } catch (Exception e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
