package dev.backspin.memory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * One budget for the whole process: the bytes all its connections hold (their own objects, frames
 * read and not yet answered, partial frames, replies and deliveries queued above the kernel,
 * broadcast backlogs), counted at what they cost, against {@code maxBufferedBytes}. Every service
 * and front instance shares it.
 *
 * <p>Its first half is free for all: every connection reads within its own limits. Once half is
 * held the budget is <b>under pressure</b>, and the other half is only shared fairly: each
 * connection may hold its share of it ({@link #share()}: half the budget divided among the open
 * connections, at least {@link #SHARE_FLOOR}). One holding less is read as usual, but no read may
 * take it past its share; one holding more waits until memory frees. So the heavy clients wait,
 * the light ones go on, and the total stays within the budget: what was held when the pressure
 * began, plus everyone's share of the rest. The pressure ends below 3/8 of the budget, so it
 * does not flap.
 *
 * <p>Thread-safe. The fronts fold their connections' changes in through their own
 * {@link BudgetLedger} in steps of {@link #step()}, so the hot path touches no shared counter.
 */
public final class MemoryBudget {

  private static final Logger log = LoggerFactory.getLogger(MemoryBudget.class);

  /** Below this a connection is always read, however many share the budget: a short line always fits. */
  public static final long SHARE_FLOOR = 8 * 1024;
  /** At most one spell of pressure is reported per this many nanoseconds; the rest are counted. */
  static final long WARN_EVERY_NANOS = 10_000_000_000L;

  private final long limit;
  private final long pressAt;
  private final long clearAt;
  private final long step;
  private final IntSupplier connections;
  private final AtomicLong held = new AtomicLong();
  private final AtomicInteger paused = new AtomicInteger();
  private final AtomicLong turnedAway = new AtomicLong();
  private final List<BudgetLedger> ledgers = new CopyOnWriteArrayList<>();
  private volatile boolean pressed;

  // the report of spells of pressure: guarded by this
  private long lastReportNanos = -WARN_EVERY_NANOS;
  private long pressedSinceNanos;
  private boolean reported;
  private int unreported;
  private long turnedAwayAtStart;

  /**
   * @param limit the bytes all connections may hold
   * @param connections the connections open now, across every service
   */
  public MemoryBudget(long limit, IntSupplier connections) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    this.limit = limit;
    this.pressAt = limit / 2;
    this.clearAt = limit / 2 - limit / 8;
    // fine enough that all fronts together are off by little; coarse enough to be rare
    this.step = Math.max(1024, Math.min(256 * 1024, limit / 1024));
    this.connections = connections;
  }

  /** The default budget: a quarter of the JVM's maximum heap. */
  public static long defaultLimit() {
    return Runtime.getRuntime().maxMemory() / 4;
  }

  public long limit() {
    return limit;
  }

  /** How far a ledger's own count may drift before it folds it in. */
  long step() {
    return step;
  }

  /** The bytes held now, as folded in by the fronts (each may be up to one step behind). */
  public long held() {
    return held.get();
  }

  /** Whether half the budget is held: each connection may then hold no more than its {@link #share()}. */
  public boolean underPressure() {
    return pressed;
  }

  /**
   * What one connection may hold and still be read while the budget is under pressure: half the
   * budget (the half that is shared fairly) divided among the open connections, at least
   * {@link #SHARE_FLOOR}.
   */
  public long share() {
    return Math.max(SHARE_FLOOR, (limit - pressAt) / Math.max(1, connections.getAsInt()));
  }

  /** Connections paused now because they hold more than their share. */
  public int pausedConnections() {
    return paused.get();
  }

  /** A ledger for one front: its changes are folded in, and it is woken when the pressure ends. */
  public BudgetLedger ledger(Executor loop) {
    BudgetLedger l = new BudgetLedger(this, loop);
    ledgers.add(l);
    return l;
  }

  void remove(BudgetLedger l) {
    ledgers.remove(l);
  }

  void paused(int delta) {
    paused.addAndGet(delta);
  }

  /** A connection was closed with {@code ERR server busy}: its partial frame could not grow. */
  public void turnedAway() {
    turnedAway.incrementAndGet();
  }

  void add(long delta) {
    check(held.addAndGet(delta));
  }

  /** Looks at the total again: a fold on another front may have raced a change of state. */
  void settle() {
    check(held.get());
  }

  private void check(long now) {
    if (!pressed && now >= pressAt) {
      press();
    } else if (pressed && now <= clearAt) {
      release();
    }
  }

  private synchronized void press() {
    if (pressed || held.get() < pressAt) {
      return;
    }
    pressed = true;
    long t = System.nanoTime();
    pressedSinceNanos = t;
    turnedAwayAtStart = turnedAway.get();
    reported = t - lastReportNanos >= WARN_EVERY_NANOS;
    if (!reported) {
      unreported++;
      return;
    }
    lastReportNanos = t;
    log.warn("memory budget under pressure: {} of {} bytes held by {} connection(s); from now each may hold {} bytes, and those above it wait{}",
      held.get(), limit, connections.getAsInt(), share(), unreported == 0 ? "" : " (" + unreported + " more time(s) since the last report)");
    unreported = 0;
  }

  private synchronized void release() {
    if (!pressed || held.get() > clearAt) {
      return;
    }
    pressed = false;
    if (reported) {
      log.warn("memory budget pressure over after {} ms: {} of {} bytes held; {} connection(s) still paused, {} turned away with ERR server busy",
        (System.nanoTime() - pressedSinceNanos) / 1_000_000, held.get(), limit, paused.get(), turnedAway.get() - turnedAwayAtStart);
    }
    for (BudgetLedger l : ledgers) {
      l.wake();
    }
  }
}
