package dev.backspin;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * One service's graceful stop. Vert.x undeploys a parent's children all at once, so the workers
 * would vanish while the fronts still drain; instead each worker's stop waits here until every
 * front instance of its service has drained. It also logs the drain once, for all instances.
 */
public final class ServiceDrain {

  private static final Logger log = LoggerFactory.getLogger(ServiceDrain.class);

  private final String service;
  private final IntSupplier openConnections;
  private final AtomicInteger frontsRunning;
  private final AtomicInteger closedAtDeadline = new AtomicInteger();
  private final AtomicInteger closedUnanswered = new AtomicInteger();
  private final AtomicBoolean started = new AtomicBoolean();
  private final Promise<Void> drained = Promise.promise();
  private volatile long startNanos;

  public ServiceDrain(String service, int fronts, IntSupplier openConnections) {
    this.service = service;
    this.openConnections = openConnections;
    this.frontsRunning = new AtomicInteger(fronts);
    if (fronts == 0) {
      drained.complete();
    }
  }

  /** A front instance begins to drain: the first one logs what is left. */
  public void frontDraining(int drainSeconds) {
    if (started.compareAndSet(false, true)) {
      startNanos = System.nanoTime();
      log.info("{}: draining: stopped accepting; {} connection(s) open, served for up to {} s", service, openConnections.getAsInt(), drainSeconds);
    }
  }

  /** Whether a front of this service has begun to drain: then it is not ready for new clients. */
  public boolean draining() {
    return started.get();
  }

  /** A connection was still open when the drain time ran out. */
  public void closedAtDeadline() {
    closedAtDeadline.incrementAndGet();
  }

  /** A connection closed while frames it had read were still unanswered. */
  public void closedUnanswered() {
    closedUnanswered.incrementAndGet();
  }

  /** A front instance has drained (or failed to start): the last one releases the workers. */
  public void frontStopped() {
    if (frontsRunning.decrementAndGet() == 0 && drained.tryComplete()) {
      if (started.get()) {
        int unanswered = closedUnanswered.get();
        log.info("{}: drained in {} ms; {} connection(s) were closed at the deadline, {}", service,
          (System.nanoTime() - startNanos) / 1_000_000, closedAtDeadline.get(),
          unanswered == 0 ? "every frame read was answered" : unanswered + " connection(s) closed with frames unanswered");
      }
    }
  }

  /** Every front instance gave up: nothing will drain. */
  public void frontsFailed() {
    drained.tryComplete();
  }

  /** Completes, on whatever thread, when every front instance has drained. */
  public Future<Void> frontsDrained() {
    return drained.future();
  }
}
