package dev.backspin.service;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far one broadcast front is behind: the bytes published towards it that it has not yet
 * delivered, and whether it counts as lagging. It starts lagging once past {@code high} and stays
 * lagging until it is back to {@code low} or under, so held senders are let go in one batch, not
 * one read at a time. Lock-free: publishers on other event loops add, the front itself subtracts.
 */
final class Backlog {

  private final long high;
  private final long low;
  // bytes << 1 | lagging: one atomic, so the flag can never disagree with the count
  private final AtomicLong state = new AtomicLong();

  Backlog(long high, long low) {
    if (low < 0 || low > high) {
      throw new IllegalArgumentException("need 0 <= low <= high, got low " + low + ", high " + high);
    }
    this.high = high;
    this.low = low;
  }

  /** {@code bytes} were published towards this front. */
  void add(int bytes) {
    long s;
    long next;
    do {
      s = state.get();
      long b = (s >> 1) + bytes;
      next = b << 1 | ((s & 1) != 0 || b > high ? 1 : 0);
    } while (!state.compareAndSet(s, next));
  }

  /** This front delivered {@code bytes} it was counted for; returns whether that ended a lag. */
  boolean subtract(int bytes) {
    long s;
    long next;
    boolean was;
    boolean still;
    do {
      s = state.get();
      long b = (s >> 1) - bytes;
      was = (s & 1) != 0;
      still = was && b > low;
      next = b << 1 | (still ? 1 : 0);
    } while (!state.compareAndSet(s, next));
    return was && !still;
  }

  long bytes() {
    return state.get() >> 1;
  }

  boolean lagging() {
    return (state.get() & 1) != 0;
  }
}
