package io.eventplane.cloudwatch.sampler;

import io.eventplane.cloudwatch.domain.MetricId;
import io.eventplane.cloudwatch.domain.Units;
import io.eventplane.common.bus.ApiReply;
import io.eventplane.common.bus.ApiRequest;
import io.eventplane.common.bus.Contracts;
import io.eventplane.common.bus.RequestContext;
import io.eventplane.common.cloudwatch.AwsMetricDatum;
import io.eventplane.common.cloudwatch.AwsMetricSource;
import io.eventplane.common.cloudwatch.AwsMetrics;
import io.eventplane.common.time.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's {@link AwsMetrics}: once per minute of the node's clock (looked at every second, and
 * at once when a test moves a {@link MutableClock}), it asks every registered source for its data
 * on the source's own context and stores them in CloudWatch as the internal call
 * {@code eventplane:PutAwsMetricData} on this node's CloudWatch lanes (no gateway, no signature,
 * and the {@code AWS/} namespaces allowed). A sample that fails is logged and lost: the next minute's
 * gauges say the same again, and counters of a lost minute are not kept (as AWS's own metrics, best effort).
 */
public final class AwsMetricsSampler implements AwsMetrics, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AwsMetricsSampler.class.getName());
  private static final long LOOK_MILLIS = 1000;
  private static final int PER_CALL = 1000;
  private static final long TIMEOUT_MILLIS = 30_000;

  private final Vertx vertx;
  private final Clock clock;
  private final List<Registered> sources = new CopyOnWriteArrayList<>();
  private final AtomicLong lastMinute;
  private final long timer;
  private final Runnable stopListening;

  private record Registered(Context context, AwsMetricSource source) {}

  public AwsMetricsSampler(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.lastMinute = new AtomicLong(minuteOf(clock.millis()));
    this.timer = vertx.setPeriodic(LOOK_MILLIS, t -> tick());
    this.stopListening = clock instanceof MutableClock moved ? moved.onAdvance(this::tick) : () -> { };
  }

  @Override
  public Runnable register(Context context, AwsMetricSource source) {
    Registered r = new Registered(context, source);
    sources.add(r);
    return () -> sources.remove(r);
  }

  private static long minuteOf(long millis) {
    return Math.floorDiv(millis, 60_000L);
  }

  /** Samples when the clock entered a minute it has not sampled in (from any thread). */
  void tick() {
    long now = clock.millis();
    long minute = minuteOf(now);
    long last = lastMinute.get();
    if (minute > last && lastMinute.compareAndSet(last, minute)) sample(now);
  }

  private void sample(long now) {
    List<Future<List<AwsMetricDatum>>> all = new ArrayList<>();
    for (Registered r : sources) {
      Promise<List<AwsMetricDatum>> sampled = Promise.promise();
      r.context().runOnContext(v -> {
        try {
          r.source().sampleLater(now).onComplete(sampled);
        } catch (RuntimeException e) {
          sampled.fail(e);
        }
      });
      all.add(sampled.future());
    }
    Future.join(all).onComplete(done -> {
      JsonArray points = new JsonArray();
      for (Future<List<AwsMetricDatum>> f : all) {
        if (f.failed()) {
          LOG.log(Level.WARNING, "an AWS metrics source failed", f.cause());
          continue;
        }
        for (AwsMetricDatum d : f.result()) points.add(point(d, now));
      }
      for (int from = 0; from < points.size(); from += PER_CALL) {
        JsonArray chunk = new JsonArray(points.getList().subList(from, Math.min(points.size(), from + PER_CALL)));
        publish(chunk);
      }
    });
  }

  private static JsonObject point(AwsMetricDatum d, long now) {
    MetricId id = new MetricId(d.account(), d.region(), d.namespace(), d.metricName(), d.dimensions());
    int unit = Units.indexOf(d.unit());
    long millis = d.timestampMillis() == AwsMetricDatum.AT_SAMPLE ? now : d.timestampMillis();
    JsonObject point = new JsonObject().put("Metric", id.toStored()).put("Millis", millis)
        .put("Unit", unit < 0 ? Units.NONE : unit);
    if (d.values() == null) {
      return point.put("Set", new JsonArray().add(d.sampleCount()).add(d.sum()).add(d.minimum()).add(d.maximum()));
    }
    // The values themselves, so that the minute has percentiles too (Lambda's Duration).
    JsonArray values = new JsonArray();
    JsonArray counts = new JsonArray();
    d.values().forEach((value, count) -> {
      values.add(value);
      counts.add(count.doubleValue());
    });
    return point.put("Values", values).put("Counts", counts);
  }

  private void publish(JsonArray points) {
    JsonObject first = points.getJsonObject(0).getJsonObject("Metric");
    RequestContext context = new RequestContext(first.getString("Account"), first.getString("Region"),
        "aws-metrics-" + clock.millis(), "http://localhost");
    vertx.eventBus().<ApiReply>request(Contracts.CLOUDWATCH, new ApiRequest("eventplane:PutAwsMetricData",
            new JsonObject().put("Data", points), context), new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS).setLocalOnly(true))
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.log(Level.FINE, "publishing AWS metrics failed", ar.cause());
          } else if (!ar.result().body().succeeded()) {
            LOG.log(Level.FINE, "publishing AWS metrics failed: " + ar.result().body().error());
          }
        });
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    stopListening.run();
  }
}
