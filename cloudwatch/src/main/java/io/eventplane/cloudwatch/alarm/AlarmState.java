package io.eventplane.cloudwatch.alarm;

/** The three states of a CloudWatch alarm (StateValue). */
public enum AlarmState {
  OK,
  ALARM,
  INSUFFICIENT_DATA;

  /** The state named as AWS names it, or null when the name is none of the three. */
  public static AlarmState named(String value) {
    for (AlarmState s : values()) {
      if (s.name().equals(value)) return s;
    }
    return null;
  }
}
