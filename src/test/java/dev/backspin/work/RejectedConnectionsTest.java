package dev.backspin.work;

import dev.backspin.errors.Failure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RejectedConnectionsTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aRejectedConnectionKeepsItsFirstReasonUntilForgotten() {
    RejectedConnections r = new RejectedConnections(100, 30 * SECOND);
    assertThat(r.failure("front", 1)).isNull();
    r.add("front", 1, Failure.invalidUtf8(), 0);
    r.add("front", 1, Failure.internal(), SECOND); // a later failure of the same connection
    assertThat(r.failure("front", 1)).isEqualTo(Failure.invalidUtf8());
    assertThat(r.failure("other", 1)).as("another front's connection 1").isNull();
    r.forgetOld(30 * SECOND);
    assertThat(r.failure("front", 1)).as("exactly the keep time: still kept").isEqualTo(Failure.invalidUtf8());
    r.forgetOld(30 * SECOND + 1);
    assertThat(r.failure("front", 1)).isNull();
  }

  @Test
  void onlyTheOldOnesAreForgotten() {
    RejectedConnections r = new RejectedConnections(100, 30 * SECOND);
    for (int i = 0; i < 10; i++) {
      r.add("front", i, Failure.invalidUtf8(), i * SECOND);
    }
    r.forgetOld(35 * SECOND); // older than 5 s: 0..4
    assertThat(r.size()).isEqualTo(5);
    assertThat(r.failure("front", 4)).isNull();
    assertThat(r.failure("front", 5)).isEqualTo(Failure.invalidUtf8());
  }

  @Test
  void aFloodOfBadConnectionsIsCapped() {
    RejectedConnections r = new RejectedConnections(1000, 30 * SECOND);
    for (int i = 0; i < 50_000; i++) {
      r.add("front", i, Failure.invalidUtf8(), 0); // all within the keep time: only the cap holds them
    }
    assertThat(r.size()).isEqualTo(1000);
    assertThat(r.failure("front", 48_999)).as("the oldest went first").isNull();
    assertThat(r.failure("front", 49_000)).isEqualTo(Failure.invalidUtf8());
  }
}
