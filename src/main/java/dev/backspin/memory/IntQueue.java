package dev.backspin.memory;

import java.util.Arrays;

/** A first-in first-out queue of ints in a growing ring: no boxing on a hot path. Not thread-safe. */
public final class IntQueue {

  private int[] ring = new int[8];
  private int head;
  private int size;

  public void add(int v) {
    if (size == ring.length) {
      int[] bigger = new int[2 * size];
      int first = ring.length - head;
      System.arraycopy(ring, head, bigger, 0, Math.min(first, size));
      if (first < size) {
        System.arraycopy(ring, 0, bigger, first, size - first);
      }
      ring = bigger;
      head = 0;
    }
    ring[(head + size) & (ring.length - 1)] = v;
    size++;
  }

  /** The oldest value; the queue must not be empty. */
  public int peek() {
    if (size == 0) {
      throw new IllegalStateException("empty");
    }
    return ring[head];
  }

  /** Removes and returns the oldest value; the queue must not be empty. */
  public int poll() {
    int v = peek();
    head = (head + 1) & (ring.length - 1);
    size--;
    return v;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public int size() {
    return size;
  }

  public void clear() {
    head = 0;
    size = 0;
    if (ring.length > 64) {
      ring = new int[8];
    }
  }

  @Override
  public String toString() {
    int[] v = new int[size];
    for (int i = 0; i < size; i++) {
      v[i] = ring[(head + i) & (ring.length - 1)];
    }
    return Arrays.toString(v);
  }
}
