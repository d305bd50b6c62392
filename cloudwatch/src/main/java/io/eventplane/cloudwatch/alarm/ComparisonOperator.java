package io.eventplane.cloudwatch.alarm;

/**
 * How a static-threshold alarm compares a datapoint with its threshold. The anomaly-detection
 * operators (which compare with a band from ThresholdMetricId) are not among these: they need metric
 * math, which this CloudWatch does not evaluate.
 */
public enum ComparisonOperator {
  GreaterThanOrEqualToThreshold("greater than or equal to"),
  GreaterThanThreshold("greater than"),
  LessThanThreshold("less than"),
  LessThanOrEqualToThreshold("less than or equal to");

  /** Every value AWS's model lists, in its order: the anomaly-detection ones are known but refused. */
  public static final String MODEL_VALUES = "[GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, "
      + "LessThanOrEqualToThreshold, LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold, "
      + "GreaterThanUpperThreshold]";

  private final String phrase;

  ComparisonOperator(String phrase) {
    this.phrase = phrase;
  }

  /** Whether the value breaches the threshold. */
  public boolean breaches(double value, double threshold) {
    return switch (this) {
      case GreaterThanOrEqualToThreshold -> value >= threshold;
      case GreaterThanThreshold -> value > threshold;
      case LessThanThreshold -> value < threshold;
      case LessThanOrEqualToThreshold -> value <= threshold;
    };
  }

  /** The words AWS uses in a state reason: "was greater than or equal to the threshold". */
  public String phrase() {
    return phrase;
  }

  /** The operator of that name, or null. */
  public static ComparisonOperator named(String name) {
    for (ComparisonOperator o : values()) {
      if (o.name().equals(name)) return o;
    }
    return null;
  }
}
