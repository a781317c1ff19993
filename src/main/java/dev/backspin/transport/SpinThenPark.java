package dev.backspin.transport;

import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread pool's task queue whose idle threads wait in two ways: at most one of them polls for up
 * to {@code spinNanos} before it parks, and the rest park at once. A task that comes while one
 * spins is taken without a wake-up (a futex call, and on a VM an inter-processor interrupt); the
 * cost is one thread busy for the spin after each task, never more. Offering wakes a parked
 * thread only when none spins, and a thread that takes a task wakes one for any task left
 * behind it, so tasks still run in parallel when several wait.
 *
 * <p>Unbounded, as the fixed pools Vert.x builds are: what bounds the work is the callers'.
 */
final class SpinThenPark extends AbstractQueue<Runnable> implements BlockingQueue<Runnable> {

  private final long spinNanos;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean spinning = new AtomicBoolean();
  private final AtomicInteger parked = new AtomicInteger();
  // one permit per wake-up owed to a parked thread; a spare one costs one empty look at the queue
  private final Semaphore wakeUps = new Semaphore(0);

  SpinThenPark(long spinNanos) {
    this.spinNanos = spinNanos;
  }

  long spinNanos() {
    return spinNanos;
  }

  @Override
  public boolean offer(Runnable task) {
    tasks.offer(task);
    // after the add: a spinner that stops or a thread about to park looks at the queue again
    if (!spinning.get() && parked.get() > 0) {
      wakeUps.release();
    }
    return true;
  }

  @Override
  public Runnable take() throws InterruptedException {
    Runnable task = spin();
    if (task != null) {
      return task;
    }
    for (;;) {
      parked.incrementAndGet();
      try {
        task = tasks.poll(); // after counting itself: an offer from now on wakes it
        if (task != null) {
          return more(task);
        }
        wakeUps.acquire();
      } finally {
        parked.decrementAndGet();
      }
      task = tasks.poll();
      if (task != null) {
        return more(task);
      }
    }
  }

  @Override
  public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
    long end = System.nanoTime() + unit.toNanos(timeout);
    Runnable task = spin();
    while (task == null) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return tasks.poll();
      }
      parked.incrementAndGet();
      try {
        task = tasks.poll();
        if (task == null && wakeUps.tryAcquire(left, TimeUnit.NANOSECONDS)) {
          task = more(tasks.poll());
        }
      } finally {
        parked.decrementAndGet();
      }
    }
    return task;
  }

  /** A task, polled for up to the spin if no other thread spins; else null. */
  private Runnable spin() {
    Runnable task = tasks.poll();
    if (task != null || spinNanos <= 0 || !spinning.compareAndSet(false, true)) {
      return more(task);
    }
    try {
      long end = System.nanoTime() + spinNanos;
      while ((task = tasks.poll()) == null && System.nanoTime() - end < 0) {
        Thread.onSpinWait();
      }
    } finally {
      spinning.set(false);
    }
    // offers that saw the spinner woke no one: what is left needs threads of its own
    return more(task != null ? task : tasks.poll());
  }

  /**
   * Passes a wake-up on when tasks are left behind {@code task}: offers made while a thread spun
   * woke no one, so each thread that takes one wakes the next, until they are all taken.
   */
  private Runnable more(Runnable task) {
    if (task != null && !tasks.isEmpty() && parked.get() > 0) {
      wakeUps.release();
    }
    return task;
  }

  @Override
  public void put(Runnable task) {
    offer(task);
  }

  @Override
  public boolean offer(Runnable task, long timeout, TimeUnit unit) {
    return offer(task);
  }

  @Override
  public Runnable poll() {
    return tasks.poll();
  }

  @Override
  public Runnable peek() {
    return tasks.peek();
  }

  @Override
  public int remainingCapacity() {
    return Integer.MAX_VALUE;
  }

  @Override
  public int drainTo(Collection<? super Runnable> to) {
    return drainTo(to, Integer.MAX_VALUE);
  }

  @Override
  public int drainTo(Collection<? super Runnable> to, int max) {
    int n = 0;
    Runnable task;
    while (n < max && (task = tasks.poll()) != null) {
      to.add(task);
      n++;
    }
    return n;
  }

  @Override
  public Iterator<Runnable> iterator() {
    return tasks.iterator();
  }

  @Override
  public int size() {
    return tasks.size();
  }

  @Override
  public boolean isEmpty() {
    return tasks.isEmpty();
  }

  @Override
  public boolean remove(Object task) {
    return tasks.remove(task);
  }
}
