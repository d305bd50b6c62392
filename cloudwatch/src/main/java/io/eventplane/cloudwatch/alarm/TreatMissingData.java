package io.eventplane.cloudwatch.alarm;

/** What an alarm does with periods that have no datapoint (TreatMissingData; default {@code missing}). */
public enum TreatMissingData {
  /** Missing periods do not count; with none at all the alarm has INSUFFICIENT_DATA. */
  MISSING("missing"),
  /** With too few datapoints to decide, the alarm keeps its state. */
  IGNORE("ignore"),
  /** A missing period counts as breaching the threshold. */
  BREACHING("breaching"),
  /** A missing period counts as within the threshold. */
  NOT_BREACHING("notBreaching");

  private final String wireName;

  TreatMissingData(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The treatment of that wire name, or null. */
  public static TreatMissingData named(String name) {
    for (TreatMissingData t : values()) {
      if (t.wireName.equals(name)) return t;
    }
    return null;
  }
}
