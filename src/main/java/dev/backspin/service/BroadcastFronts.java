package dev.backspin.service;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The broadcast fronts of one Vert.x instance that consume one address, and how far each is
 * behind. The event bus queues a front's messages on its event loop without limit, so a sender
 * is held back here instead: its front keeps the sender's credits while any front lags, and lets
 * them go when every front has caught up. One per Vert.x and address, in Vert.x's local shared
 * data. Touched from every front's event loop: lock-free.
 *
 * <p>In a cluster the same holds across nodes: the fronts of other nodes are counted per node
 * ({@link RemoteNodes}), from their acknowledgements, and a node that lags holds this node's
 * senders as a local front does. Each front also keeps how far it has delivered each other
 * node's frames, which this node acknowledges ({@link #ackOffsets}).
 */
public final class BroadcastFronts implements Shareable {

  private static final String MAP = "backspin.broadcast.fronts";
  static final Member[] NONE = new Member[0];

  private final List<Member> members = new CopyOnWriteArrayList<>();
  private final Set<Member> waiting = ConcurrentHashMap.newKeySet();
  // every front that ever joined here: as many as front instances were deployed
  private final Set<String> everJoined = ConcurrentHashMap.newKeySet();
  private final RemoteNodes remotes = new RemoteNodes();
  private final AtomicBoolean ackDue = new AtomicBoolean();

  BroadcastFronts() {
  }

  /** The fronts of {@code vertx} that consume {@code address}. */
  public static BroadcastFronts of(Vertx vertx, String address) {
    LocalMap<String, BroadcastFronts> map = vertx.sharedData().getLocalMap(MAP);
    BroadcastFronts fresh = new BroadcastFronts();
    BroadcastFronts had = map.putIfAbsent(address, fresh);
    return had != null ? had : fresh;
  }

  /** One front, as the others see it. */
  public static final class Member {

    private final String id;
    private final Backlog backlog;
    private final Executor loop;
    private final Runnable caughtUp;
    // other nodes' frames this front delivered: node id -> that node's offset (written by this front only)
    private final Map<String, Long> deliveredFrom = new ConcurrentHashMap<>();

    private Member(String id, Backlog backlog, Executor loop, Runnable caughtUp) {
      this.id = id;
      this.backlog = backlog;
      this.loop = loop;
      this.caughtUp = caughtUp;
    }

    public String id() {
      return id;
    }

    /** Runs a task on this front's own event loop. */
    public Executor loop() {
      return loop;
    }

    /** Bytes published towards this front and not yet delivered by it. */
    public long backlog() {
      return backlog.bytes();
    }

    public boolean lagging() {
      return backlog.lagging();
    }
  }

  /**
   * Adds a front that lags past {@code high} backlog bytes until back to {@code low}. Join only
   * once the front's consumer is registered: every front counted for a message must receive it.
   * {@code caughtUp} runs on {@code loop} when the front waited ({@link #mustWait}) and no front lags.
   */
  Member join(String id, long high, long low, Executor loop, Runnable caughtUp) {
    Member m = new Member(id, new Backlog(high, low), loop, caughtUp);
    everJoined.add(id);
    members.add(m);
    return m;
  }

  /**
   * The front stops: its backlog holds nobody back any more. Before its consumer goes. Returns
   * whether it was the last front here.
   */
  boolean leave(Member m) {
    members.remove(m);
    waiting.remove(m);
    wakeWaiting();
    return members.isEmpty();
  }

  /** Whether the front {@code origin} is (or was) of this Vert.x: its frames came here locally. */
  boolean fromHere(String origin) {
    return everJoined.contains(origin);
  }

  public List<Member> members() {
    return Collections.unmodifiableList(members);
  }

  /**
   * {@code bytes} from a sender on {@code from} are being published: counts them towards every
   * other front, and returns those fronts, which the message carries.
   */
  Member[] count(Member from, int bytes) {
    Member[] all = members.toArray(NONE);
    Member[] counted = new Member[all.length];
    int n = 0;
    for (Member m : all) {
      if (m != from) {
        m.backlog.add(bytes);
        counted[n++] = m;
      }
    }
    return n == 0 ? NONE : n == counted.length ? counted : Arrays.copyOf(counted, n);
  }

