package dev.backspin.work;

/**
 * A bounded FIFO on a power-of-two array. Only the worker's own context touches it (the event
 * bus has already handed each item to that context), so it needs no atomics: a plain ring is the
 * smallest and fastest fit. JCTools' MPSC queues would buy thread-safety we never use.
 */
public final class RingBuffer<T> {

  private final Object[] slots;
  private final int capacity;
  private final int mask;
  private long head; // next to poll
  private long tail; // next to offer

  public RingBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.slots = new Object[Integer.highestOneBit(Math.max(1, capacity - 1)) << 1];
    this.mask = slots.length - 1;
  }

  /** @return false, changing nothing, when the ring already holds {@code capacity} items */
  public boolean offer(T item) {
    if (item == null) {
      throw new NullPointerException("item");
    }
    if (tail - head == capacity) {
      return false;
    }
    slots[(int) (tail++ & mask)] = item;
    return true;
  }

  /** @return the oldest item, or null when empty */
  @SuppressWarnings("unchecked")
  public T poll() {
    if (head == tail) {
      return null;
    }
    int i = (int) (head++ & mask);
    T item = (T) slots[i];
    slots[i] = null;
    return item;
  }

  public int size() { return (int) (tail - head); }
  public int capacity() { return capacity; }
  public boolean isEmpty() { return head == tail; }
}
