package dev.backspin.tools;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.Locale;

/**
 * Counters and the latency histogram of one bench run. Confined to the bench's event loop.
 * Throughput and latency count from the end of the warm-up to the end of the measured time; the
 * checks (mismatches, excess, lost, errors) count for the whole run, warm-up and drain included.
 */
final class BenchStats {

  // µs, 3 significant digits; auto-resizing, so no latency is too large to record
  final Histogram latency = new Histogram(3);
  long messages;
  long bytesIn;
  long bytesOut;
  boolean measuring;

  /** Complete replies with a wrong byte. */
  long mismatches;
  /** Bytes that came with no reply owed. */
  long excess;
  /** Replies still owed at the end, after the grace time. */
  long lost;
  /** Connections that failed: refused, closed by the server while in use, a failed write or an I/O error. */
  long errors;
  int connected;
  int open;

  /** The warm-up is over: throughput and latency start from zero; the checks keep what they found. */
  void startMeasuring() {
    latency.reset();
    messages = 0;
    bytesIn = 0;
    bytesOut = 0;
    measuring = true;
  }

  JsonObject toJson(String mode, int connections, int size, double seconds) {
    return new JsonObject()
      .put("mode", mode).put("connections", connections).put("size", size).put("seconds", seconds)
      .put("connected", connected).put("messages", messages)
      .put("msgsPerSecond", Math.round(messages / seconds))
      .put("mbInPerSecond", round(bytesIn / seconds / 1e6)).put("mbOutPerSecond", round(bytesOut / seconds / 1e6))
      .put("mismatches", mismatches).put("excess", excess).put("lost", lost).put("errors", errors)
      // no samples (stream mode times no round trip): null, not percentiles of nothing
      .put("latencyMicros", percentiles(latency));
  }

  /** p50, p90, p99, p99.9, max and count of {@code h}; null when it has no samples, not percentiles of nothing. */
  static JsonObject percentiles(Histogram h) {
    return h.getTotalCount() == 0 ? null : new JsonObject()
      .put("p50", h.getValueAtPercentile(50)).put("p90", h.getValueAtPercentile(90))
      .put("p99", h.getValueAtPercentile(99)).put("p999", h.getValueAtPercentile(99.9))
      .put("max", h.getMaxValue()).put("count", h.getTotalCount());
  }

  static String table(JsonObject j) {
    JsonObject l = j.getJsonObject("latencyMicros");
    String[] p = new String[5];
    String[] keys = {"p50", "p90", "p99", "p999", "max"};
    for (int i = 0; i < keys.length; i++) {
      p[i] = l == null ? "–" : Long.toString(l.getLong(keys[i]));
    }
    return String.format(Locale.ROOT,
      "%-8s %6s %7s %12s %10s %10s %8s %8s %8s %8s %10s %10s %8s %6s %7s%n"
        + "%-8s %6d %7d %12d %10.1f %10.1f %8s %8s %8s %8s %10s %10d %8d %6d %7d%n",
      "mode", "conns", "size", "msgs/s", "MB/s in", "MB/s out", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "max µs",
      "mismatch", "excess", "lost", "errors",
      j.getString("mode"), j.getInteger("connections"), j.getInteger("size"), j.getLong("msgsPerSecond"),
      j.getDouble("mbInPerSecond"), j.getDouble("mbOutPerSecond"), p[0], p[1], p[2], p[3], p[4],
      j.getLong("mismatches"), j.getLong("excess"), j.getLong("lost"), j.getLong("errors"));
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
