package dev.backspin.tools;

import java.util.Random;

/**
 * When one connection's next request is due, and how long its reply took. In a closed loop the
 * next request goes as soon as the reply is in and latency runs from the actual send: service
 * time. At a fixed rate requests are due every period from a start offset, and latency runs from
 * when the request was due, not from when it went: a reply that comes late also delays the
 * requests queued behind it, and they count that delay (no coordinated omission). Pure: the
 * caller passes the time, in nanoseconds.
 */
final class RequestClock {

  private final long period; // 0: closed loop
  private long due;          // rate: when the request in flight, or the next one, was due; closed loop: when it went

  private RequestClock(long period, long due) {
    this.period = period;
    this.due = due;
  }

  static RequestClock closedLoop() {
    return new RequestClock(0, 0);
  }

  /** Due every {@code period} from {@code start + offset}. */
  static RequestClock atRate(long period, long start, long offset) {
    if (period <= 0 || offset < 0 || offset >= period) {
      throw new IllegalArgumentException("period must be positive and offset in [0, period), got " + period + " and " + offset);
    }
    return new RequestClock(period, start + offset);
  }

  /**
   * A start offset in {@code [0, period)}: connections that all start at once then spread their
   * requests over the period instead of sending in one burst each period.
   */
  static long randomOffset(Random random, long period) {
    return random.nextLong(period);
  }

  /** Nanoseconds until the next request is due; zero or less: send it now. */
  long untilDue(long now) {
    return period == 0 ? 0 : due - now;
  }

  /** The request goes now. */
  void sent(long now) {
    if (period == 0) {
      due = now;
    }
  }

  /** Its reply came in now: the latency, in nanoseconds. The next request is due one period after this one was. */
  long replied(long now) {
    long latency = now - due;
    due += period;
    return latency;
  }

  /**
   * Open loop at a rate, where nothing is answered: the message that was due went now. Returns how
   * late it went, in nanoseconds; the next is due one period after this one was.
   */
  long went(long now) {
    return replied(now);
  }
}
