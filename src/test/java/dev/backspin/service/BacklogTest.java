package dev.backspin.service;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A front's backlog: counted bytes, lagging past high, caught up only at low (hysteresis). */
class BacklogTest {

  @Test
  void refusesALowAboveHigh() {
    assertThatThrownBy(() -> new Backlog(10, 11)).isInstanceOf(IllegalArgumentException.class)
      .hasMessage("need 0 <= low <= high, got low 11, high 10");
    assertThatThrownBy(() -> new Backlog(10, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lagsOnlyPastHighAndCatchesUpOnlyAtLow() {
    Backlog b = new Backlog(1000, 500);
    b.add(1000);
    assertThat(b.bytes()).isEqualTo(1000);
    assertThat(b.lagging()).as("at high, not past it").isFalse();
    b.add(1);
    assertThat(b.lagging()).isTrue();
    assertThat(b.subtract(400)).as("601 left: still lagging").isFalse();
    assertThat(b.lagging()).isTrue();
    b.add(2000);
    assertThat(b.subtract(2000)).isFalse();
    assertThat(b.subtract(101)).as("500 left: caught up").isTrue();
    assertThat(b.lagging()).isFalse();
    assertThat(b.bytes()).isEqualTo(500);
    b.add(400);
    assertThat(b.lagging()).as("900: under high again, and not lagging").isFalse();
    assertThat(b.subtract(900)).as("no lag ended: none had begun").isFalse();
    assertThat(b.bytes()).isZero();
  }

  @Test
  void aZeroLimitLagsOnAnyByteAndCatchesUpAtZero() {
    Backlog b = new Backlog(0, 0);
    b.add(1);
    assertThat(b.lagging()).isTrue();
    assertThat(b.subtract(1)).isTrue();
    assertThat(b.lagging()).isFalse();
  }

  @Test
  void countsExactlyUnderConcurrentAdds() throws Exception {
    Backlog b = new Backlog(1 << 20, 1 << 19);
    int threads = 4;
    int each = 100_000;
    Thread[] adders = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      adders[t] = new Thread(() -> {
        for (int i = 0; i < each; i++) {
          b.add(3);
        }
      });
      adders[t].start();
    }
    int subtracted = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    // the front's own thread takes off what has arrived, as a front delivers what reached it
    while (subtracted < threads * each && System.nanoTime() < deadline) {
      if (b.bytes() >= 3) {
        b.subtract(3);
        subtracted++;
      } else {
        Thread.onSpinWait();
      }
    }
    for (Thread t : adders) {
      t.join(10_000);
    }
    assertThat(subtracted).as("all taken off in time").isEqualTo(threads * each);
    assertThat(b.bytes()).isZero();
    assertThat(b.lagging()).isFalse();
  }
}
