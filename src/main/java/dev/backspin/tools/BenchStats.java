package dev.backspin.tools;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.Locale;

/** Counters and the latency histogram of one bench run. Confined to the bench's event loop. */
final class BenchStats {

  // 1 µs .. 60 s, 3 significant digits
  final Histogram latency = new Histogram(1, 60_000_000, 3);
  long messages;
  long bytesIn;
  long bytesOut;
  long mismatches;
  long errors;
  int connected;
  int open;

  void reset() {
    latency.reset();
    messages = 0;
    bytesIn = 0;
    bytesOut = 0;
    mismatches = 0;
    errors = 0;
  }

  JsonObject toJson(String mode, int connections, int size, double seconds) {
    return new JsonObject()
      .put("mode", mode).put("connections", connections).put("size", size).put("seconds", seconds)
      .put("connected", connected).put("messages", messages)
      .put("msgsPerSecond", Math.round(messages / seconds))
      .put("mbInPerSecond", round(bytesIn / seconds / 1e6)).put("mbOutPerSecond", round(bytesOut / seconds / 1e6))
      .put("mismatches", mismatches).put("errors", errors)
      .put("latencyMicros", new JsonObject()
        .put("p50", latency.getValueAtPercentile(50)).put("p90", latency.getValueAtPercentile(90))
        .put("p99", latency.getValueAtPercentile(99)).put("p999", latency.getValueAtPercentile(99.9))
        .put("max", latency.getMaxValue()).put("count", latency.getTotalCount()));
  }

  String table(JsonObject j) {
    JsonObject l = j.getJsonObject("latencyMicros");
    return String.format(Locale.ROOT,
      "%-8s %6s %7s %12s %10s %10s %8s %8s %8s %8s %10s %10s %7s%n%-8s %6d %7d %12d %10.1f %10.1f %8d %8d %8d %8d %10d %10d %7d%n",
      "mode", "conns", "size", "msgs/s", "MB/s in", "MB/s out", "p50 µs", "p90 µs", "p99 µs", "p99.9 µs", "max µs", "mismatch", "errors",
      j.getString("mode"), j.getInteger("connections"), j.getInteger("size"), j.getLong("msgsPerSecond"),
      j.getDouble("mbInPerSecond"), j.getDouble("mbOutPerSecond"), l.getLong("p50"), l.getLong("p90"), l.getLong("p99"),
      l.getLong("p999"), l.getLong("max"), j.getLong("mismatches"), j.getLong("errors"));
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
