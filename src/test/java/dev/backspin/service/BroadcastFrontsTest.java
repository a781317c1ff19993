package dev.backspin.service;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The local broadcast fronts: who is counted for a message, who lags, and who waits for whom. */
class BroadcastFrontsTest {

  private static final long HIGH = 1000;
  private static final long LOW = 500;

  private final BroadcastFronts fronts = new BroadcastFronts();

  /** A front's event loop, run by hand: what was handed to it has not run until the test says so. */
  private static final class Loop {
    final Queue<Runnable> tasks = new ArrayDeque<>();
    int caughtUp;

    BroadcastFronts.Member join(BroadcastFronts fronts, String id) {
      return fronts.join(id, HIGH, LOW, tasks::add, () -> caughtUp++);
    }

    void runAll() {
      Runnable r;
      while ((r = tasks.poll()) != null) {
        r.run();
      }
    }
  }

  @Test
  void aMessageCountsForEveryOtherFrontNotTheSenders() {
    BroadcastFronts.Member a = new Loop().join(fronts, "a");
    BroadcastFronts.Member b = new Loop().join(fronts, "b");
    BroadcastFronts.Member c = new Loop().join(fronts, "c");
    BroadcastFronts.Member[] counted = fronts.count(a, 100);
    assertThat(counted).containsExactly(b, c);
    assertThat(a.backlog()).isZero();
    assertThat(b.backlog()).isEqualTo(100);
    assertThat(c.backlog()).isEqualTo(100);
    assertThat(fronts.members()).containsExactly(a, b, c);
  }

  @Test
  void aLoneFrontCountsForNobody() {
    BroadcastFronts.Member a = new Loop().join(fronts, "a");
    assertThat(fronts.count(a, 100)).isEmpty();
    assertThat(fronts.lagging()).isFalse();
  }

  @Test
  void aFrontTakesOffOnlyWhatItWasCountedFor() {
    BroadcastFronts.Member a = new Loop().join(fronts, "a");
    BroadcastFronts.Member b = new Loop().join(fronts, "b");
    BroadcastFronts.Member[] counted = fronts.count(a, 100);
    BroadcastFronts.Member late = new Loop().join(fronts, "late"); // joined after the publish
    fronts.delivered(late, counted, 100);
    assertThat(late.backlog()).as("never below what it was given").isZero();
    fronts.delivered(a, counted, 100);
    assertThat(a.backlog()).as("the sender's front was not counted").isZero();
    fronts.delivered(b, counted, 100);
    assertThat(b.backlog()).isZero();
    fronts.delivered(b, new Broadcast("remote", 1, new byte[0], 0, 0).counted(), 100);
    assertThat(b.backlog()).as("a message from the wire counts for nobody").isZero();
  }

  @Test
  void nobodyWaitsWhileNoFrontLags() {
    Loop la = new Loop();
    BroadcastFronts.Member a = la.join(fronts, "a");
    BroadcastFronts.Member b = new Loop().join(fronts, "b");
    fronts.count(a, (int) HIGH);
    assertThat(b.lagging()).as("at high, not past it").isFalse();
    assertThat(fronts.mustWait(a)).isFalse();
    assertThat(la.tasks).isEmpty();
  }

  @Test
  void aWaitingFrontIsToldOnItsOwnLoopOnceTheLaggingOneIsBackToLow() {
    Loop la = new Loop();
    Loop lb = new Loop();
    BroadcastFronts.Member a = la.join(fronts, "a");
    BroadcastFronts.Member b = lb.join(fronts, "b");
    BroadcastFronts.Member[] first = fronts.count(a, 800);
    BroadcastFronts.Member[] second = fronts.count(a, 300);
    assertThat(b.lagging()).isTrue();
    assertThat(fronts.mustWait(a)).isTrue();
    assertThat(fronts.mustWait(b)).as("a lagging front's own senders wait too").isTrue();
    fronts.delivered(b, first, 800);
    assertThat(b.backlog()).isEqualTo(300);
    assertThat(b.lagging()).as("300 is under high, but not yet at low").isFalse();
    assertThat(la.tasks).as("told on its loop, not run on b's thread").hasSize(1);
    assertThat(la.caughtUp).isZero();
    la.runAll();
    lb.runAll();
    assertThat(la.caughtUp).isEqualTo(1);
    assertThat(lb.caughtUp).isEqualTo(1);
    fronts.delivered(b, second, 300);
    la.runAll();
    assertThat(la.caughtUp).as("told once per wait").isEqualTo(1);
  }

