package dev.backspin.front;

import dev.backspin.memory.Costs;
import dev.backspin.memory.IntQueue;
import dev.backspin.memory.MemoryBudget;
import io.vertx.core.buffer.Buffer;

import java.util.function.LongConsumer;

/**
 * What a connection has on its way to the client, as a broadcast receiver: its outbox
 * (deliveries not yet handed to the socket), the writes Vert.x queues for it, and what Netty's
 * outbound buffer holds. A receiver cannot be paused, so one whose backlog passes
 * {@code maxQueuedBytes}, or its share while the memory budget is under pressure, is too slow
 * to keep. Netty's buffer is counted for every connection: replies wait there too.
 *
 * <p>Every change of what it holds, at cost, goes to its connection's {@code hold}.
 * Event-loop confined: its connection's.
 */
final class ReceiverBacklog {

  private final long maxQueuedBytes;
  private final MemoryBudget budget;
  private final LongConsumer hold;
  private final Outbox outbox = new Outbox();
  private final IntQueue sends = new IntQueue(); // the cost of each write in Vert.x's queue, in order
  private long queued;      // handed to Vert.x, not yet passed to Netty (at cost)
  private long queuedBytes; // the same, in bytes
  private long outbound;    // in Netty's outbound buffer (at cost, as the tap counts it)

  /** @param hold told each change of what the backlog holds, in bytes at cost */
  ReceiverBacklog(long maxQueuedBytes, MemoryBudget budget, LongConsumer hold) {
    this.maxQueuedBytes = maxQueuedBytes;
    this.budget = budget;
    this.hold = hold;
  }

  /** Takes {@code data[0, length)} into the outbox; returns whether the outbox was empty: a flush is due. */
  boolean add(byte[] data, int length) {
    boolean first = outbox.isEmpty();
    int before = outbox.capacity();
    outbox.append(data, length);
    hold.accept(outbox.capacity() - before);
    return first;
  }

  boolean outboxEmpty() {
    return outbox.isEmpty();
  }

  /**
   * Takes the outbox, which must not be empty, as one write for the socket: from now on it is
   * counted as queued in Vert.x, at the cost of the outbox's array, which the write keeps.
   */
  Buffer handOver() {
    int capacity = outbox.capacity();
    Buffer b = outbox.take();
    hold.accept(-capacity);
    queued(b.length(), capacity);
    return b;
  }

  /** A write of {@code bytes}, which take {@code size} bytes of memory, was handed to Vert.x. */
  void queued(int bytes, int size) {
    int cost = size + Costs.QUEUED_WRITE;
    sends.add(cost);
    queued += cost;
    queuedBytes += bytes;
    hold.accept(cost);
  }

  /** A write of {@code bytes} left Vert.x's queue for the channel: writes get there in order, each whole. */
  void written(int bytes) {
    long cost = sends.poll();
    queued -= cost;
    queuedBytes -= bytes;
    hold.accept(-cost);
  }

  /** What Netty's outbound buffer holds changed by {@code cost}. */
  void outbound(long cost) {
    outbound += cost;
    hold.accept(cost);
  }

  /**
   * The bytes the receiver is owed: {@code maxQueuedBytes} bounds these, not their cost.
   * Counted at cost, an outbox's array (which doubles as it grows) made a receiver owed just over
   * half of {@code maxQueuedBytes} count as past it. The budget still counts the cost.
   */
  long owed() {
    return outbox.length() + queuedBytes + outbound;
  }

  /** The backlog at its cost: the outbox's array, and what Vert.x and Netty hold. */
  private long cost() {
    return outbox.capacity() + queued + outbound;
  }

  /** Whether the receiver is too slow to keep: owed more than {@code maxQueuedBytes}, or {@link #overShare()}. */
  boolean tooSlow() {
    return owed() > maxQueuedBytes || overShare();
  }

  /** Whether the memory budget is under pressure and the backlog costs more than one connection's share. */
  boolean overShare() {
    return budget.underPressure() && cost() > budget.share();
  }

  /** How far behind it is, against its limits, for the log. */
  String describe() {
    return owed() + " bytes waiting (max " + maxQueuedBytes
      + (budget.underPressure() ? ", or " + budget.share() + " while the memory budget is under pressure" : "") + ")";
  }

  /** Drops the outbox, which will never be sent: its memory frees now. Returns the bytes dropped. */
  int dropOutbox() {
    int dropped = outbox.length();
    hold.accept(-outbox.capacity());
    outbox.take();
    return dropped;
  }

  /** Whether some of it will go without its connection reading more. */
  boolean drains() {
    return outbound > 0 || queued > 0 || !outbox.isEmpty();
  }

  /** The bytes not yet in Netty's buffer (the tap counts those): lost if the connection closes now. */
  long aboveNetty() {
    return queuedBytes + outbox.length();
  }
}
