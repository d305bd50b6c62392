package io.eventplane.cloudwatch.domain;

import java.util.List;

/**
 * CloudWatch's StandardUnit values. A data point is stored with its unit's index (one byte): data
 * of one metric in different units are kept apart, as CloudWatch keeps them.
 */
public final class Units {
  public static final List<String> ALL = List.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
      "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
      "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
      "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");
  public static final int NONE = ALL.indexOf("None");

  private Units() {}

  /** The unit's index, or -1 for a name that is not a unit. */
  public static int indexOf(String unit) {
    return ALL.indexOf(unit);
  }

  public static String name(int index) {
    return ALL.get(index);
  }

  /** The message AWS gives for a value outside the set, naming the parameter. */
  public static String notAUnit(String parameter) {
    return "The parameter " + parameter + " must be a value in the set " + ALL + ".";
  }
}
