package io.eventplane.gateway.http;

import io.eventplane.common.audit.ApiCallRecord;
import io.eventplane.common.audit.AuditCaller;
import io.eventplane.common.audit.EventClass;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.id.Ids;
import io.vertx.core.Context;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The audit trail's tap: every API call a service answered becomes a CloudTrail record, sent to the
 * CloudTrail service off the response path. One tap per gateway verticle, used only on its event
 * loop: records are built on the next turn of the loop (after the answer was written), gathered per
 * (account, region) and sent, at most every {@value #WINDOW_MILLIS} ms or every {@value #MAX_BATCH}
 * records, as one {@code eventplane:PutRecords} to the owner of that account's and region's audit
 * partition, which writes them in one batch.
 *
 * <p>What a crash of this node can lose: the records of the current window (answered calls whose
 * records were not yet sent), at most {@value #WINDOW_MILLIS} ms of calls, and a batch in flight
 * that the owner had not yet made durable. The calls themselves are durable; their records are not
 * part of the calls' own write batches (those are on other partitions, often other nodes), and
 * waiting for the record before answering would add a replicated write to every call.
 *
 * <p>A data call (SQS messages, S3 objects, Lambda Invoke, SNS Publish, ...: {@link EventClass}) is
 * classified by service and operation first, and its record is built and sent only where
 * {@link DataSelections} says a logging trail of its account and region may take it; the CloudTrail
 * lane applies the trails' exact selectors to what arrives. Management calls are always recorded.
 */
final class AuditTap {
  private static final System.Logger LOG = System.getLogger(AuditTap.class.getName());
  static final long WINDOW_MILLIS = 20;
  static final int MAX_BATCH = 200;
  static final String PUT_RECORDS = "eventplane:PutRecords";

  private final Context context;
  private final Clock clock;
  private final Function<ApiRequest, io.vertx.core.Future<ApiReply>> send;
  private final Map<String, JsonArray> pending = new HashMap<>();
  private final DataSelections selections;
  private long timer = -1;

  /**
   * @param send delivers a call (PutRecords, and the data-event selection's questions) to the
   *     CloudTrail lane that owns its partition
   */
  AuditTap(Context context, Clock clock, Function<ApiRequest, io.vertx.core.Future<ApiReply>> send) {
    this.context = context;
    this.clock = clock;
    this.send = send;
    this.selections = new DataSelections(clock, send);
  }

  /** A CloudTrail lane's announcement that the data events a region's trails select may have changed. */
  void selectionChanged(JsonObject notice) {
    if (notice.getBoolean("All", false)) selections.changed(null, null);
    else selections.changed(notice.getString("Account"), notice.getString("Region"));
  }

  /** Takes note of an answered call; the record is built and queued on a later turn of the loop. */
  void record(String signingName, ApiRequest request, ApiReply reply, AuditCaller caller) {
    if (caller == null || request.operation().startsWith("eventplane:")) return;
    // Runs before the route writes the answer, so it stays a few set and map lookups: a data call no
    // trail may take costs no record, no turn of the loop and no bus hop.
    EventClass kind = EventClass.of(signingName, request.operation());
    if (kind.data() && !selections.mayTake(kind, request.input(), request.context())) return;
    java.time.Instant time = clock.instant();
    context.runOnContext(v -> {
      JsonObject stored;
      try {
        stored = ApiCallRecord.of(signingName, request.operation(), request.input(), reply.succeeded() ? reply.output() : null,
            reply.succeeded() ? null : reply.error(), request.context(), caller, time, Ids.uuid());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "could not record " + request.operation() + ": " + e);
        return;
      }
      add(request.context(), stored);
    });
  }

  private void add(RequestContext call, JsonObject stored) {
    String key = call.accountId() + "\0" + call.region();
    JsonArray records = pending.computeIfAbsent(key, k -> new JsonArray());
    records.add(stored);
    if (records.size() >= MAX_BATCH) {
      pending.remove(key);
      flush(call.accountId(), call.region(), records);
    } else if (timer < 0) {
      timer = context.owner().setTimer(WINDOW_MILLIS, t -> flushAll());
    }
  }

  private void flushAll() {
    timer = -1;
    Map<String, JsonArray> all = new HashMap<>(pending);
    pending.clear();
    all.forEach((key, records) -> {
      int at = key.indexOf('\0');
      flush(key.substring(0, at), key.substring(at + 1), records);
    });
  }

  private void flush(String account, String region, JsonArray records) {
    RequestContext ctx = new RequestContext(account, region, Ids.uuid(), "http://eventplane.internal");
    send.apply(new ApiRequest(PUT_RECORDS, new JsonObject().put("Records", records), ctx)).onComplete(done -> {
      if (done.failed() || !done.result().succeeded()) {
        LOG.log(System.Logger.Level.WARNING, "{0} audit records of {1}/{2} were not stored: {3}", records.size(), account,
            region, done.failed() ? done.cause() : done.result().error().message());
      }
    });
  }

  static String address() {
    return Contracts.CLOUDTRAIL;
  }
}
