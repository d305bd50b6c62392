package io.eventplane.broker.queue.domain;

import java.util.Map;
import java.util.Objects;

/** A queue's persisted definition: identity (account, region, name), settable attributes and tags. Immutable. */
public record QueueRecord(
    long id,
    String accountId,
    String region,
    String name,
    long createdTimestamp,
    long lastModifiedTimestamp,
    Map<String, String> attributes,
    Map<String, String> tags) {
  public QueueRecord {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(name, "name");
    attributes = Map.copyOf(attributes);
    tags = Map.copyOf(tags);
  }

  public boolean fifo() {
    return name.endsWith(".fifo");
  }

  public QueueRecord withAttributes(Map<String, String> newAttributes, long now) {
    return new QueueRecord(id, accountId, region, name, createdTimestamp, now, newAttributes, tags);
  }

  public QueueRecord withTags(Map<String, String> newTags) {
    return new QueueRecord(id, accountId, region, name, createdTimestamp, lastModifiedTimestamp, attributes, newTags);
  }
}
