package dev.backspin.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Samples another JVM's live heap ({@link ProcessMemory#liveHeapBytes}: what a full GC keeps) on
 * a thread of its own, one sample after another at most every {@code period}, until closed. Each
 * sample takes a jcmd run, so on this machine they come about every half second at most.
 */
public final class LiveHeapSampler implements AutoCloseable {

  /** One sample: milliseconds since the sampler started, and the live heap then. */
  public record Sample(long atMillis, long bytes) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%.1f s: %.1f MiB", atMillis / 1000.0, bytes / 1048576.0);
    }
  }

  private final long pid;
  private final long periodMillis;
  private final long start = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Thread thread;
  private volatile String problem;

  private LiveHeapSampler(long pid, long periodMillis) {
    this.pid = pid;
    this.periodMillis = periodMillis;
    this.thread = new Thread(this::run, "live-heap-sampler");
    this.thread.setDaemon(true);
  }

  public static LiveHeapSampler start(long pid, long periodMillis) {
    LiveHeapSampler s = new LiveHeapSampler(pid, periodMillis);
    s.thread.start();
    return s;
  }

  private void run() {
    try {
      do {
        long bytes = ProcessMemory.liveHeapBytes(pid);
        synchronized (samples) {
          samples.add(new Sample((System.nanoTime() - start) / 1_000_000, bytes));
        }
      } while (!stop.await(periodMillis, TimeUnit.MILLISECONDS)); // a pace, not a synchronisation
    } catch (Exception e) {
      // the process ended, or jcmd could not attach: the test sees it in problem()
      problem = e.toString();
    }
  }

  public List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  public long max() {
    return samples().stream().mapToLong(Sample::bytes).max().orElse(-1);
  }

  /** Why sampling stopped early, or null. */
  public String problem() {
    return problem;
  }

  /** Stops after the sample under way, if any (jcmd is bounded at 30 s a run). */
  @Override
  public void close() throws InterruptedException {
    stop.countDown();
    thread.join(70_000);
  }
}
