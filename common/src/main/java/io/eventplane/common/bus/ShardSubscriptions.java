package io.eventplane.common.bus;

/**
 * The contract between the gateway, which streams Kinesis's SubscribeToShard events to a client,
 * and the Kinesis lane that owns the stream, which answers them one pull at a time. The opening
 * {@code SubscribeToShard} call answers {@link #POSITION} and {@link #SUBSCRIBED}; each
 * {@link #EVENTS} pull (input: ConsumerARN, ShardId, {@code Position}, {@code Subscribed},
 * {@link #WAIT}) answers one SubscribeToShardEvent in AWS JSON form plus {@link #POSITION} (where
 * the next pull starts) and {@link #END} (the subscription is over), which the gateway strips.
 */
public final class ShardSubscriptions {
  public static final String EVENTS = "eventplane:SubscriptionEvents";
  public static final String POSITION = "eventplane:Position";
  public static final String SUBSCRIBED = "eventplane:Subscribed";
  public static final String END = "eventplane:End";
  public static final String WAIT = "WaitMillis";

  private ShardSubscriptions() {}
}
