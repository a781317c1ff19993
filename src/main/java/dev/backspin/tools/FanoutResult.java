package dev.backspin.tools;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;

/**
 * What one fan-out run found: the senders' side, and per receive address the deliveries, their
 * latency and the checks. Clean only if every sender and receiver connected and stayed, every
 * receiver saw the probe, got every line of every sender once and in order, and had them all
 * within the drain, and nothing else went wrong ({@code problems}).
 */
public record FanoutResult(Fanout.Options options, List<FanoutTally> receive, Senders senders, double seconds,
                           double drainedInSeconds, List<String> problems) {

  /**
   * The senders' side: lines written in all and during the measured time; how often and how long
   * back-pressure held them (their write queue full); at a rate, how far behind its schedule a
   * line went at worst.
   */
  public record Senders(int connected, long lines, long linesMeasured, long pauses, long pausedNanos, long maxLagNanos,
                        int disconnects) {
  }

  public FanoutResult {
    receive = List.copyOf(receive);
    problems = List.copyOf(problems);
  }

  /**
   * Whether the drain ended before its time: every receiver still connected had every line. A
   * receiver that was cut off is not waited for; its lost lines and its disconnect say the rest.
   */
  public boolean drained() {
    return drainedInSeconds >= 0;
  }

  public boolean clean() {
    return problems.isEmpty() && drained() && senders.connected() == options.senders() && senders.disconnects() == 0
      && receive.stream().allMatch(FanoutTally::clean);
  }

  public long deliveriesMeasured() {
    return receive.stream().mapToLong(t -> t.measured).sum();
  }

  public long delivered() {
    return receive.stream().mapToLong(t -> t.delivered).sum();
  }

  public long expected() {
    return receive.stream().mapToLong(t -> t.expected).sum();
  }

  public long lost() {
    return receive.stream().mapToLong(t -> t.lost).sum();
  }

  private Histogram allLatency() {
    Histogram all = new Histogram(3);
    receive.forEach(t -> all.add(t.latency));
    return all;
  }

  private long perSecond(long n) {
    return seconds > 0 ? Math.round(n / seconds) : 0;
  }

  public JsonObject toJson() {
    JsonArray addresses = new JsonArray();
    receive.forEach(t -> addresses.add(t.toJson(seconds)));
    return new JsonObject()
      .put("send", options.send().toString()).put("senders", options.senders()).put("receiversPerAddress", options.receivers())
      .put("lineBytes", options.lineBytes()).put("rate", options.rate())
      .put("warmupSeconds", options.warmup().toMillis() / 1000.0).put("durationSeconds", options.duration().toMillis() / 1000.0)
      .put("drainSeconds", options.drain().toMillis() / 1000.0).put("seconds", Math.round(seconds * 1000) / 1000.0)
      .put("sendersConnected", senders.connected()).put("senderDisconnects", senders.disconnects())
      .put("linesSent", senders.lines()).put("linesSentMeasured", senders.linesMeasured())
      .put("linesPerSecond", perSecond(senders.linesMeasured()))
      .put("senderPauses", senders.pauses()).put("senderPausedSeconds", Math.round(senders.pausedNanos() / 1e6) / 1000.0)
      .put("scheduleLagMaxMillis", options.rate() > 0 ? Math.round(senders.maxLagNanos() / 1e3) / 1000.0 : null)
      .put("deliveriesMeasured", deliveriesMeasured()).put("deliveriesPerSecond", perSecond(deliveriesMeasured()))
      .put("latencyMicros", BenchStats.percentiles(allLatency()))
      .put("delivered", delivered()).put("expected", expected()).put("lost", lost())
      .put("drained", drained()).put("drainedInSeconds", drained() ? Math.round(drainedInSeconds * 1000) / 1000.0 : null)
      .put("receive", addresses).put("problems", new JsonArray(problems)).put("clean", clean());
  }

  /** The first line is the whole result in one line; the rest, each address and what went wrong. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "fanout: %,d deliveries/s (", perSecond(deliveriesMeasured())));
    for (int i = 0; i < receive.size(); i++) {
      FanoutTally t = receive.get(i);
      s.append(i == 0 ? "" : ", ").append(t.address).append(' ').append(String.format(Locale.ROOT, "%,d", perSecond(t.measured)));
    }
    s.append(String.format(Locale.ROOT, "), %,d lines/s sent; p99 ", perSecond(senders.linesMeasured())));
    for (int i = 0; i < receive.size(); i++) {
      s.append(i == 0 ? "" : " / ").append(millis(BenchStats.percentiles(receive.get(i).latency), "p99"));
    }
    s.append(" ms; ").append(clean() ? "clean" : "NOT clean").append('\n');

    s.append(String.format(Locale.ROOT, "  %d senders on %s, %d-byte lines, %s; %s s warm-up, %.2f s measured%n",
      options.senders(), options.send(), options.lineBytes(),
      options.rate() > 0 ? String.format(Locale.ROOT, "%,.0f lines/s in all", options.rate()) : "as fast as the server takes them",
      seconds(options.warmup().toMillis()), seconds));
    s.append(String.format(Locale.ROOT, "  sent %,d lines (%,d measured); write queue full %,d times, %.2f s in all%s%s%n",
      senders.lines(), senders.linesMeasured(), senders.pauses(), senders.pausedNanos() / 1e9,
      options.rate() > 0 ? String.format(Locale.ROOT, "; at worst %.1f ms behind schedule", senders.maxLagNanos() / 1e6) : "",
      senders.disconnects() > 0 ? "; " + senders.disconnects() + " sender(s) disconnected" : ""));
    for (FanoutTally t : receive) {
      s.append(String.format(Locale.ROOT, "  %s, %d receiver(s): %,d deliveries/s, latency %s; delivered %,d of %,d%n",
        t.address, t.receivers, perSecond(t.measured), latency(BenchStats.percentiles(t.latency)), t.delivered, t.expected));
      if (!t.clean()) {
        s.append(String.format(Locale.ROOT, "    connected %d, confirmed %d; gaps %d, reordered %d, duplicates %d, lost %d, "
            + "malformed %d, disconnects %d%s%n", t.connected, t.confirmed, t.gaps, t.reordered, t.duplicates, t.lost, t.malformed,
          t.disconnects, t.firstProblem() == null ? "" : "; first: " + t.firstProblem()));
      }
    }
    s.append(String.format(Locale.ROOT, "  all: %,d deliveries/s, latency %s%n", perSecond(deliveriesMeasured()),
      latency(BenchStats.percentiles(allLatency()))));
    problems.forEach(p -> s.append("  problem: ").append(p).append('\n'));
    s.append(clean()
      ? String.format(Locale.ROOT, "  CLEAN: every line reached every receiver once, in order, within %.2f s of the end%n", drainedInSeconds)
      : String.format(Locale.ROOT, "  FAILED: %s%n", drained() ? "see the counts above"
        : "not every line reached every receiver within the drain (" + seconds(options.drain().toMillis()) + " s)"));
    return s.toString();
  }

  private static String latency(JsonObject p) {
    return p == null ? "none timed" : String.format(Locale.ROOT, "p50 %s, p99 %s, p99.9 %s, max %s ms",
      millis(p, "p50"), millis(p, "p99"), millis(p, "p999"), millis(p, "max"));
  }

  private static String millis(JsonObject p, String key) {
    return p == null ? "–" : String.format(Locale.ROOT, "%.2f", p.getLong(key) / 1000.0);
  }

  private static String seconds(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
  }
}
