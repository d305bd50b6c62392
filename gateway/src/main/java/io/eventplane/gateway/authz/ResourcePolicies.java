package io.eventplane.gateway.authz;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A node's resource policies, as {@link ResourcePolicySource} reads them, kept per resource (an
 * object's bucket, a queue, a topic, a function or its qualifier, a bus) until a gateway says the
 * resource's policy changed ({@link #invalidate}) or {@link #TTL_NANOS} passed (the bound on how stale
 * a policy can be read when a change notice was lost: a node died between the change and its
 * notice). A resource whose service keeps no policies has none, without a lookup. A failed lookup is
 * not kept. Answers come on the asker's thread ({@link CallersContext}).
 */
public final class ResourcePolicies {
  /** How long a policy read is used without reading it again. */
  static final long TTL_NANOS = 30_000_000_000L;

  private final Function<String, Future<ResourcePolicy>> source;
  private final int maxCached;
  private final LongSupplier nanos;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

  private record Entry(Future<ResourcePolicy> policy, long readAt) {}

  /**
   * @param source a holder's policy (see {@link ResourcePolicySource#holderOf})
   * @param maxCached how many resources' policies to keep; the cache is dropped whole when full
   * @param nanos the monotonic clock the TTL is measured on
   */
  public ResourcePolicies(Function<String, Future<ResourcePolicy>> source, int maxCached, LongSupplier nanos) {
    this.source = source;
    this.maxCached = maxCached;
    this.nanos = nanos;
  }

  /** The policy governing access to {@code arn}, with the account owning the resource. */
  public Future<ResourcePolicy> of(String arn) {
    String holder = ResourcePolicySource.holderOf(arn);
    if (holder == null) return Future.succeededFuture(withoutPolicy(arn));
    return CallersContext.of(cached(holder));
  }

  private Future<ResourcePolicy> cached(String holder) {
    long now = nanos.getAsLong();
    Entry cached = cache.get(holder);
    if (cached != null && now - cached.readAt < TTL_NANOS) return cached.policy;
    if (cached == null && cache.size() >= maxCached) cache.clear();
    Entry read = new Entry(source.apply(holder), now);
    Entry raced = cached == null ? cache.putIfAbsent(holder, read) : (cache.replace(holder, cached, read) ? null : cache.get(holder));
    if (raced != null) return raced.policy;
    read.policy.onFailure(e -> cache.remove(holder, read));
    return read.policy;
  }

  /**
   * The policy governing {@code arn} when it is at hand (its service keeps none, or it was read and is
   * still fresh), else null: the caller then asks {@link #of}.
   */
  public ResourcePolicy now(String arn) {
    String holder = ResourcePolicySource.holderOf(arn);
    if (holder == null) return withoutPolicy(arn);
    Entry cached = cache.get(holder);
    if (cached == null || !cached.policy.succeeded() || nanos.getAsLong() - cached.readAt >= TTL_NANOS) return null;
    return cached.policy.result();
  }

  /** A resource of a service that keeps no resource policies: its ARN's account, no policy. */
  private static ResourcePolicy withoutPolicy(String arn) {
    String account = Arns.accountOf(arn);
    return ResourcePolicy.none(account == null || account.isEmpty() ? null : account);
  }

  /** Forgets the policy governing {@code arn}, and a function's qualifiers' policies with its own. */
  public void invalidate(String arn) {
    String holder = ResourcePolicySource.holderOf(arn);
    if (holder == null) return;
    cache.remove(holder);
    if (holder.startsWith("arn:aws:lambda:")) {
      String[] p = holder.split(":");
      if (p.length >= 7) {
        String function = String.join(":", java.util.Arrays.copyOf(p, 7));
        cache.keySet().removeIf(k -> k.equals(function) || k.startsWith(function + ":"));
      }
    }
  }

  /** Forgets every policy (after a reset). */
  public void invalidateAll() {
    cache.clear();
  }
}
