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
    ConnectionLimit l = new ConnectionLimit(1);
    for (int i = 0; i < ConnectionLimit.MAX_REFUSING; i++) {
      assertThat(l.tryRefuse()).isTrue();
    }
    assertThat(l.tryRefuse()).isFalse();
    assertThat(l.refusing()).isEqualTo(ConnectionLimit.MAX_REFUSING);
    l.refused();
    assertThat(l.tryRefuse()).isTrue();
  }
}
