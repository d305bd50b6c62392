package io.eventplane.common.config;

/**
 * How the queue URLs handed to clients are formed.
 *
 * <ul>
 *   <li>{@link #PATH} (the default): {@code http://<host>:<port>/<account>/<name>}, the request's
 *       host; the URL names no region, so a queue of one name has the same URL in every region.
 *   <li>{@link #REGION}: {@code http://sqs.<region>.<host>:<port>/<account>/<name>}, the region in
 *       the host as in AWS's {@code https://sqs.<region>.amazonaws.com/<account>/<name>}, so the
 *       same name in two regions has two URLs.
 * </ul>
 * Either form is accepted wherever a queue URL is.
 */
public enum QueueUrlStyle {
  PATH,
  REGION;

  /** {@code path} or {@code region}, any case. */
  public static QueueUrlStyle parse(String s) {
    for (QueueUrlStyle v : values()) if (v.name().equalsIgnoreCase(s.trim())) return v;
    throw new IllegalArgumentException("queue-url-style must be path or region: " + s);
  }
}
