package dev.backspin.tools;

import java.time.Duration;

/** A tool's option in seconds (a fraction allowed), as a Duration: 0..1,000,000, else a clear error. */
final class Seconds {

  private Seconds() {
  }

  static Duration of(double s) {
    if (!(s >= 0) || s > 1e6) {
      throw new IllegalArgumentException("seconds must be 0..1000000, got " + s);
    }
    return Duration.ofNanos(Math.round(s * 1e9));
  }
}
