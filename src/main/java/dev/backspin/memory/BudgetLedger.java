package dev.backspin.memory;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * One front instance's part of the {@link MemoryBudget}: the sum of what its connections hold,
 * folded into the shared budget only when it has moved by a step, so a connection's bookkeeping
 * costs a local addition, not a contended atomic. It also keeps the connections that wait for
 * memory, and has them look again when the pressure ends, and on every {@link #tick()}.
 * Event-loop confined, but for {@link #wake()}.
 */
public final class BudgetLedger {

  private final MemoryBudget budget;
  private final Executor loop;
  private final long step;
  private final Set<Runnable> waiting = new LinkedHashSet<>();
  private long unfolded;
  private long held;
  private boolean closed;

  BudgetLedger(MemoryBudget budget, Executor loop) {
    this.budget = budget;
    this.loop = loop;
    this.step = budget.step();
  }

  public MemoryBudget budget() {
    return budget;
  }

  /** What this front's connections hold changed by {@code delta} bytes. */
  public void change(long delta) {
    if (closed) {
      return; // a connection closing after its front stopped: the front took its part away already
    }
    held += delta;
    unfolded += delta;
    if (unfolded >= step || unfolded <= -step) {
      fold();
    }
  }

  /** What this front's connections hold now, exactly. */
  public long held() {
    return held;
  }

  private void fold() {
    long d = unfolded;
    unfolded = 0;
    budget.add(d);
  }

  /**
   * A connection started ({@code true}) or stopped waiting for memory; {@code recheck} is how it
   * looks again (the same object each time).
   */
  public void waiting(Runnable recheck, boolean waits) {
    if (waits ? waiting.add(recheck) : waiting.remove(recheck)) {
      budget.paused(waits ? 1 : -1);
    }
  }

  /** Connections of this front waiting for memory now. */
  public int waiting() {
    return waiting.size();
  }

  /**
   * Folds in the rest, so the budget is exact now and then, and lets the waiting connections
   * look again: the share grows as others close, and a step not yet folded may hide a clearing.
   */
  public void tick() {
    if (unfolded != 0) {
      fold();
    }
    budget.settle();
    recheck();
  }

  /** The pressure ended: called from any thread, runs on this front's event loop. */
  void wake() {
    loop.execute(this::recheck);
  }

  private void recheck() {
    if (waiting.isEmpty()) {
      return;
    }
    // a copy: looking again takes a connection out of the set
    for (Runnable r : waiting.toArray(new Runnable[0])) {
      r.run();
    }
  }

  /** The front stopped: whatever it still counted leaves the budget with it. */
  public void close() {
    budget.add(-(held - unfolded)); // what was folded in: its connections have closed
    held = 0;
    unfolded = 0;
    closed = true;
    budget.paused(-waiting.size());
    waiting.clear();
    budget.remove(this);
  }
}
