package dev.backspin.tools;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RequestClockTest {

  private static final long MS = 1_000_000;

  @Test
  void aClosedLoopSendsAtOnceAndTimesFromTheSend() {
    RequestClock c = RequestClock.closedLoop();
    assertThat(c.untilDue(5 * MS)).isZero();
    c.sent(10 * MS);
    assertThat(c.replied(13 * MS)).isEqualTo(3 * MS);
    assertThat(c.untilDue(13 * MS)).isZero();
  }

  @Test
  void atARateALateReplyCountsAgainstTheRequestsItHeldUp() {
    // due every 10 ms from 0 + 4 ms
    RequestClock c = RequestClock.atRate(10 * MS, 0, 4 * MS);
    assertThat(c.untilDue(0)).isEqualTo(4 * MS);
    c.sent(4 * MS);
    // the server stalls: the reply comes 100 ms after the request was due
    assertThat(c.replied(104 * MS)).isEqualTo(100 * MS);
    // the next request was due at 14 ms: it goes at once, and its latency runs from 14 ms
    assertThat(c.untilDue(104 * MS)).isEqualTo(-90 * MS);
    c.sent(104 * MS);
    assertThat(c.replied(105 * MS)).isEqualTo(91 * MS);
    c.sent(105 * MS);
    assertThat(c.replied(106 * MS)).isEqualTo(82 * MS);
  }

  @Test
  void onTimeRequestsWaitForTheirSlot() {
    RequestClock c = RequestClock.atRate(10 * MS, 0, 0);
    c.sent(0);
    assertThat(c.replied(1 * MS)).isEqualTo(1 * MS);
    assertThat(c.untilDue(1 * MS)).isEqualTo(9 * MS);
    // a timer that fires a little late: the latency still runs from the slot
    c.sent(11 * MS);
    assertThat(c.replied(12 * MS)).isEqualTo(2 * MS);
  }

  @Test
  void startOffsetsSpreadOverOnePeriod() {
    Random r = new Random(7);
    long period = 1000 * MS;
    int[] tenths = new int[10];
    for (int i = 0; i < 15_000; i++) {
      long offset = RequestClock.randomOffset(r, period);
      assertThat(offset).isBetween(0L, period - 1);
      tenths[(int) (offset * 10 / period)]++;
    }
    // each tenth of the period gets about 1,500 of the 15,000 first sends, not all of them at once
    for (int n : tenths) {
      assertThat(n).isBetween(1_300, 1_700);
    }
  }

  @Test
  void openLoopAtARateEachLineIsDueAPeriodAfterTheLastAndItsLatenessIsKept() {
    RequestClock c = RequestClock.atRate(10 * MS, 0, 2 * MS);
    assertThat(c.untilDue(0)).isEqualTo(2 * MS);
    assertThat(c.went(3 * MS)).isEqualTo(1 * MS);
    // held back 30 ms: the lines due meanwhile go at once, each as late as its slot says
    assertThat(c.untilDue(42 * MS)).isEqualTo(-30 * MS);
    assertThat(c.went(42 * MS)).isEqualTo(30 * MS);
    assertThat(c.went(42 * MS)).isEqualTo(20 * MS);
    assertThat(c.went(42 * MS)).isEqualTo(10 * MS);
    assertThat(c.untilDue(42 * MS)).isEqualTo(0);
  }
}
