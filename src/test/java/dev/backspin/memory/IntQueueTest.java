package dev.backspin.memory;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntQueueTest {

  @Test
  void anEmptyQueueHasNothingToGive() {
    IntQueue q = new IntQueue();
    assertThat(q.isEmpty()).isTrue();
    assertThatThrownBy(q::poll).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void keepsOrderAcrossWrapsAndGrowth() {
    IntQueue q = new IntQueue();
    ArrayDeque<Integer> model = new ArrayDeque<>();
    Random rnd = new Random(3);
    for (int i = 0; i < 100_000; i++) {
      if (model.isEmpty() || rnd.nextInt(3) > 0) {
        q.add(i);
        model.add(i);
      } else {
        assertThat(q.poll()).isEqualTo(model.poll());
      }
      assertThat(q.size()).isEqualTo(model.size());
    }
    while (!model.isEmpty()) {
      assertThat(q.poll()).isEqualTo(model.poll());
    }
    assertThat(q.isEmpty()).isTrue();
  }
}
