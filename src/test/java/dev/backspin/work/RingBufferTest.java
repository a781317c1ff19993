package dev.backspin.work;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayDeque;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RingBufferTest {

  @Test
  void fullRefusesAndChangesNothing() {
    RingBuffer<Integer> r = new RingBuffer<>(3);
    assertThat(r.offer(1)).isTrue();
    assertThat(r.offer(2)).isTrue();
    assertThat(r.size()).isEqualTo(2);
    assertThat(r.offer(3)).isTrue();
    assertThat(r.offer(4)).isFalse();
    assertThat(r.offer(5)).isFalse();
    assertThat(r.size()).isEqualTo(3);
    assertThat(r.poll()).isEqualTo(1);
    assertThat(r.size()).isEqualTo(2);
    assertThat(r.offer(6)).isTrue();
    assertThat(r.poll()).isEqualTo(2);
    assertThat(r.poll()).isEqualTo(3);
    assertThat(r.poll()).isEqualTo(6);
    assertThat(r.poll()).isNull();
  }

  @Test
  void emptyGivesNull() {
    RingBuffer<String> r = new RingBuffer<>(2);
    assertThat(r.isEmpty()).isTrue();
    assertThat(r.size()).isZero();
    assertThat(r.poll()).isNull();
    r.offer("a");
    assertThat(r.isEmpty()).isFalse();
    assertThat(r.poll()).isEqualTo("a");
    assertThat(r.poll()).isNull();
    assertThat(r.isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 7, 1000, 1023, 1024, 1025})
  void holdsExactlyItsCapacityEvenWhenItIsNoPowerOfTwo(int capacity) {
    RingBuffer<Integer> r = new RingBuffer<>(capacity);
    assertThat(r.capacity()).isEqualTo(capacity);
    for (int i = 0; i < capacity; i++) {
      assertThat(r.offer(i)).as("offer %d of %d", i, capacity).isTrue();
    }
    assertThat(r.offer(-1)).isFalse();
    assertThat(r.size()).isEqualTo(capacity);
    for (int i = 0; i < capacity; i++) {
      assertThat(r.poll()).isEqualTo(i);
    }
    assertThat(r.poll()).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 1000, 1024})
  void wrapsAroundInOrder(int capacity) {
    RingBuffer<Integer> r = new RingBuffer<>(capacity);
    int next = 0;
    int expected = 0;
    // thousands of passes over an array of at most 2 * capacity slots
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

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 1000})
  void behavesLikeABoundedQueueUnderRandomUse(int capacity) {
    Random rnd = new Random(capacity);
    RingBuffer<Integer> r = new RingBuffer<>(capacity);
    ArrayDeque<Integer> model = new ArrayDeque<>();
    int refused = 0;
    for (int step = 0; step < 50_000; step++) {
      // phases that mostly offer, then mostly poll, so the ring is often full and often empty
      boolean offer = rnd.nextInt(10) < ((step / 5000) % 2 == 0 ? 7 : 3);
      if (offer) {
        boolean room = model.size() < capacity;
        assertThat(r.offer(step)).isEqualTo(room);
        if (room) {
          model.addLast(step);
        } else {
          refused++;
        }
      } else {
        assertThat(r.poll()).isEqualTo(model.pollFirst());
      }
      assertThat(r.size()).isEqualTo(model.size());
      assertThat(r.isEmpty()).isEqualTo(model.isEmpty());
    }
    assertThat(refused).as("offers refused when full").isPositive();
  }

  @Test
  void capacityMustBeAtLeastOne() {
    assertThatThrownBy(() -> new RingBuffer<>(0)).isInstanceOf(IllegalArgumentException.class).hasMessage("capacity must be >= 1, got 0");
    assertThatThrownBy(() -> new RingBuffer<>(-5)).isInstanceOf(IllegalArgumentException.class).hasMessage("capacity must be >= 1, got -5");
  }

  @Test
  void nullIsRefusedAndChangesNothing() {
    // null is what poll returns for "empty", so it cannot be an item
    RingBuffer<String> r = new RingBuffer<>(1);
    assertThatThrownBy(() -> r.offer(null)).isInstanceOf(NullPointerException.class);
    assertThat(r.isEmpty()).isTrue();
  }
}
