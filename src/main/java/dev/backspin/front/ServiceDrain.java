package dev.backspin.front;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
  // counted from the drain's start only: what closed before it is not the drain's doing
  private final AtomicInteger closedAtDeadline = new AtomicInteger();
  private final AtomicInteger unansweredConnections = new AtomicInteger();
  private final AtomicLong unansweredBytes = new AtomicLong();
  private final AtomicInteger droppedConnections = new AtomicInteger();
  private final AtomicLong droppedBytes = new AtomicLong();
  private final AtomicBoolean started = new AtomicBoolean();
  private final Promise<Void> drained = Promise.promise();
  private final Promise<DrainSummary> summary = Promise.promise();
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

  /**
   * A connection closed with {@code unanswered} bytes of the frames it had read never answered,
   * and {@code dropped} bytes of replies still in the server's buffers. Counted only once the
   * drain has begun.
   */
  public void closed(long unanswered, long dropped) {
    if (!started.get()) {
      return;
    }
    if (unanswered > 0) {
      unansweredConnections.incrementAndGet();
      unansweredBytes.addAndGet(unanswered);
    }
    if (dropped > 0) {
      droppedConnections.incrementAndGet();
      droppedBytes.addAndGet(dropped);
    }
  }

  /** A front instance has drained (or failed to start): the last one releases the workers. */
  public void frontStopped() {
    if (frontsRunning.decrementAndGet() == 0 && drained.tryComplete()) {
      if (started.get()) {
        DrainSummary s = new DrainSummary(service, (System.nanoTime() - startNanos) / 1_000_000, closedAtDeadline.get(),
          unansweredConnections.get(), unansweredBytes.get(), droppedConnections.get(), droppedBytes.get());
        if (s.clean()) {
          log.info(s.describe());
        } else {
          log.warn(s.describe());
        }
        summary.complete(s);
      }
    }
  }

  /** Completes with what the drain did once every front instance has drained after a drain began. */
  public Future<DrainSummary> summary() {
    return summary.future();
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
