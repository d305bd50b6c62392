package io.eventplane.gateway.console;

/** The console's paths of EventBridge's resources: buses, their rules, archives and replays. */
final class EventPaths {
  /** A bus, rule, archive or replay name in a path: EventBridge's names use these characters only. */
  static final String NAME = "[A-Za-z0-9._-]{1,256}";

  private EventPaths() {}

  static String bus(String bus) {
    return ConsoleRoute.PREFIX + "buses/" + Html.url(bus);
  }

  static String rule(String bus, String rule) {
    return bus(bus) + "/rules/" + Html.url(rule);
  }

  static String archive(String archive) {
    return ConsoleRoute.PREFIX + "archives/" + Html.url(archive);
  }

  static String replay(String replay) {
    return ConsoleRoute.PREFIX + "replays/" + Html.url(replay);
  }
}
