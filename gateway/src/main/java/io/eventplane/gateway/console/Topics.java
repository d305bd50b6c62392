package io.eventplane.gateway.console;

/** Topic names and ARNs as the topic pages use them: a page names a topic, SNS's calls take its ARN in the caller's account. */
final class Topics {
  /** SNS's topic names: up to 256 letters, digits, hyphens and underscores; a FIFO topic's ends in {@code .fifo}. */
  static final String NAME = "[A-Za-z0-9_-]{1,256}(?:\\.fifo)?";

  private Topics() {}

  static String arn(Caller caller, String name) {
    return "arn:aws:sns:" + caller.context().region() + ":" + caller.context().accountId() + ":" + name;
  }

  /** The topic name in a topic ARN (its last part). */
  static String nameOf(String arn) {
    int colon = arn.lastIndexOf(':');
    return colon < 0 ? arn : arn.substring(colon + 1);
  }

  static String href(String name) {
    return ConsoleRoute.PREFIX + "topics/" + Html.url(name);
  }
}
