package dev.backspin.memory;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryBudgetTest {

  private static final long MB = 1 << 20;

  @Test
  void aBudgetMustBePositive() {
    assertThatThrownBy(() -> new MemoryBudget(0, () -> 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultIsAQuarterOfTheMaxHeap() {
    assertThat(MemoryBudget.defaultLimit()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
  }

  @Test
  void theShareIsTheBudgetAmongTheConnectionsWithAFloor() {
    AtomicInteger open = new AtomicInteger(0);
    MemoryBudget b = new MemoryBudget(64 * MB, open::get);
    assertThat(b.share()).isEqualTo(32 * MB); // no connection yet: the half that is shared
    open.set(400);
    assertThat(b.share()).isEqualTo(32 * MB / 400);
    open.set(1_000_000);
    assertThat(b.share()).isEqualTo(MemoryBudget.SHARE_FLOOR);
  }

  @Test
  void underPressureFromHalfTheBudgetAndOverBelowThreeEighths() {
    MemoryBudget b = new MemoryBudget(8 * MB, () -> 1);
    BudgetLedger l = b.ledger(Runnable::run);
    l.change(4 * MB - 1);
    assertThat(b.underPressure()).isFalse();
    l.change(1);
    assertThat(b.underPressure()).as("a front folds in steps: less than one stays with it").isFalse();
    l.tick();
    assertThat(b.underPressure()).isTrue();
    l.change(-MB / 2); // under half, not yet under 3/8
    assertThat(b.underPressure()).isTrue();
    l.change(-MB / 2);
    assertThat(b.underPressure()).isFalse();
  }

  @Test
  void aLedgerFoldsInSteps() {
    MemoryBudget b = new MemoryBudget(1024 * MB, () -> 1);
    BudgetLedger l = b.ledger(Runnable::run);
    long step = b.step();
    l.change(step - 1);
    assertThat(b.held()).as("less than a step stays with the front").isZero();
    assertThat(l.held()).isEqualTo(step - 1);
    l.change(1);
    assertThat(b.held()).isEqualTo(step);
    l.change(10);
    l.tick(); // folds the rest
    assertThat(b.held()).isEqualTo(step + 10);
    l.change(-(step + 10));
    l.tick();
    assertThat(b.held()).isZero();
  }

  @Test
  void waitingConnectionsAreCountedAndWokenWhenThePressureEnds() {
    MemoryBudget b = new MemoryBudget(8 * MB, () -> 2);
    List<Runnable> onLoop = new ArrayList<>();
    BudgetLedger l = b.ledger(onLoop::add); // runs when the test says: its own event loop
    AtomicInteger looked = new AtomicInteger();
    Runnable waiter = looked::incrementAndGet;
    l.change(4 * MB);
    l.waiting(waiter, true);
    l.waiting(waiter, true); // once
    assertThat(b.pausedConnections()).isEqualTo(1);
    assertThat(l.waiting()).isEqualTo(1);
    l.change(-1 * MB);
    assertThat(b.underPressure()).isFalse();
    assertThat(onLoop).hasSize(1);
    assertThat(looked).hasValue(0); // not on the caller's thread
    onLoop.get(0).run();
    assertThat(looked).hasValue(1);
    l.tick();
    assertThat(looked).as("each tick lets the waiting look again").hasValue(2);
    l.waiting(waiter, false);
    assertThat(b.pausedConnections()).isZero();
  }

  @Test
  void aClosedLedgerTakesWhatItCountedAway() {
    MemoryBudget b = new MemoryBudget(1024 * MB, () -> 1);
    BudgetLedger l = b.ledger(Runnable::run);
    l.change(5 * MB);
    l.change(3); // not folded yet
    l.waiting(() -> { }, true);
    l.close();
    assertThat(b.held()).isZero();
    assertThat(b.pausedConnections()).isZero();
  }
}
