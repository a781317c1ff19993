package dev.backspin.service;

import dev.backspin.front.Connection;
import dev.backspin.front.Front;
import dev.backspin.front.ServiceRoute;
import dev.backspin.framing.Frames;
import dev.backspin.work.Batch;
import dev.backspin.work.BatchCodec;
import dev.backspin.work.Rejections;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Reverse: each read's frames go as one batch to the connection's worker shard, over the event
 * bus. Pinning a connection to one shard keeps its frames in order whatever the numbers of front
 * and worker instances. The worker answers through the socket's writeHandlerID (the local path:
 * worker and socket on one node) and reports frames it rejects to this front's address.
 */
public final class ReverseRoute implements ServiceRoute {

  private static final DeliveryOptions TO_WORKER = new DeliveryOptions().setCodecName(BatchCodec.NAME);

  private Front front;
  private int workers;
  private String service;
  private MessageConsumer<Rejections> rejections;

  /** The address of worker shard {@code k} of a service. */
  public static String shardAddress(String service, int k) {
    return "backspin." + service + ".worker." + k;
  }

  @Override
  public Future<Void> start(Front front) {
    this.front = front;
    this.workers = front.service().workers();
    this.service = front.service().kind().id();
    rejections = front.vertx().eventBus().<Rejections>localConsumer(front.id()).handler(msg -> onRejections(msg.body()));
    return rejections.completion();
  }

  @Override
  public void send(Connection c, Frames frames) {
    String shard = shardAddress(service, (int) Math.floorMod(c.id(), (long) workers));
    front.vertx().eventBus().send(shard, new Batch(c.id(), c.socket().writeHandlerID(), front.id(), frames), TO_WORKER);
  }

  private void onRejections(Rejections r) {
    for (int i = 0; i < r.size(); i++) {
      Connection c = front.connection(r.connectionId(i));
      if (c != null) { // null: it closed while its frames were in flight
        c.rejected(r.unansweredBytes(i), r.reason(i));
      }
    }
  }

  @Override
  public Future<Void> stop() {
    return rejections.unregister();
  }
}
