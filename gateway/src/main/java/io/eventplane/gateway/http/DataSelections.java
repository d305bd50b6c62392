package io.eventplane.gateway.http;

import io.eventplane.common.audit.DataSelection;
import io.eventplane.common.audit.EventClass;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The gateway's view of which data events the logging trails of each account and region select
 * ({@link DataSelection}), so that a data call nobody selects costs no record. A cache of the trails'
 * replicated state, never its own truth: an entry is filled by asking the owner of the account's and
 * region's audit partition ({@link DataSelection#GET}), emptied when a CloudTrail lane announces a
 * change, and asked again after {@link #TTL} of the clock (a missed announcement costs at most that).
 *
 * <p>Never waits: while an entry is unknown (first use, just announced as changed, its question
 * failed) the answer is "may be selected", so the record is built and sent as before and the lane
 * applies the exact selectors; an entry past its time to live keeps answering while it is asked
 * again. One per gateway verticle, used only on its event loop.
 */
final class DataSelections {
  private static final System.Logger LOG = System.getLogger(DataSelections.class.getName());
  /** How long a known selection is used before it is asked again. */
  static final Duration TTL = Duration.ofSeconds(5);
  /** How long after a failed question the next one may be asked (wall time: a test's clock may stand still). */
  private static final long RETRY_NANOS = Duration.ofSeconds(1).toNanos();

  private static final class Entry {
    /** Null while unknown. */
    DataSelection selection;
    long fetchedAt;
    /** Bumped by every announcement; a question asked before it does not settle the entry. */
    int generation;
    boolean asking;
    long failedAtNanos;
    boolean failed;
  }

  private final Clock clock;
  private final Function<ApiRequest, Future<ApiReply>> ask;
  private final Map<String, Entry> entries = new HashMap<>();

  /** @param ask sends a question to the CloudTrail lane that owns the request's account and region */
  DataSelections(Clock clock, Function<ApiRequest, Future<ApiReply>> ask) {
    this.clock = clock;
    this.ask = ask;
  }

  /**
   * Whether a data call's record may be taken by a logging trail of its account and region: false
   * only when this gateway knows that no trail's selection can take it.
   */
  boolean mayTake(EventClass kind, JsonObject input, RequestContext call) {
    String key = call.accountId() + "\0" + call.region();
    Entry e = entries.get(key);
    if (e == null) {
      e = new Entry();
      entries.put(key, e);
    }
    if (e.selection == null) {
      if (!e.asking && (!e.failed || System.nanoTime() - e.failedAtNanos >= RETRY_NANOS)) ask(key, e, call);
      return true;
    }
    if (!e.asking && clock.millis() - e.fetchedAt >= TTL.toMillis()) ask(key, e, call);
    return e.selection.takes(kind, input, call);
  }

  /** A lane announced that an account's and region's selection may have changed (null: every one, after a reset). */
  void changed(String account, String region) {
    if (account == null || region == null) {
      for (Entry e : entries.values()) forget(e);
      return;
    }
    Entry e = entries.get(account + "\0" + region);
    if (e != null) forget(e);
  }

  private static void forget(Entry e) {
    e.selection = null;
    e.generation++;
    e.failed = false;
  }

  private void ask(String key, Entry e, RequestContext call) {
    e.asking = true;
    int generation = e.generation;
    RequestContext ctx = new RequestContext(call.accountId(), call.region(), Ids.uuid(), "http://eventplane.internal");
    ask.apply(new ApiRequest(DataSelection.GET, new JsonObject(), ctx)).onComplete(done -> {
      e.asking = false;
      if (entries.get(key) != e || e.generation != generation) return;
      if (done.succeeded() && done.result().succeeded()) {
        e.selection = DataSelection.fromJson(done.result().output().getJsonArray("Selection"));
        e.fetchedAt = clock.millis();
        e.failed = false;
      } else {
        // Unknown again: every data call is sent (the lane decides) until a question is answered.
        e.selection = null;
        e.failed = true;
        e.failedAtNanos = System.nanoTime();
        LOG.log(System.Logger.Level.DEBUG, "no data-event selection for {0}: {1}", key.replace('\0', '/'),
            done.failed() ? done.cause() : done.result().error().message());
      }
    });
  }
}
