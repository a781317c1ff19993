package dev.backspin.front;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionLimitTest {

  @Test
  void countsOpenConnectionsUpToTheLimit() {
    ConnectionLimit l = new ConnectionLimit(2);
    assertThat(l.tryAcquire()).isTrue();
    assertThat(l.tryAcquire()).isTrue();
    assertThat(l.tryAcquire()).isFalse();
    assertThat(l.open()).isEqualTo(2);
    l.release();
    assertThat(l.tryAcquire()).isTrue();
  }

  @Test
  void connectionsBeingTurnedAwayAreBoundedToo() {
    ConnectionLimit small = new ConnectionLimit(1);
    assertThat(small.tryRefuse()).isTrue();
    assertThat(small.tryRefuse()).as("no more than maxConnections are closing in order").isFalse();
    small.refused();
    assertThat(small.tryRefuse()).isTrue();

    ConnectionLimit big = new ConnectionLimit(1_000_000);
    for (int i = 0; i < ConnectionLimit.MAX_REFUSING; i++) {
      assertThat(big.tryRefuse()).isTrue();
    }
    assertThat(big.tryRefuse()).isFalse();
    assertThat(big.refusing()).isEqualTo(ConnectionLimit.MAX_REFUSING);
  }
}
