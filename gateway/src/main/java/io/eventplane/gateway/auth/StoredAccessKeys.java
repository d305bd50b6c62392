package io.eventplane.gateway.auth;

import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.error.ServiceError;
import io.eventplane.common.error.ServiceException;
import io.eventplane.common.id.AccessKeyIds;
import io.eventplane.common.id.Ids;
import io.eventplane.common.secret.SecretBox;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * IAM users' access keys as the gateway finds them ({@code AKIA...} ids): asked of the identity
 * service ({@code eventplane:ResolveAccessKey}, answered at the partition the key id names), whose
 * answer carries the secret sealed with the credentials key; opened here, so no plaintext secret
 * crosses the cluster network. An Active key is {@link KeyLookup.Found} with secret id
 * {@code keyId#generation} (the generation changes with the key's status, so derived signing keys
 * of an old state are never reused); an inactive, unknown or unopenable key, or an id that names
 * no partition (no bus call then), is {@link KeyLookup#UNKNOWN}.
 *
 * <p>A per-node cache keeps answers, not-found included, for {@link #TTL}, and drops them at once
 * when the IAM service announces a change on {@link Contracts#IAM_CHANGED}; concurrent requests for
 * one key share one bus call; failures of the bus are not kept (the call fails, the next asks
 * again). Bounded: past {@link #MAX_ENTRIES} it starts over. Thread-safe; each caller gets its
 * answer on its own context.
 */
public final class StoredAccessKeys implements CredentialSource, Shareable {
  /** How long an answer is kept when no change notice arrives (a notice lost with a node, say). */
  public static final Duration TTL = Duration.ofSeconds(30);
  /** How many answers a node keeps at most. */
  static final int MAX_ENTRIES = 10_000;
  private static final String RESOLVE = "eventplane:ResolveAccessKey";
  private static final String LOCAL_MAP = "eventplane.gateway.auth";
  private static final Logger LOG = Logger.getLogger(StoredAccessKeys.class.getName());

  private final BiFunction<String, ApiRequest, Future<ApiReply>> bus;
  private final SecretBox box;
  private final Clock clock;
  private final Map<String, Kept> cache = new ConcurrentHashMap<>();

  private record Kept(Future<KeyLookup.Answer> answer, long expiresAtMillis) {}

  /**
   * A cache of its own (tests; the server uses {@link #of}); it hears no change notices until
   * {@link #listen} is called.
   *
   * @param bus sends a request to a service address and completes with its reply (the gateway's ServiceBus)
   * @param credentialsKey the node's credentials key ({@code config.auth().credentialsKey()})
   */
  public StoredAccessKeys(BiFunction<String, ApiRequest, Future<ApiReply>> bus, byte[] credentialsKey, Clock clock) {
    this.bus = bus;
    this.box = new SecretBox(credentialsKey);
    this.clock = clock;
  }

  /** The node's cache, made on first use (with the first caller's bus) and listening for change notices from then on. */
  public static StoredAccessKeys of(Vertx vertx, BiFunction<String, ApiRequest, Future<ApiReply>> bus,
      byte[] credentialsKey, Clock clock) {
    LocalMap<String, StoredAccessKeys> node = vertx.sharedData().getLocalMap(LOCAL_MAP);
    StoredAccessKeys keys = node.get("stored-access-keys");
    if (keys != null) return keys;
    StoredAccessKeys made = new StoredAccessKeys(bus, credentialsKey, clock);
    keys = node.putIfAbsent("stored-access-keys", made);
    if (keys != null) return keys;
    made.listen(vertx);
    return made;
  }

  /** Subscribes to the IAM service's change notices on this node. */
  public Future<Void> listen(Vertx vertx) {
    return vertx.eventBus().<JsonObject>consumer(Contracts.IAM_CHANGED, m -> changed(m.body())).completion();
  }

  @Override
  public Future<KeyLookup.Answer> find(String accessKeyId, String sessionToken, long nowEpochSeconds) {
    if (AccessKeyIds.partitionOf(accessKeyId) < 0) return Future.succeededFuture(KeyLookup.UNKNOWN);
    long now = clock.millis();
    Kept kept = cache.get(accessKeyId);
    if (kept == null || (kept.answer().isComplete() && kept.expiresAtMillis() <= now)) {
      if (kept != null) cache.remove(accessKeyId, kept);
      if (cache.size() >= MAX_ENTRIES) cache.clear();
      Promise<KeyLookup.Answer> mine = Promise.promise();
      Kept made = new Kept(mine.future(), now + TTL.toMillis());
      kept = cache.putIfAbsent(accessKeyId, made);
      if (kept == null) {
        kept = made;
        ask(accessKeyId, made, mine);
      }
    }
    Future<KeyLookup.Answer> shared = kept.answer();
    Context here = Vertx.currentContext();
    if (here == null || shared.isComplete()) return shared;
    Promise<KeyLookup.Answer> local = Promise.promise();
    shared.onComplete(ar -> here.runOnContext(v -> local.handle(ar)));
    return local.future();
  }

  private void ask(String keyId, Kept made, Promise<KeyLookup.Answer> answer) {
    JsonObject input = new JsonObject().put("AccessKeyId", keyId);
    RequestContext context = new RequestContext("000000000000", "us-east-1", Ids.uuid(), "");
    bus.apply(Contracts.IAM, new ApiRequest(RESOLVE, input, context)).onComplete(ar -> {
      ApiReply reply = ar.succeeded() ? ar.result()
          : ApiReply.failed(ServiceError.internal(RESOLVE + " failed: " + ar.cause()));
      if (reply.succeeded()) {
        answer.complete(found(keyId, reply.output()));
      } else if ("NoSuchEntity".equals(reply.error().code())) {
        answer.complete(KeyLookup.UNKNOWN);
      } else {
        cache.remove(keyId, made);
        answer.fail(new ServiceException(reply.error()));
      }
    });
  }

  private KeyLookup.Answer found(String keyId, JsonObject key) {
    if (!"Active".equals(key.getString("Status"))) return KeyLookup.UNKNOWN;
    byte[] sealed;
    try {
      sealed = Base64.getDecoder().decode(key.getString("SealedSecret", ""));
    } catch (IllegalArgumentException e) {
      sealed = new byte[0];
    }
    Optional<byte[]> secret = box.open(sealed, keyId.getBytes(StandardCharsets.UTF_8));
    if (secret.isEmpty()) {
      // Sealed with another credentials key: the nodes were not all given the same one.
      LOG.warning("The secret of access key " + keyId + " does not open with this node's credentials key; "
          + "every node must be given the same --credentials-key");
      return KeyLookup.UNKNOWN;
    }
    return new KeyLookup.Found(keyId + "#" + key.getInteger("Generation", 0), new String(secret.get(), StandardCharsets.UTF_8),
        key.getString("AccountId"), key.getString("UserArn"), key.getString("UserId"));
  }

  /** Drops what a change notice makes stale: {@code {"AccessKeyIds": [...]}} or {@code {"All": true}}. */
  void changed(JsonObject notice) {
    if (notice == null || notice.getBoolean("All", false)) {
      cache.clear();
      return;
    }
    JsonArray ids = notice.getJsonArray("AccessKeyIds", new JsonArray());
    for (Object id : ids) cache.remove(String.valueOf(id));
  }

  /** How many answers are kept (tests). */
  int size() {
    return cache.size();
  }
}
