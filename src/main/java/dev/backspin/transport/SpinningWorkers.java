package dev.backspin.transport;

import io.vertx.core.spi.ExecutorServiceFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x's fixed worker pools, with a queue whose idle threads spin before they park
 * ({@link SpinThenPark}): a frame that reaches a worker within the spin costs no wake-up.
 */
final class SpinningWorkers implements ExecutorServiceFactory {

  private final long spinNanos;

  SpinningWorkers(long spinNanos) {
    this.spinNanos = spinNanos;
  }

  @Override
  public ExecutorService createExecutor(ThreadFactory threadFactory, Integer concurrency, Integer maxConcurrency) {
    // as Vert.x's own: Executors.newFixedThreadPool(maxConcurrency), on another queue
    return new ThreadPoolExecutor(maxConcurrency, maxConcurrency, 0, TimeUnit.MILLISECONDS, new SpinThenPark(spinNanos), threadFactory);
  }
}
