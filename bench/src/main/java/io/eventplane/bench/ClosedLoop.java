package io.eventplane.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Producers in a closed loop (each with one batch call outstanding) measured over one window, as
 * the Kinesis bench's put-records and firehose cases run them: after {@code --warmup} s a window of
 * {@code --measure} s, held open (up to {@code --max-window} s) until a call per producer ended in
 * it; what counts is the records accepted by the calls that ended inside it.
 */
final class ClosedLoop {
  private ClosedLoop() {}

  /** One call's records: accepted, failed in the answer, and the first failure's text (or null). */
  record Outcome(int accepted, int failed, String firstFailure) {}

  /** Producer {@code producer}'s {@code k}-th call. */
  interface Call {
    Outcome call(int producer, int k) throws Exception;
  }

  /** One window. */
  record Window(long accepted, long failed, long calls, double seconds, double callP50, double callP99, long errors,
      String firstError, CpuShare cpu) {}

  /**
   * Runs {@code --producers} threads named {@code name-i}; a call that throws is counted as an error
   * (its text after {@code errorPrefix}) and followed by a 10 ms pause. Stops and joins them before
   * returning.
   */
  static Window run(KinesisBench.Options options, long serverPid, String name, String errorPrefix, Call call)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
    AtomicLong windowEnd = new AtomicLong(Long.MAX_VALUE);
    AtomicLong accepted = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong calls = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    Histogram callTimes = KinesisBench.histogram();
    List<Thread> producers = new ArrayList<>();
    for (int i = 0; i < options.producers(); i++) {
      int producer = i;
      Thread t = new Thread(() -> {
        int k = 0;
        while (!stop.get()) {
          long t0 = System.nanoTime();
          try {
            Outcome o = call.call(producer, k++);
            long t1 = System.nanoTime();
            if (t1 >= windowStart.get() && t1 <= windowEnd.get()) {
              accepted.addAndGet(o.accepted());
              failed.addAndGet(o.failed());
              calls.incrementAndGet();
              callTimes.recordValue(KinesisBench.micros(t1 - t0));
              if (o.firstFailure() != null) firstError.compareAndSet(null, o.firstFailure());
            }
          } catch (Exception e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, errorPrefix + e);
            KinesisBench.pause(10);
          }
        }
      }, name + "-" + i);
      t.setDaemon(true);
      producers.add(t);
    }
    producers.forEach(Thread::start);
    try {
      Thread.sleep(options.warmup() * 1000L);
      CpuShare.Sample cpu0 = CpuShare.sample(serverPid);
      long start = System.nanoTime();
      windowStart.set(start);
      Thread.sleep(options.measure() * 1000L);
      // A target whose calls outlast the window is measured over at least one call per producer.
      long cap = start + options.maxWindow() * 1_000_000_000L;
      while (calls.get() < options.producers() && System.nanoTime() < cap) Thread.sleep(5);
      long end = System.nanoTime();
      windowEnd.set(end);
      CpuShare cpu = CpuShare.between(cpu0, CpuShare.sample(serverPid));
      return new Window(accepted.get(), failed.get(), calls.get(), (end - start) / 1e9, KinesisBench.ms(callTimes, 50),
          KinesisBench.ms(callTimes, 99), errors.get(), firstError.get(), cpu);
    } finally {
      stop.set(true);
      for (Thread t : producers) t.join(130_000);
    }
  }
}
