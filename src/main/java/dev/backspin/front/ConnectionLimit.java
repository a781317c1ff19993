package dev.backspin.front;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts one service's open connections across all its front instances, and the connections it
 * is turning away: those still close in order (their {@code ERR}, then a wait for the client to
 * read it), so they are bounded in number too, not only in time.
 */
public final class ConnectionLimit {

  /** Connections turned away and still closing, at most: beyond, one is closed at once, without a word. */
  static final int MAX_REFUSING = 1024;

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger refusing = new AtomicInteger();

  public ConnectionLimit(int max) {
    this.max = max;
  }

  /** @return false, counting nothing, when the service is already at its limit */
  boolean tryAcquire() {
    return tryIncrement(open, max);
  }

  void release() {
    open.decrementAndGet();
  }

  /** @return false, counting nothing, when as many connections as allowed are being turned away already */
  boolean tryRefuse() {
    return tryIncrement(refusing, MAX_REFUSING);
  }

  /** A connection that was turned away has closed. */
  void refused() {
    refusing.decrementAndGet();
  }

  private static boolean tryIncrement(AtomicInteger n, int max) {
    while (true) {
      int v = n.get();
      if (v >= max) {
        return false;
      }
      if (n.compareAndSet(v, v + 1)) {
        return true;
      }
    }
  }

  public int open() {
    return open.get();
  }

  /** Connections turned away and still closing. */
  public int refusing() {
    return refusing.get();
  }
}
