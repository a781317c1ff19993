package dev.backspin.service;

import dev.backspin.front.Connection;
import dev.backspin.front.Front;
import dev.backspin.front.ServiceRoute;
import dev.backspin.framing.Frames;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * Broadcast: the frames of each read are published on the event bus, locally to every front
 * instance of this node and, in a cluster, to the other nodes as well; each front writes them to
 * all its clients but the sender. A receiver's backlog is bounded by {@code maxQueuedBytes}: one that falls further
 * behind gets {@code ERR too slow} and is disconnected, and the others are not held up.
 *
 * <p>A sender's credits come back when its own front has delivered its frames and no front lags
 * ({@link BroadcastFronts}): the event bus queues each front's messages on its event loop without
 * limit, so a sender must not outrun the slowest front of its Vert.x. In a cluster the other
 * nodes count too: each acknowledges what its fronts delivered ({@link BroadcastAcks}), and a
 * node further behind than a front may be holds this node's senders until it catches up, or
 * leaves. The same bound, not a wider one for the network's delay: a node that catches up hands
 * its whole backlog to each receiver at once, as a front does, and more would cut them off.
 */
public final class BroadcastRoute implements ServiceRoute {

  // to this node's fronts: local-only, so a clustered Vert.x does not ask the cluster manager
  // (which can fail, and then drops the message)
  private static final DeliveryOptions PUBLISH_HERE = new DeliveryOptions().setCodecName(BroadcastCodec.NAME).setLocalOnly(true);
  private static final DeliveryOptions PUBLISH_CLUSTER = new DeliveryOptions().setCodecName(BroadcastCodec.NAME);

  private Front front;
  private String address;
  private String localAddress;
  private boolean clustered;
  private MessageConsumer<Broadcast> consumer;
  private MessageConsumer<Broadcast> remoteConsumer; // clustered only
  private BroadcastAcks acks; // clustered only
  private BroadcastFronts fronts;
  private BroadcastFronts.Member me;
  // this front's senders' credits, held while a front lags: connection id -> bytes
  private Map<Long, Integer> held = new HashMap<>();

  /** The cluster-wide event-bus address where the fronts of service {@code serviceId} hear other nodes' frames. */
  public static String address(String serviceId) {
    return "backspin." + serviceId + ".frames";
  }

  /** The address where a node's fronts of service {@code serviceId} hear each other's frames. */
  public static String localAddress(String serviceId) {
    return address(serviceId) + ".local";
  }

  @Override
  public Future<Void> start(Front front) {
    this.front = front;
    this.address = address(front.service().kind().id());
    this.fronts = BroadcastFronts.of(front.vertx(), address);
    Context context = front.vertx().getOrCreateContext(); // start runs on the front's own context
    // A front lags once it is further behind than the smaller of: maxInFlightBytes, so a lagging
    // front holds no more than one more connection may; and half of maxQueuedBytes, because
    // catching up it writes its backlog to each receiver at once, the senders' bytes in flight on top.
    long high = Math.min(front.service().maxInFlightBytes(), front.service().maxQueuedBytes() / 2);
    this.localAddress = localAddress(front.service().kind().id());
    this.clustered = front.vertx().isClustered();
    EventBus bus = front.vertx().eventBus();
    consumer = bus.<Broadcast>localConsumer(localAddress).handler(msg -> deliver(msg.body()));
    Future<Void> ready = consumer.completion();
    if (clustered) {
      fronts.remoteWindow(high, high / 2);
      acks = new BroadcastAcks(front.vertx(), front.service().kind().id(), fronts);
      // a publish to the cluster reaches this node too: those copies came here already, locally
      remoteConsumer = bus.<Broadcast>consumer(address).handler(msg -> {
        Broadcast b = msg.body();
        if (!fronts.fromHere(b.origin())) {
          try {
            deliver(b);
          } finally {
            acks.delivered(b.node(), b.offset()); // even if a delivery failed: the node would lag for good
          }
        }
      });
      ready = Future.all(ready, remoteConsumer.completion(), acks.listen()).mapEmpty();
    }
    return ready.onSuccess(v -> {
      me = fronts.join(front.id(), high, high / 2, task -> context.runOnContext(x -> task.run()), this::caughtUp);
      if (acks != null) {
        acks.started(me);
      }
    });
  }

  @Override
  public void send(Connection c, Frames frames) {
    BroadcastFronts.Member[] counted = fronts.count(me, frames.length());
    String node = clustered ? acks.node() : null;
    long offset = clustered ? fronts.publishToNodes(frames.length()) : -1;
    Broadcast b = new Broadcast(front.id(), c.id(), frames.data(), frames.length(), frames.count(), counted, node, offset);
    EventBus bus = front.vertx().eventBus();
    bus.publish(localAddress, b, PUBLISH_HERE);
    if (clustered) {
      bus.publish(address, b, PUBLISH_CLUSTER);
    }
  }

  @Override
  public boolean repliesAreCredits() {
    return false;
  }

  private void deliver(Broadcast b) {
    boolean mine = front.id().equals(b.origin());
    // a copy: cutting off a slow receiver may close it while we go round
    int receivers = 0;
    try {
      for (Connection c : new ArrayList<>(front.connections())) {
        if (!(mine && c.id() == b.connectionId()) && c.deliver(b.data(), b.length())) {
          receivers++;
        }
      }
    } finally {
      // even if a delivery failed: a front that never counts a message off would lag for good,
      // and hold back every sender of the node
      front.metrics().framesOut(receivers * b.frames());
      fronts.delivered(me, b.counted(), b.length());
      if (mine) {
        settle(b.connectionId(), b.length());
      }
    }
  }

  /** Delivered here, and no reply is owed: the sender may read on, unless a front lags. */
  private void settle(long connectionId, int bytes) {
    if (held.isEmpty() && !fronts.mustWait(me)) {
      settleNow(connectionId, bytes);
    } else {
      held.merge(connectionId, bytes, Integer::sum); // bounded by maxInFlightBytes per connection
    }
  }

  /** Every front has caught up (or a lagging one stopped): gives the held credits back. */
  private void caughtUp() {
    if (held.isEmpty() || fronts.mustWait(me)) {
      return;
    }
    Map<Long, Integer> now = held;
    held = new HashMap<>();
    now.forEach(this::settleNow);
  }

  private void settleNow(long connectionId, int bytes) {
    Connection sender = front.connection(connectionId);
    if (sender != null) {
      sender.settled(bytes);
    }
  }

  @Override
  public void closed(Connection c) {
    held.remove(c.id());
  }

  @Override
  public Future<Void> stop() {
    // first: a front counted for a message must receive it, and nobody waits for a stopped front
    boolean last = me != null && fronts.leave(me);
    held.clear(); // the server has closed its connections by now
    if (remoteConsumer == null) {
      return consumer.unregister();
    }
    return Future.all(consumer.unregister(), remoteConsumer.unregister(), acks.stop(last)).mapEmpty();
  }
}
