package io.eventplane.eventbridge.domain;

/**
 * EventBridge's quotas on this node: each a count at which the next create answers
 * LimitExceededException. Defaults are the quotas of the EventBridge user guide's "Amazon
 * EventBridge quotas" page where it lists one (event buses 100 per account and region, rules 300 per
 * bus, targets 5 per rule, API destinations 3,000 per account and region); it lists none for archives or concurrently running replays, so those are
 * unlimited unless an operator sets them. A value of 0 or less means no limit. Read from system
 * properties once when the service starts; every node of a cluster must be started with the same
 * values (the account-wide counts are decided by one registry lane, with the limit the caller's node
 * sends).
 */
public record EventBridgeLimits(int busesPerAccount, int rulesPerBus, int targetsPerRule, int archivesPerAccount,
    int runningReplaysPerAccount, int apiDestinationsPerAccount) {
  public static final String BUSES = "eventplane.events.maxEventBuses";
  public static final String RULES = "eventplane.events.maxRulesPerBus";
  public static final String TARGETS = "eventplane.events.maxTargetsPerRule";
  public static final String ARCHIVES = "eventplane.events.maxArchives";
  public static final String REPLAYS = "eventplane.events.maxRunningReplays";
  public static final String API_DESTINATIONS = "eventplane.events.maxApiDestinations";

  public static EventBridgeLimits defaults() {
    return new EventBridgeLimits(100, 300, 5, 0, 0, 3_000);
  }

  /** The defaults, each replaced by its system property when set. */
  public static EventBridgeLimits fromSystemProperties() {
    EventBridgeLimits d = defaults();
    return new EventBridgeLimits(Integer.getInteger(BUSES, d.busesPerAccount()), Integer.getInteger(RULES, d.rulesPerBus()),
        Integer.getInteger(TARGETS, d.targetsPerRule()), Integer.getInteger(ARCHIVES, d.archivesPerAccount()),
        Integer.getInteger(REPLAYS, d.runningReplaysPerAccount()),
        Integer.getInteger(API_DESTINATIONS, d.apiDestinationsPerAccount()));
  }

  /** Whether {@code count} existing resources leave no room for one more under {@code limit}. */
  public static boolean full(int count, int limit) {
    return limit > 0 && count >= limit;
  }
}
