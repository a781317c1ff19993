package dev.backspin.transport;

import io.netty.channel.SelectStrategy;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.IntSupplier;
import io.netty.util.internal.ThreadExecutorMap;

/**
 * An event loop's wait: before it blocks in epoll_wait, it polls for up to {@code spinNanos} for
 * ready sockets or tasks (a worker's replies come as tasks). A reply that comes within the spin then
 * costs no eventfd write and no wake-up; a loop with nothing to do blocks as before. Netty's own
 * BUSY_WAIT never blocks, which two shared cores cannot afford.
 */
final class SpinThenBlock implements SelectStrategy {

  private final long spinNanos;

  SpinThenBlock(long spinNanos) {
    this.spinNanos = spinNanos;
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    if (hasTasks) {
      return selectNow.get();
    }
    EventExecutor loop = ThreadExecutorMap.currentExecutor();
    if (!(loop instanceof SingleThreadEventExecutor executor)) {
      return SelectStrategy.SELECT;
    }
    long end = System.nanoTime() + spinNanos;
    do {
      int ready = selectNow.get();
      if (ready > 0) {
        return ready;
      }
      if (executor.pendingTasks() > 0) {
        return 0; // no socket ready: run the tasks
      }
      Thread.onSpinWait();
    } while (System.nanoTime() - end < 0);
    return SelectStrategy.SELECT;
  }
}
