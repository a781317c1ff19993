package dev.backspin.work;

import dev.backspin.errors.Failure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A worker's connections whose frame failed, with why: their later reads, already on the way,
 * get no reply either, and the same reason. The front stops sending once it hears, so an entry is
 * only needed for moments; it is forgotten after {@code keepNanos}, and the oldest go first past
 * {@code max} entries, so a flood of bad connections cannot grow it without end. Confined to one
 * worker's thread.
 */
final class RejectedConnections {

  private record Entry(Failure failure, long atNanos) {
  }

  private final long keepNanos;
  private final Map<String, Entry> byConnection;

  RejectedConnections(int max, long keepNanos) {
    this.keepNanos = keepNanos;
    this.byConnection = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > max;
      }
    };
  }

  /** Why {@code front}'s connection {@code id} was rejected, or null (almost always: no key is built then). */
  Failure failure(String front, long id) {
    if (byConnection.isEmpty()) {
      return null;
    }
    Entry e = byConnection.get(key(front, id));
    return e == null ? null : e.failure();
  }

  void add(String front, long id, Failure failure, long nowNanos) {
    byConnection.putIfAbsent(key(front, id), new Entry(failure, nowNanos));
  }

  /** Forgets the entries older than the keep time; insertion order, so the oldest come first. */
  void forgetOld(long nowNanos) {
    var it = byConnection.values().iterator();
    while (it.hasNext() && nowNanos - it.next().atNanos() > keepNanos) {
      it.remove();
    }
  }

  int size() {
    return byConnection.size();
  }

  private static String key(String front, long id) {
    return front + "/" + id;
  }
}