  @Test
  void hysteresisKeepsSendersWaitingUntilLow() {
    Loop la = new Loop();
    BroadcastFronts.Member a = la.join(fronts, "a");
    BroadcastFronts.Member b = new Loop().join(fronts, "b");
    BroadcastFronts.Member[] m1 = fronts.count(a, 600);
    BroadcastFronts.Member[] m2 = fronts.count(a, 600);
    assertThat(b.lagging()).isTrue();
    assertThat(fronts.mustWait(a)).isTrue();
    fronts.delivered(b, m1, 600);
    assertThat(b.backlog()).isEqualTo(600);
    assertThat(b.lagging()).as("under high, still over low").isTrue();
    assertThat(fronts.mustWait(a)).isTrue();
    assertThat(la.tasks).as("nobody told yet").isEmpty();
    BroadcastFronts.Member[] m3 = fronts.count(a, 300);
    fronts.delivered(b, m2, 600);
    assertThat(b.backlog()).isEqualTo(300);
    assertThat(b.lagging()).isFalse();
    la.runAll();
    assertThat(la.caughtUp).isEqualTo(1);
    assertThat(fronts.mustWait(a)).isFalse();
    fronts.count(a, 700); // 1000: at high, not past it
    assertThat(fronts.mustWait(a)).isFalse();
    fronts.delivered(b, m3, 300);
    assertThat(b.backlog()).isEqualTo(700);
  }

  @Test
  void aStoppingFrontLetsItsWaitersGoAndIsNoLongerCounted() {
    Loop la = new Loop();
    BroadcastFronts.Member a = la.join(fronts, "a");
    BroadcastFronts.Member b = new Loop().join(fronts, "b");
    BroadcastFronts.Member[] counted = fronts.count(a, 5000);
    assertThat(fronts.mustWait(a)).isTrue();
    fronts.leave(b);
    assertThat(fronts.lagging()).as("only members count").isFalse();
    la.runAll();
    assertThat(la.caughtUp).isEqualTo(1);
    assertThat(fronts.mustWait(a)).isFalse();
    assertThat(fronts.count(a, 100)).isEmpty();
    fronts.delivered(b, counted, 5000); // what was still on its way to it: harmless
    assertThat(fronts.members()).containsExactly(a);
  }

  @Test
  void aStoppedFrontIsNotToldAnything() {
    Loop la = new Loop();
    BroadcastFronts.Member a = la.join(fronts, "a");
    BroadcastFronts.Member b = new Loop().join(fronts, "b");
    BroadcastFronts.Member[] counted = fronts.count(a, 5000);
    assertThat(fronts.mustWait(a)).isTrue();
    fronts.leave(a);
    fronts.delivered(b, counted, 5000);
    la.runAll();
    assertThat(la.caughtUp).isZero();
  }