  /**
   * {@code m} delivered a message of {@code bytes}; it takes them off its backlog only if it was
   * counted for them, so a front that joined after the publish never goes below what it was given.
   */
  void delivered(Member m, Member[] counted, int bytes) {
    if (m == null || counted == null) {
      return;
    }
    for (Member c : counted) {
      if (c == m) {
        if (m.backlog.subtract(bytes)) {
          wakeWaiting();
        }
        return;
      }
    }
  }

  /** Whether any front lags, here or on another node. */
  boolean lagging() {
    for (Member m : members) {
      if (m.backlog.lagging()) {
        return true;
      }
    }
    return remotes.lagging();
  }

  /** Every other node's fronts lag past {@code high} bytes not acknowledged, until back to {@code low}. */
  void remoteWindow(long high, long low) {
    remotes.window(high, low);
  }

  /** {@code bytes} are being published to the other nodes too: counted towards each; the offset the message carries. */
  long publishToNodes(int bytes) {
    return remotes.publish(bytes);
  }

  /** Node {@code node} runs broadcast fronts: counted from now on. */
  void heardOf(String node) {
    remotes.heardOf(node);
  }

  /** Node {@code node} delivered this node's bytes up to {@code offset}. */
  void acked(String node, long offset) {
    if (remotes.acked(node, offset)) {
      wakeWaiting();
    }
  }

  /** Node {@code node} left the cluster, or stopped its fronts: its backlog holds nobody back any more. */
  void nodeLeft(String node) {
    if (remotes.left(node)) {
      wakeWaiting();
    }
  }

  /** The other nodes counted now. */
  Set<String> nodes() {
    return remotes.ids();
  }

  /** Bytes published towards node {@code node} and not acknowledged yet; -1 if it is not counted. */
  public long nodeBacklog(String node) {
    return remotes.backlog(node);
  }

  /** Front {@code m} delivered node {@code node}'s frames up to {@code offset}. */
  void deliveredFrom(Member m, String node, long offset) {
    if (m != null) {
      m.deliveredFrom.merge(node, offset, Math::max);
    }
  }

  /**
   * What this node acknowledges to each other node: how far every front here that has delivered
   * that node's frames got, the least of them (a front that joined later and has had none yet
   * does not hold the others back).
   */
  Map<String, Long> ackOffsets() {
    Map<String, Long> least = new HashMap<>();
    for (Member m : members) {
      m.deliveredFrom.forEach((node, offset) -> least.merge(node, offset, Math::min));
    }
    return least;
  }

  /**
   * Only these nodes are in the cluster now: what the fronts here delivered of any other is
   * forgotten, so that a cluster whose nodes come and go (each start is a new id) keeps no trace of
   * the departed, and acknowledges none.
   */
  void keepDeliveredFrom(Set<String> nodes) {
    for (Member m : members) {
      m.deliveredFrom.keySet().retainAll(nodes);
    }
  }

  /** Whether the caller is the one to send this node's next acknowledgement: one is due, and nobody else took it. */
  boolean takeAckDue() {
    return ackDue.compareAndSet(false, true);
  }

  /** The acknowledgement is being sent: deliveries from now on make another one due. */
  void ackSending() {
    ackDue.set(false);
  }

  /**
   * Whether {@code m}'s front must hold its senders' credits because a front lags; if so, its
   * {@code caughtUp} runs once none lags (or a lagging front left), and it asks again then.
   */
  boolean mustWait(Member m) {
    if (m == null || !lagging()) {
      return false;
    }
    waiting.add(m);
    // Added first, checked again: a lag that ended in between may not have seen m in the set.
    if (!lagging()) {
      wakeWaiting();
    }
    return true;
  }

  private void wakeWaiting() {
    for (Member w : waiting) {
      if (waiting.remove(w)) {
        w.loop.execute(w.caughtUp);
      }
    }
  }
}
