package dev.backspin.service;

import dev.backspin.bus.Bytes;
import dev.backspin.front.Connection;
import dev.backspin.front.Front;
import dev.backspin.front.ServiceRoute;
import dev.backspin.framing.Frames;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.MessageConsumerOptions;

import java.util.ArrayList;

/**
 * Broadcast: the frames of each read are published on the event bus, so they reach every front
 * instance and, in a cluster, every node; each front writes them to all its clients but the
 * sender. A receiver's backlog is bounded by {@code maxQueuedBytes}: one that falls further
 * behind gets {@code ERR too slow} and is disconnected, and the others are not held up.
 */
public final class BroadcastRoute implements ServiceRoute {

  private static final DeliveryOptions PUBLISH = new DeliveryOptions().setCodecName(BroadcastCodec.NAME);
  // A sender's credits come back when its own front has delivered its frames, which paces it.
  // Other fronts run at the same pace; past this backlog Vert.x drops (and logs) deliveries.
  private static final int MAX_BUFFERED = 100_000;

  private Front front;
  private String address;
  private MessageConsumer<Broadcast> consumer;

  @Override
  public Future<Void> start(Front front) {
    this.front = front;
    this.address = "backspin." + front.service().kind().id() + ".frames";
    consumer = front.vertx().eventBus().<Broadcast>consumer(new MessageConsumerOptions()
      .setAddress(address).setMaxBufferedMessages(MAX_BUFFERED)).handler(msg -> deliver(msg.body()));
    return consumer.completion();
  }

  @Override
  public void send(Connection c, Frames frames) {
    front.vertx().eventBus().publish(address, new Broadcast(front.id(), c.id(), frames.data(), frames.length(), frames.count()), PUBLISH);
  }

  @Override
  public boolean repliesAreCredits() {
    return false;
  }

  private void deliver(Broadcast b) {
    boolean mine = front.id().equals(b.origin());
    // a copy: cutting off a slow receiver may close it while we go round
    int receivers = 0;
    for (Connection c : new ArrayList<>(front.connections())) {
      if (!(mine && c.id() == b.connectionId()) && c.deliver(Bytes.wrap(b.data(), b.length()))) {
        receivers++;
      }
    }
    front.metrics().framesOut(receivers * b.frames());
    if (mine) {
      Connection sender = front.connection(b.connectionId());
      if (sender != null) {
        sender.settled(b.length()); // delivered here: the sender may read on; no reply is owed
      }
    }
  }

  @Override
  public Future<Void> stop() {
    return consumer.unregister();
  }
}
