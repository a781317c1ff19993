package dev.backspin.tools;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * What the receivers on one receive address got: every sender's line once, in order, is a
 * delivery. Deliveries per second count those that arrived during the measured time; latency,
 * from the line's send to its delivery, counts every line sent during the measured time,
 * whenever it arrived (the drain included, so a backlog's tail is not left out). The checks
 * count the whole run. Confined to the fanout's event loop; pure: no sockets, no clock.
 */
final class FanoutTally {

  final String address;
  final int receivers;
  // µs, 3 significant digits; auto-resizing
  final Histogram latency = new Histogram(3);
  int connected;
  int confirmed;
  /** Distinct sender lines received, the whole run. */
  long delivered;
  /** Of those, the ones that arrived during the measured time. */
  long measured;
  long gaps;
  long reordered;
  long duplicates;
  long malformed;
  /** Sender lines that came before the receiver had seen the probe's hello (none should: senders start after). */
  long early;
  long disconnects;
  /** Set by {@link #end}: what every receiver should have got, and what did not come. */
  long expected;
  long lost;
  private String firstProblem;

  FanoutTally(String address, int receivers) {
    this.address = address;
    this.receivers = receivers;
  }

  /**
   * A sender's line came, judged {@code v}; {@code arrivedMeasuring} whether it came during the
   * measured time; {@code latencyMicros} its latency if it was sent during the measured time, else
   * negative. A duplicate is counted as such and nothing else.
   */
  void delivery(FanoutOrder.Verdict v, boolean arrivedMeasuring, long latencyMicros) {
    switch (v) {
      case DUPLICATE -> {
        duplicates++;
        return;
      }
      case GAP -> gaps++;
      case LATE -> reordered++;
      case NEXT -> { }
    }
    delivered++;
    if (arrivedMeasuring) {
      measured++;
    }
    if (latencyMicros >= 0) {
      latency.recordValue(latencyMicros);
    }
  }

  /** Keeps the first problem seen here, to show what it was. */
  void problem(String what) {
    if (firstProblem == null) {
      firstProblem = what;
    }
  }

  String firstProblem() {
    return firstProblem;
  }

  /** The run is over: {@code linesSent} lines went out in all, and {@code lost} deliveries of them never came. */
  void end(long linesSent, long lost) {
    this.expected = linesSent * receivers;
    this.lost = lost;
  }

  boolean clean() {
    return connected == receivers && confirmed == receivers && gaps == 0 && reordered == 0 && duplicates == 0
      && malformed == 0 && disconnects == 0 && lost == 0 && delivered == expected;
  }

  JsonObject toJson(double seconds) {
    return new JsonObject().put("address", address).put("receivers", receivers).put("connected", connected)
      .put("confirmed", confirmed).put("delivered", delivered).put("expected", expected).put("lost", lost)
      .put("deliveriesMeasured", measured).put("deliveriesPerSecond", seconds > 0 ? Math.round(measured / seconds) : 0)
      .put("latencyMicros", BenchStats.percentiles(latency))
      .put("gaps", gaps).put("reordered", reordered).put("duplicates", duplicates).put("malformed", malformed)
      .put("early", early).put("disconnects", disconnects).put("problem", firstProblem).put("clean", clean());
  }
}
