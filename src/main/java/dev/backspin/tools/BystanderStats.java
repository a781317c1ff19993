package dev.backspin.tools;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * The bystanders' visits: how long each took, from its connect to the last byte of its reply (or
 * to giving up), and each one that failed, by how. A visit fails if its answer was slower than
 * the timeout, wrong, or missing (refused, closed, reset, or not in by the time it gave up).
 * Thread-safe: visits end on several threads.
 */
public final class BystanderStats {

  /** How one visit ended. */
  public enum Outcome {
    /** The exact reversal came back within the timeout. */
    ANSWERED,
    /** The exact reversal came back, but later than the timeout. */
    SLOW,
    /** Something else came back. */
    WRONG,
    /** No full answer: refused, closed, reset, or none before the visit gave up. */
    MISSING
  }

  private final long timeoutMicros;
  // µs, 3 significant digits, auto-resizing
  private final Histogram latency = new Histogram(3);
  private long answered;
  private long slow;
  private long wrong;
  private long missing;
  private String firstProblem;

  public BystanderStats(long timeoutMicros) {
    this.timeoutMicros = timeoutMicros;
  }

  /** Records one visit that took {@code micros}; {@code ok} whether it got exactly its reversal; {@code problem} what went wrong, or null. */
  synchronized Outcome record(long micros, boolean answer, boolean ok, String problem) {
    latency.recordValue(Math.max(0, micros));
    Outcome o = !answer ? Outcome.MISSING : !ok ? Outcome.WRONG : micros > timeoutMicros ? Outcome.SLOW : Outcome.ANSWERED;
    switch (o) {
      case ANSWERED -> answered++;
      case SLOW -> slow++;
      case WRONG -> wrong++;
      case MISSING -> missing++;
    }
    if (o != Outcome.ANSWERED && firstProblem == null) {
      firstProblem = problem != null ? problem : String.format(Locale.ROOT, "answered after %,d µs", micros);
    }
    return o;
  }

  public synchronized long visits() {
    return latency.getTotalCount();
  }

  public synchronized long answered() {
    return answered;
  }

  public synchronized long slow() {
    return slow;
  }

  public synchronized long wrong() {
    return wrong;
  }

  public synchronized long missing() {
    return missing;
  }

  /** Visits that were slower than the timeout, wrong or missing. */
  public synchronized long failures() {
    return slow + wrong + missing;
  }

  public synchronized long percentileMicros(double p) {
    return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(p);
  }

  public synchronized long maxMicros() {
    return latency.getTotalCount() == 0 ? 0 : latency.getMaxValue();
  }


  /** What went wrong first, or null. */
  public synchronized String firstProblem() {
    return firstProblem;
  }

  /** There were visits, and each one got its answer in time. */
  public synchronized boolean clean() {
    return visits() > 0 && failures() == 0;
  }

  public synchronized JsonObject toJson() {
    return new JsonObject().put("visits", visits()).put("answered", answered).put("slow", slow).put("wrong", wrong)
      .put("missing", missing).put("timeoutMillis", timeoutMicros / 1000)
      .put("p50Micros", percentileMicros(50)).put("p99Micros", percentileMicros(99)).put("maxMicros", maxMicros())
      .put("firstProblem", firstProblem);
  }

  public synchronized String summary() {
    return String.format(Locale.ROOT, "%d visits, p50 %s, p99 %s, max %s; %d slower than %s, %d wrong, %d missing%s",
      visits(), millis(percentileMicros(50)), millis(percentileMicros(99)), millis(maxMicros()), slow, millis(timeoutMicros),
      wrong, missing, firstProblem == null ? "" : " (first: " + firstProblem + ")");
  }

  static String millis(long micros) {
    return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }
}
