package dev.backspin.front;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts one service's open connections across all its front instances. */
public final class ConnectionLimit {

  private final int max;
  private final AtomicInteger open = new AtomicInteger();

  public ConnectionLimit(int max) {
    this.max = max;
  }

  /** @return false, counting nothing, when the service is already at its limit */
  boolean tryAcquire() {
    while (true) {
      int n = open.get();
      if (n >= max) {
        return false;
      }
      if (open.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void release() {
    open.decrementAndGet();
  }

  public int open() {
    return open.get();
  }
}
