package dev.backspin.work;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RejectedConnectionsTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aRejectedConnectionKeepsItsFirstReasonUntilForgotten() {
    RejectedConnections r = new RejectedConnections(100, 30 * SECOND);
    assertThat(r.reason("front", 1)).isNull();
    r.add("front", 1, "invalid UTF-8", 0);
    r.add("front", 1, "internal error", SECOND); // a later failure of the same connection
    assertThat(r.reason("front", 1)).isEqualTo("invalid UTF-8");
    assertThat(r.reason("other", 1)).as("another front's connection 1").isNull();
    r.forgetOld(30 * SECOND);
    assertThat(r.reason("front", 1)).as("exactly the keep time: still kept").isEqualTo("invalid UTF-8");
    r.forgetOld(30 * SECOND + 1);
    assertThat(r.reason("front", 1)).isNull();
  }

  @Test
  void onlyTheOldOnesAreForgotten() {
    RejectedConnections r = new RejectedConnections(100, 30 * SECOND);
    for (int i = 0; i < 10; i++) {
      r.add("front", i, "invalid UTF-8", i * SECOND);
    }
    r.forgetOld(35 * SECOND); // older than 5 s: 0..4
    assertThat(r.size()).isEqualTo(5);
    assertThat(r.reason("front", 4)).isNull();
    assertThat(r.reason("front", 5)).isEqualTo("invalid UTF-8");
  }

  @Test
  void aFloodOfBadConnectionsIsCapped() {
    RejectedConnections r = new RejectedConnections(1000, 30 * SECOND);
    for (int i = 0; i < 50_000; i++) {
      r.add("front", i, "invalid UTF-8", 0); // all within the keep time: only the cap holds them
    }
    assertThat(r.size()).isEqualTo(1000);
    assertThat(r.reason("front", 48_999)).as("the oldest went first").isNull();
    assertThat(r.reason("front", 49_000)).isEqualTo("invalid UTF-8");
  }
}
