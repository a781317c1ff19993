package dev.backspin.service;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The other nodes' broadcast fronts, as this node's senders see them: for each node, the bytes
 * this node published towards it that it has not acknowledged yet. Vert.x's clustered event bus
 * has no flow control, so a node whose fronts fall behind would have this node's frames queue
 * for it without limit; its acknowledgements ({@link BroadcastAcks}) say how far it got, and
 * while it is further behind than {@code high} (until back to {@code low}) it lags, and this
 * node's senders are held ({@link BroadcastFronts#mustWait}). A node that leaves the cluster, or
 * stops its fronts, is forgotten, and holds nobody any more.
 *
 * <p>Offsets are this node's cumulative published bytes, so an acknowledgement lost or doubled
 * does no harm: the next one says the same and more. A node first heard of (or heard of again
 * after it left) starts at what was published by then: what was in flight to it before is not
 * counted, at most one acknowledgement interval's worth. Pure and lock-free on the hot path:
 * publishers on every front's event loop add, acknowledgements subtract.
 */
final class RemoteNodes {

  private final AtomicLong published = new AtomicLong();
  private final Map<String, Node> nodes = new ConcurrentHashMap<>();
  private volatile long high = Long.MAX_VALUE >> 2;
  private volatile long low = Long.MAX_VALUE >> 3;

  private static final class Node {
    final Backlog backlog;
    long acked; // guarded by this

    Node(Backlog backlog, long acked) {
      this.backlog = backlog;
      this.acked = acked;
    }
  }

  /** The window every node is held to from now on: it lags past {@code high} bytes until back to {@code low}. */
  void window(long high, long low) {
    if (low < 0 || low > high) {
      throw new IllegalArgumentException("need 0 <= low <= high, got low " + low + ", high " + high);
    }
    this.high = high;
    this.low = low;
  }

  /** {@code bytes} are being published to the cluster; returns the offset the message carries. */
  long publish(int bytes) {
    long offset = published.addAndGet(bytes);
    for (Node n : nodes.values()) {
      n.backlog.add(bytes);
    }
    return offset;
  }

  /** Node {@code id} is there (it said hello); returns whether it was new. */
  boolean heardOf(String id) {
    if (nodes.containsKey(id)) {
      return false;
    }
    return nodes.putIfAbsent(id, new Node(new Backlog(high, low), published.get())) == null;
  }

  /**
   * Node {@code id} has delivered this node's bytes up to {@code offset} (cumulative); returns
   * whether that ended its lag. A node not known yet is added.
   */
  boolean acked(String id, long offset) {
    heardOf(id);
    Node n = nodes.get(id);
    if (n == null) {
      return false; // it left meanwhile
    }
    long delta;
    synchronized (n) {
      if (offset <= n.acked) {
        return false;
      }
      delta = offset - n.acked;
      n.acked = offset;
    }
    return n.backlog.subtract((int) Math.min(Integer.MAX_VALUE, delta));
  }

  /** Node {@code id} left the cluster or stopped its fronts; returns whether it was lagging. */
  boolean left(String id) {
    Node n = nodes.remove(id);
    return n != null && n.backlog.lagging();
  }

  boolean lagging() {
    for (Node n : nodes.values()) {
      if (n.backlog.lagging()) {
        return true;
      }
    }
    return false;
  }

  /** The nodes known now. */
  Set<String> ids() {
    return Set.copyOf(nodes.keySet());
  }

  /** Bytes published towards node {@code id} not yet acknowledged, or -1 if it is not known. */
  long backlog(String id) {
    Node n = nodes.get(id);
    return n == null ? -1 : n.backlog.bytes();
  }

  long published() {
    return published.get();
  }
}
