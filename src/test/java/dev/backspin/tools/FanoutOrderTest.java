package dev.backspin.tools;

import dev.backspin.tools.FanoutOrder.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One sender's sequence at one receiver: in order is clean; a skip, a late line, a copy and a missing tail are each seen. */
class FanoutOrderTest {

  private static List<Verdict> feed(FanoutOrder o, long... seqs) {
    List<Verdict> v = new ArrayList<>();
    for (long s : seqs) {
      v.add(o.accept(s));
    }
    return v;
  }

  @Test
  void inOrderEveryLineIsNextAndNothingIsLost() {
    FanoutOrder o = new FanoutOrder();
    assertThat(feed(o, 0, 1, 2, 3)).containsOnly(Verdict.NEXT);
    assertThat(o.received()).isEqualTo(4);
    assertThat(o.complete(4)).isTrue();
    assertThat(o.lost(4)).isZero();
    assertThat(o.gaps() + o.late() + o.duplicates()).isZero();
  }

  @Test
  void nothingReceivedOfWhatWasSentIsAllLost() {
    FanoutOrder o = new FanoutOrder();
    assertThat(o.complete(0)).isTrue();
    assertThat(o.lost(3)).isEqualTo(3);
    assertThat(o.complete(3)).isFalse();
  }

  @Test
  void aSkippedLineIsAGapAndLostIfItNeverComes() {
    FanoutOrder o = new FanoutOrder();
    assertThat(feed(o, 0, 1, 3)).containsExactly(Verdict.NEXT, Verdict.NEXT, Verdict.GAP);
    assertThat(o.gaps()).isEqualTo(1);
    assertThat(o.received()).isEqualTo(3);
    assertThat(o.lost(4)).isEqualTo(1);
    assertThat(o.complete(4)).isFalse();
  }

  @Test
  void aMissingTailIsLost() {
    FanoutOrder o = new FanoutOrder();
    feed(o, 0, 1);
    assertThat(o.gaps()).isZero();
    assertThat(o.lost(4)).isEqualTo(2);
  }

  @Test
  void aSwappedPairIsAGapThenALateLineAndNothingLost() {
    FanoutOrder o = new FanoutOrder();
    assertThat(feed(o, 0, 2, 1, 3)).containsExactly(Verdict.NEXT, Verdict.GAP, Verdict.LATE, Verdict.NEXT);
    assertThat(o.gaps()).isEqualTo(1);
    assertThat(o.late()).isEqualTo(1);
    assertThat(o.duplicates()).isZero();
    assertThat(o.complete(4)).isTrue();
    assertThat(o.received()).isEqualTo(4);
  }

  @Test
  void aLineTwiceIsADuplicateAndCountsOnce() {
    FanoutOrder o = new FanoutOrder();
    assertThat(feed(o, 0, 1, 1, 0, 2)).containsExactly(Verdict.NEXT, Verdict.NEXT, Verdict.DUPLICATE, Verdict.DUPLICATE, Verdict.NEXT);
    assertThat(o.duplicates()).isEqualTo(2);
    assertThat(o.received()).isEqualTo(3);
    assertThat(o.complete(3)).isTrue();
  }

  @Test
  void aHoleFillsLineByLineInAnyOrderAndEachLineOnlyOnce() {
    FanoutOrder o = new FanoutOrder();
    assertThat(feed(o, 0, 5)).containsExactly(Verdict.NEXT, Verdict.GAP); // 1..4 missing
    assertThat(feed(o, 3, 3, 1, 4, 1, 2)).containsExactly(Verdict.LATE, Verdict.DUPLICATE, Verdict.LATE, Verdict.LATE,
      Verdict.DUPLICATE, Verdict.LATE);
    assertThat(o.late()).isEqualTo(4);
    assertThat(o.duplicates()).isEqualTo(2);
    assertThat(o.complete(6)).isTrue();
    assertThat(feed(o, 5, 6)).containsExactly(Verdict.DUPLICATE, Verdict.NEXT);
  }

  @Test
  void pastTheHoleLimitTheOldestIsForgottenButStillLost() {
    FanoutOrder o = new FanoutOrder();
    // 0, 2, 4, ...: every odd number is a hole of its own
    for (long s = 0; s <= 2L * (FanoutOrder.MAX_HOLES + 1); s += 2) {
      o.accept(s);
    }
    long sent = 2L * (FanoutOrder.MAX_HOLES + 1) + 1;
    assertThat(o.lost(sent)).isEqualTo(FanoutOrder.MAX_HOLES + 1);
    assertThat(o.accept(1)).as("the forgotten hole: taken for a copy").isEqualTo(Verdict.DUPLICATE);
    assertThat(o.accept(3)).isEqualTo(Verdict.LATE);
    assertThat(o.lost(sent)).isEqualTo(FanoutOrder.MAX_HOLES);
  }
}
