package dev.backspin.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Other nodes as this node's senders see them: what each has not acknowledged, and who lags. */
class RemoteNodesTest {

  private final RemoteNodes nodes = new RemoteNodes();

  RemoteNodesTest() {
    nodes.window(1000, 500);
  }

  @Test
  void offsetsAreThisNodesPublishedBytes() {
    assertThat(nodes.publish(100)).isEqualTo(100);
    assertThat(nodes.publish(50)).isEqualTo(150);
    assertThat(nodes.published()).isEqualTo(150);
    assertThat(nodes.ids()).isEmpty(); // nobody heard of yet: nobody counted
  }

  @Test
  void aNodeIsCountedFromWhenItIsHeardOf() {
    nodes.publish(700);
    assertThat(nodes.heardOf("b")).isTrue();
    assertThat(nodes.heardOf("b")).isFalse();
    assertThat(nodes.backlog("b")).isZero(); // what went before is not counted
    nodes.publish(300);
    assertThat(nodes.backlog("b")).isEqualTo(300);
    assertThat(nodes.backlog("c")).isEqualTo(-1);
  }

  @Test
  void itLagsPastHighUntilBackToLow() {
    nodes.heardOf("b");
    long offset = 0;
    for (int i = 0; i < 11; i++) {
      offset = nodes.publish(100);
    }
    assertThat(nodes.lagging()).isTrue(); // 1100 > 1000
    assertThat(nodes.acked("b", 400)).isFalse(); // 700 left: still above 500
    assertThat(nodes.lagging()).isTrue();
    assertThat(nodes.acked("b", 600)).isTrue(); // 500 left: the lag ended
    assertThat(nodes.lagging()).isFalse();
    assertThat(nodes.backlog("b")).isEqualTo(offset - 600);
  }

  @Test
  void anOldOrRepeatedAcknowledgementChangesNothing() {
    nodes.heardOf("b");
    nodes.publish(800);
    nodes.acked("b", 600);
    assertThat(nodes.backlog("b")).isEqualTo(200);
    nodes.acked("b", 600);
    nodes.acked("b", 300);
    assertThat(nodes.backlog("b")).isEqualTo(200);
  }

  @Test
  void anAcknowledgementFromANodeNotKnownAddsIt() {
    nodes.publish(500);
    nodes.acked("b", 500);
    assertThat(nodes.ids()).containsExactly("b");
    assertThat(nodes.backlog("b")).isZero();
  }

  @Test
  void aNodeThatLeavesHoldsNobody() {
    nodes.heardOf("b");
    nodes.heardOf("c");
    nodes.publish(1500);
    assertThat(nodes.lagging()).isTrue();
    assertThat(nodes.left("b")).isTrue(); // it was lagging: held senders may go once c is fine
    assertThat(nodes.lagging()).isTrue();
    nodes.acked("c", 1500);
    assertThat(nodes.lagging()).isFalse();
    assertThat(nodes.left("b")).isFalse(); // gone already
    assertThat(nodes.ids()).containsExactly("c");
  }

  @Test
  void aNodeHeardOfAgainAfterItLeftStartsFromNow() {
    nodes.heardOf("b");
    nodes.publish(5000);
    nodes.left("b");
    nodes.publish(100);
    // its acknowledgement of what it had before the partition: not a lag of 5000
    nodes.acked("b", 40);
    assertThat(nodes.backlog("b")).isZero();
    assertThat(nodes.lagging()).isFalse();
    nodes.publish(100);
    nodes.acked("b", 5200);
    assertThat(nodes.backlog("b")).isZero();
  }

  @Test
  void aWindowMustBeOrdered() {
    assertThatThrownBy(() -> nodes.window(10, 20)).isInstanceOf(IllegalArgumentException.class);
  }
}
