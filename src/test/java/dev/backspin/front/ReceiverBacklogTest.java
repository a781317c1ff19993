package dev.backspin.front;

import dev.backspin.memory.BudgetLedger;
import dev.backspin.memory.Costs;
import dev.backspin.memory.MemoryBudget;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ReceiverBacklogTest {

  private static final long MB = 1 << 20;

  /** What the backlog told its connection it holds, in all. */
  private long held;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static MemoryBudget relaxed() {
    return new MemoryBudget(1024 * MB, () -> 1);
  }

  /** A budget under pressure whose share is its floor, {@link MemoryBudget#SHARE_FLOOR}. */
  private static MemoryBudget pressed() {
    MemoryBudget budget = new MemoryBudget(MB, () -> 1000);
    BudgetLedger ledger = budget.ledger(Runnable::run);
    ledger.change(MB / 2);
    ledger.tick();
    assertThat(budget.underPressure()).isTrue();
    assertThat(budget.share()).isEqualTo(MemoryBudget.SHARE_FLOOR);
    return budget;
  }

  private ReceiverBacklog backlog(long maxQueuedBytes, MemoryBudget budget) {
    return new ReceiverBacklog(maxQueuedBytes, budget, delta -> held += delta);
  }

  @Test
  void onlyTheFirstDeliveryIntoAnEmptyOutboxAsksForAFlush() {
    ReceiverBacklog r = backlog(1000, relaxed());
    assertThat(r.add(b("a\n"), 2)).isTrue();
    assertThat(r.add(b("b\n"), 2)).isFalse();
    assertThat(r.owed()).isEqualTo(4);
    assertThat(held).as("the outbox's array").isEqualTo(256);
    r.handOver();
    assertThat(r.outboxEmpty()).isTrue();
    assertThat(r.add(b("c\n"), 2)).as("emptied by the hand-over").isTrue();
  }

  @Test
  void aHandOverJoinsTheDeliveriesInOrderAndStaysOwedUntilWritten() {
    ReceiverBacklog r = backlog(1000, relaxed());
    r.add(b("one\nxx"), 4);
    r.add(b("two\n"), 4);
    assertThat(r.handOver().toString(StandardCharsets.US_ASCII)).isEqualTo("one\ntwo\n");
    assertThat(r.owed()).as("in Vert.x's queue now").isEqualTo(8);
    assertThat(r.aboveNetty()).isEqualTo(8);
    assertThat(held).as("the array the write keeps, and the queued write").isEqualTo(256 + Costs.QUEUED_WRITE);
    assertThat(r.drains()).isTrue();
    r.written(8);
    assertThat(r.owed()).isZero();
    assertThat(r.aboveNetty()).isZero();
    assertThat(held).isZero();
    assertThat(r.drains()).isFalse();
  }

  @Test
  void writesLeaveVertxsQueueInOrderEachAtItsOwnCost() {
    ReceiverBacklog r = backlog(1000, relaxed());
    r.queued(10, 4000); // an array larger than its bytes
    r.queued(3, 3);
    r.written(10);
    assertThat(held).isEqualTo(3 + Costs.QUEUED_WRITE);
    assertThat(r.owed()).isEqualTo(3);
    r.written(3);
    assertThat(held).isZero();
  }

  @Test
  void maxQueuedBytesBoundsTheBytesOwedNotTheirCost() {
    ReceiverBacklog r = backlog(1000, relaxed());
    r.add(new byte[600], 600);
    r.add(new byte[300], 300);
    assertThat(held).as("the array doubled past the limit").isEqualTo(1200);
    assertThat(r.tooSlow()).as("owed 900 of 1000").isFalse();
    r.add(new byte[100], 100);
    assertThat(r.tooSlow()).as("owed exactly 1000").isFalse();
    r.add(new byte[1], 1);
    assertThat(r.tooSlow()).as("owed 1001").isTrue();
  }

  @Test
  void whatNettyHoldsCountsTowardsTheLimit() {
    ReceiverBacklog r = backlog(1000, relaxed());
    r.outbound(900);
    r.add(new byte[100], 100);
    assertThat(r.tooSlow()).isFalse();
    r.outbound(1);
    assertThat(r.tooSlow()).isTrue();
    assertThat(held).isEqualTo(256 + 901);
    r.outbound(-901);
    assertThat(r.tooSlow()).isFalse();
    assertThat(r.drains()).as("the outbox").isTrue();
  }

  @Test
  void underPressureABacklogPastItsShareAtCostIsTooSlow() {
    long share = MemoryBudget.SHARE_FLOOR;
    ReceiverBacklog r = backlog(1024 * MB, pressed());
    r.add(new byte[(int) share], (int) share);
    assertThat(r.overShare()).as("exactly its share").isFalse();
    assertThat(r.tooSlow()).isFalse();
    r.outbound(1);
    assertThat(r.overShare()).isTrue();
    assertThat(r.tooSlow()).isTrue();
    assertThat(r.describe()).isEqualTo((share + 1) + " bytes waiting (max " + 1024 * MB + ", or " + share + " while the memory budget is under pressure)");
  }

  @Test
  void withoutPressureTheShareDoesNotCount() {
    ReceiverBacklog r = backlog(1024 * MB, relaxed());
    r.add(new byte[100_000], 100_000);
    assertThat(r.overShare()).isFalse();
    assertThat(r.tooSlow()).isFalse();
    assertThat(r.describe()).isEqualTo("100000 bytes waiting (max " + 1024 * MB + ")");
  }

  @Test
  void droppingTheOutboxFreesItsArrayAndKeepsWhatIsQueued() {
    ReceiverBacklog r = backlog(1000, relaxed());
    r.queued(5, 5);
    r.add(b("abc\n"), 4);
    assertThat(r.aboveNetty()).isEqualTo(9);
    assertThat(r.dropOutbox()).isEqualTo(4);
    assertThat(r.outboxEmpty()).isTrue();
    assertThat(r.owed()).isEqualTo(5);
    assertThat(r.aboveNetty()).isEqualTo(5);
    assertThat(held).isEqualTo(5 + Costs.QUEUED_WRITE);
  }
}
