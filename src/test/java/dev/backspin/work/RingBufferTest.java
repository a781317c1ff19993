package dev.backspin.work;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RingBufferTest {

  @Test
  void fullRefusesAndChangesNothing() {
    RingBuffer<Integer> r = new RingBuffer<>(3);
    assertThat(r.offer(1)).isTrue();
    assertThat(r.offer(2)).isTrue();
    assertThat(r.offer(3)).isTrue();
    assertThat(r.isFull()).isTrue();
    assertThat(r.offer(4)).isFalse();
    assertThat(r.size()).isEqualTo(3);
    assertThat(r.poll()).isEqualTo(1);
    assertThat(r.offer(4)).isTrue();
  }

  @Test
  void emptyGivesNull() {
    RingBuffer<String> r = new RingBuffer<>(2);
    assertThat(r.isEmpty()).isTrue();
    assertThat(r.poll()).isNull();
    assertThat(r.peek()).isNull();
  }

  @Test
  void wrapsAroundInOrder() {
    for (int capacity : new int[] {1, 2, 3, 1000, 1024}) {
      RingBuffer<Integer> r = new RingBuffer<>(capacity);
      int next = 0;
      int expected = 0;
      for (int round = 0; round < 5000; round++) {
        while (r.offer(next)) {
          next++;
        }
        assertThat(r.size()).isEqualTo(capacity);
        int take = 1 + round % capacity;
        for (int i = 0; i < take; i++) {
          assertThat(r.poll()).isEqualTo(expected++);
        }
      }
      while (!r.isEmpty()) {
        assertThat(r.poll()).isEqualTo(expected++);
      }
      assertThat(expected).isEqualTo(next);
    }
  }

  @Test
  void capacityOfAtLeastOne() {
    assertThatThrownBy(() -> new RingBuffer<>(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new RingBuffer<>(1).capacity()).isEqualTo(1);
  }
}
