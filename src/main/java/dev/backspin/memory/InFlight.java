package dev.backspin.memory;

/**
 * A connection's reads on their way, in order, with what each really costs: its wire bytes, the
 * unused rest of its array, and the objects around it ({@link Costs#READ}). Replies, settlements
 * and rejections answer those bytes strictly in order, so each read's whole cost comes back once
 * its last byte is answered; its bytes come back as they are answered. Event-loop confined.
 */
public final class InFlight {

  private final IntQueue lengths = new IntQueue();
  private final IntQueue extras = new IntQueue();
  private int headAnswered; // bytes of the oldest read answered so far
  private long bytes; // wire bytes not yet answered: the connection's credits in use
  private long cost;

  /** A read of {@code length} wire bytes, held in an array of {@code arrayLength} bytes, went out; returns its cost. */
  public int add(int length, int arrayLength) {
    int extra = Math.max(0, arrayLength - length) + Costs.READ;
    lengths.add(length);
    extras.add(extra);
    bytes += length;
    cost += length + extra;
    return length + extra;
  }

  /** {@code bytes} more of the reads were answered (or will never be); returns the cost that frees. */
  public long answered(long answered) {
    bytes = Math.max(0, bytes - answered);
    long freed = 0;
    long left = answered + headAnswered;
    while (!lengths.isEmpty() && left >= lengths.peek()) {
      int n = lengths.poll();
      left -= n;
      freed += n - Math.min(n, headAnswered) + extras.poll();
      headAnswered = 0;
    }
    if (lengths.isEmpty()) {
      headAnswered = 0;
    } else {
      freed += left - headAnswered; // the newly answered part of the oldest read
      headAnswered = (int) left;
    }
    cost -= freed;
    return freed;
  }

  /** The wire bytes of the reads not yet answered. */
  public long bytes() {
    return bytes;
  }

  /** What the reads still on their way cost. */
  public long cost() {
    return cost;
  }

  /** Forgets every read (the connection closed); returns what they cost. */
  public long clear() {
    long c = cost;
    lengths.clear();
    extras.clear();
    headAnswered = 0;
    bytes = 0;
    cost = 0;
    return c;
  }
}
