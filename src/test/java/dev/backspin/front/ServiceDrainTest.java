package dev.backspin.front;



import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceDrainTest {

  @Test
  void countsOnlyWhatClosedAfterTheDrainBegan() {
    ServiceDrain drain = new ServiceDrain("reverse", 1, () -> 0);
    drain.closed(100, 0); // a client that went away long before the drain: not the drain's doing
    drain.closed(0, 4096);
    drain.frontDraining(30);
    drain.frontStopped();
    DrainSummary s = drain.summary().result();
    assertThat(s.unansweredConnections()).isZero();
    assertThat(s.droppedConnections()).isZero();
    assertThat(s.clean()).isTrue();
    assertThat(s.describe()).contains("every frame read was answered and every reply handed to the kernel");
  }

  @Test
  void namesTheConnectionsAndBytesLostDuringTheDrain() {
    ServiceDrain drain = new ServiceDrain("broadcast", 2, () -> 3);
    drain.frontDraining(1);
    drain.closedAtDeadline();
    drain.closed(0, 70_000);
    drain.closed(12, 0);
    drain.closed(0, 0); // a clean close
    drain.frontStopped();
    assertThat(drain.summary().isComplete()).as("one of two fronts still drains").isFalse();
    drain.closed(30, 5);
    drain.frontStopped();
    DrainSummary s = drain.summary().result();
    assertThat(s.closedAtDeadline()).isEqualTo(1);
    assertThat(s.unansweredConnections()).isEqualTo(2);
    assertThat(s.unansweredBytes()).isEqualTo(42);
    assertThat(s.droppedConnections()).isEqualTo(2);
    assertThat(s.droppedBytes()).isEqualTo(70_005);
    assertThat(s.clean()).isFalse();
    assertThat(s.describe()).contains("1 connection(s) were closed at the deadline")
      .contains("2 connection(s) closed with 42 bytes of frames unanswered")
      .contains("2 connection(s) closed with 70005 bytes of replies dropped")
      .doesNotContain("every frame read was answered");
  }

  @Test
  void noSummaryWithoutADrain() {
    ServiceDrain drain = new ServiceDrain("echo", 1, () -> 0);
    drain.frontsFailed();
    assertThat(drain.frontsDrained().succeeded()).isTrue();
    assertThat(drain.summary().isComplete()).isFalse();
  }
}
