package dev.backspin.transport;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker pool's queue: no task lost or left waiting, and at most one idle thread spinning. */
class SpinThenParkTest {

  private static final long SPIN = TimeUnit.MICROSECONDS.toNanos(50);

  private static ThreadPoolExecutor pool(int threads, long spinNanos) {
    return (ThreadPoolExecutor) new SpinningWorkers(spinNanos).createExecutor(Executors.defaultThreadFactory(), threads, threads);
  }

  @Test
  void aParkedThreadIsWokenByATaskOfferedAfterItsSpin() throws Exception {
    SpinThenPark q = new SpinThenPark(SPIN);
    ExecutorService taker = Executors.newSingleThreadExecutor();
    try {
      Future<Runnable> taken = taker.submit(q::take);
      Runnable task = () -> { };
      awaitState(Thread.State.WAITING, 1, taker); // past its spin, parked
      q.offer(task);
      assertThat(taken.get(10, TimeUnit.SECONDS)).isSameAs(task);
    } finally {
      taker.shutdownNow();
    }
  }

  @RepeatedTest(20) // offers made while one spins must still reach every parked thread
  void onlyOneIdleThreadSpinsTheOthersPark() throws Exception {
    SpinThenPark q = new SpinThenPark(TimeUnit.SECONDS.toNanos(30));
    List<Thread> takers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Thread t = new Thread(() -> {
        try {
          q.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.start();
      takers.add(t);
    }
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (takers.stream().filter(t -> t.getState() == Thread.State.WAITING).count() < 2 && System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      assertThat(takers).filteredOn(t -> t.getState() == Thread.State.WAITING).hasSize(2);
      assertThat(takers).filteredOn(t -> t.getState() == Thread.State.RUNNABLE).hasSize(1);
      for (int i = 0; i < 3; i++) {
        q.offer(() -> { });
      }
      for (Thread t : takers) {
        t.join(10_000);
        assertThat(t.isAlive()).as("a taker still waits with three tasks offered").isFalse();
      }
      assertThat(q).isEmpty();
    } finally {
      takers.forEach(Thread::interrupt);
    }
  }

  @Test
  void tasksThatComeWhileOneSpinsStillRunInParallel() throws Exception {
    ThreadPoolExecutor pool = pool(2, TimeUnit.MILLISECONDS.toNanos(1));
    try {
      pool.prestartAllCoreThreads();
      for (int round = 0; round < 200; round++) {
        // each task waits for the other: they finish only if two threads run them at once
        CyclicBarrier both = new CyclicBarrier(2);
        Future<?> a = pool.submit(() -> both.await(10, TimeUnit.SECONDS));
        Future<?> b = pool.submit(() -> both.await(10, TimeUnit.SECONDS));
        a.get(20, TimeUnit.SECONDS);
        b.get(20, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyTaskFromManyProducersRunsOnce() throws Exception {
    ThreadPoolExecutor pool = pool(4, SPIN);
    int producers = 4;
    int each = 50_000;
    AtomicInteger ran = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(producers * each);
    List<Thread> threads = new ArrayList<>();
    try {
      for (int p = 0; p < producers; p++) {
        Thread t = new Thread(() -> {
          for (int i = 0; i < each; i++) {
            pool.execute(() -> {
              ran.incrementAndGet();
              done.countDown();
            });
            if (i % 1000 == 0) {
              Thread.yield(); // let the pool go idle now and then, so that threads park and spin
            }
          }
        });
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join(60_000);
      }
      assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(ran).hasValue(producers * each);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void pollWithATimeoutGivesUpEmptyAndTakesWhatComes() throws Exception {
    SpinThenPark q = new SpinThenPark(SPIN);
    assertThat(q.poll(20, TimeUnit.MILLISECONDS)).isNull();
    Runnable task = () -> { };
    q.offer(task);
    assertThat(q.poll(20, TimeUnit.MILLISECONDS)).isSameAs(task);
    assertThat(q.poll()).isNull();
  }

  @Test
  void withNoSpinEveryIdleThreadParksAtOnce() throws Exception {
    ThreadPoolExecutor pool = pool(3, 0);
    try {
      pool.prestartAllCoreThreads();
      assertThat(pool.submit(() -> 42).get(10, TimeUnit.SECONDS)).isEqualTo(42);
      awaitPoolParked(pool, 3);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Waits, bounded, until the taker thread of a single-thread executor is in {@code state}. */
  private static void awaitState(Thread.State state, int count, ExecutorService executor) throws Exception {
    Thread[] thread = new Thread[1];
    CountDownLatch seen = new CountDownLatch(1);
    // the executor's only thread is busy in take(): find it among all threads by its stack
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getState() == state && isIn(t, "SpinThenPark.take")) {
          thread[0] = t;
          seen.countDown();
        }
      }
      if (seen.getCount() == 0) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no thread reached " + state + " in SpinThenPark.take within 10 s");
  }

  private static void awaitPoolParked(ThreadPoolExecutor pool, int n) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long parked = 0;
    while (System.nanoTime() < end) {
      parked = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getState() == Thread.State.WAITING && isIn(t, "SpinThenPark.take")).count();
      if (parked >= n) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("only " + parked + " of " + n + " idle threads parked");
  }

  private static boolean isIn(Thread t, String method) {
    for (StackTraceElement e : t.getStackTrace()) {
      if ((e.getClassName().substring(e.getClassName().lastIndexOf('.') + 1) + "." + e.getMethodName()).equals(method)) {
        return true;
      }
    }
    return false;
  }
}