  @Test
  void aWaiterIsNeverMissedWhenTheLagEndsWhileItRegisters() throws Exception {
    // one thread asks to wait while another ends the lag; bounded in rounds and time
    int rounds = 20_000;
    AtomicInteger woken = new AtomicInteger();
    BroadcastFronts.Member a = fronts.join("a", HIGH, LOW, Runnable::run, woken::incrementAndGet);
    BroadcastFronts.Member b = fronts.join("b", HIGH, LOW, Runnable::run, () -> { });
    CyclicBarrier start = new CyclicBarrier(2);
    CountDownLatch done = new CountDownLatch(1);
    BroadcastFronts.Member[][] counted = new BroadcastFronts.Member[1][];
    int[] waited = new int[1];
    Thread lagging = new Thread(() -> {
      try {
        for (int r = 0; r < rounds; r++) {
          start.await(10, TimeUnit.SECONDS);
          fronts.delivered(b, counted[0], (int) HIGH + 1);
          start.await(10, TimeUnit.SECONDS);
        }
        done.countDown();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    lagging.start();
    for (int r = 0; r < rounds; r++) {
      counted[0] = fronts.count(a, (int) HIGH + 1);
      int before = woken.get();
      start.await(10, TimeUnit.SECONDS);
      boolean mustWait = fronts.mustWait(a);
      start.await(10, TimeUnit.SECONDS); // the lag has ended
      if (mustWait) {
        waited[0]++;
        assertThat(woken.get()).as("round %d: a waiter was told", r).isGreaterThan(before);
      }
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(b.backlog()).isZero();
  }

  @Test
  void anotherNodeThatLagsHoldsThisNodesSendersUntilItAcknowledges() {
    Loop la = new Loop();
    BroadcastFronts.Member a = la.join(fronts, "a");
    fronts.remoteWindow(HIGH, LOW);
    fronts.heardOf("node-b");
    long offset = 0;
    for (int i = 0; i < 12; i++) {
      fronts.count(a, 100); // no other front here: counted for nobody locally
      offset = fronts.publishToNodes(100);
    }
    assertThat(fronts.nodeBacklog("node-b")).isEqualTo(1200);
    assertThat(fronts.mustWait(a)).as("node b is 1200 bytes behind, past 1000").isTrue();
    fronts.acked("node-b", offset - 600);
    la.runAll();
    assertThat(la.caughtUp).as("600 behind: not yet back to 500").isZero();
    fronts.acked("node-b", offset - 500);
    la.runAll();
    assertThat(la.caughtUp).isEqualTo(1);
    assertThat(fronts.mustWait(a)).isFalse();
  }

  @Test
  void aNodeThatLeavesLetsTheHeldSendersGo() {
    Loop la = new Loop();
    BroadcastFronts.Member a = la.join(fronts, "a");
    fronts.remoteWindow(HIGH, LOW);
    fronts.heardOf("node-b");
    fronts.publishToNodes(5000);
    assertThat(fronts.mustWait(a)).isTrue();
    fronts.nodeLeft("node-b");
    la.runAll();
    assertThat(la.caughtUp).isEqualTo(1);
    assertThat(fronts.mustWait(a)).isFalse();
    assertThat(fronts.nodes()).isEmpty();
  }

  @Test
  void thisNodeAcknowledgesWhatEveryFrontHereDelivered() {
    BroadcastFronts.Member a = new Loop().join(fronts, "a");
    BroadcastFronts.Member b = new Loop().join(fronts, "b");
    BroadcastFronts.Member late = new Loop().join(fronts, "late");
    fronts.deliveredFrom(a, "node-x", 900);
    fronts.deliveredFrom(b, "node-x", 400);
    fronts.deliveredFrom(b, "node-x", 300); // offsets only grow
    fronts.deliveredFrom(a, "node-y", 50);
    // the least of those that delivered any: the late front, with none yet, holds nobody
    assertThat(fronts.ackOffsets()).containsOnly(java.util.Map.entry("node-x", 400L), java.util.Map.entry("node-y", 50L));
    fronts.leave(b);
    assertThat(fronts.ackOffsets()).containsEntry("node-x", 900L);
    assertThat(late.backlog()).isZero();
  }

  @Test
  void whatWasDeliveredFromADepartedNodeIsForgotten() {
    BroadcastFronts.Member a = new Loop().join(fronts, "a");
    fronts.deliveredFrom(a, "node-x", 900);
    fronts.deliveredFrom(a, "node-gone", 50);
    fronts.keepDeliveredFrom(java.util.Set.of("node-x", "me"));
    assertThat(fronts.ackOffsets()).containsOnly(java.util.Map.entry("node-x", 900L));
  }

  @Test
  void oneAcknowledgementIsDueAtATime() {
    assertThat(fronts.takeAckDue()).isTrue();
    assertThat(fronts.takeAckDue()).as("taken: the others leave it to the one that took it").isFalse();
    fronts.ackSending();
    assertThat(fronts.takeAckDue()).isTrue();
  }

  @Test
  void theLastFrontToLeaveSaysSo() {
    BroadcastFronts.Member a = new Loop().join(fronts, "a");
    BroadcastFronts.Member b = new Loop().join(fronts, "b");
    assertThat(fronts.leave(a)).isFalse();
    assertThat(fronts.leave(b)).isTrue();
  }
}
