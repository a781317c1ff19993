package dev.backspin.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;

import java.util.HashSet;
import java.util.Set;

/**
 * Broadcast's flow control between nodes, for one front: Vert.x's clustered event bus has none,
 * so each node tells the others how far its fronts have delivered their frames, and each node
 * holds its senders while another node is too far behind ({@link RemoteNodes}).
 *
 * <p>On one cluster-wide address every node publishes, at most every {@link #ACK_MILLIS} while
 * it is receiving, {@code {"node": id, "offsets": {origin: offset, ...}}}: for each origin node,
 * the offset up to which every front here delivered its frames. A front that starts says hello
 * the same way, asking the others to say it back ({@code "ask": true}), so that each node counts
 * every other node's fronts before it sends them anything; the last front of a node to stop says
 * {@code "bye": true}. Each front also says it every {@link #MEMBERSHIP_MILLIS}, whatever
 * changed: a lost message then holds nobody for good. A node that leaves the cluster without a
 * word is found gone within that time from the cluster manager's member list, and holds nobody
 * any more.
 * Runs on its front's event loop.
 */
final class BroadcastAcks {

  /** How long deliveries wait to be acknowledged together: one message per node per this, under load. */
  static final long ACK_MILLIS = 10;
  /** How often the member list is read for nodes gone without a bye. */
  static final long MEMBERSHIP_MILLIS = 1_000;

  private final Vertx vertx;
  private final String address;
  private final BroadcastFronts fronts;
  private final ClusterManager cluster;
  private final String me;
  private BroadcastFronts.Member member;
  private MessageConsumer<JsonObject> consumer;
  private long poll = -1;

  BroadcastAcks(Vertx vertx, String service, BroadcastFronts fronts) {
    this.vertx = vertx;
    this.address = address(service);
    this.fronts = fronts;
    this.cluster = ((VertxInternal) vertx).clusterManager();
    this.me = cluster.getNodeId();
  }

  /** The cluster-wide address where the nodes running service {@code serviceId} acknowledge each other's frames. */
  static String address(String serviceId) {
    return BroadcastRoute.address(serviceId) + ".acks";
  }

  /** This node's id, which its broadcasts carry. */
  String node() {
    return me;
  }

  /** Registers this front's consumer of acknowledgements; completes once it is registered. */
  Future<Void> listen() {
    consumer = vertx.eventBus().<JsonObject>consumer(address).handler(msg -> onAck(msg.body()));
    return consumer.completion();
  }

  /** The front joined as {@code m}: from now on it acknowledges, and it says hello. */
  void started(BroadcastFronts.Member m) {
    this.member = m;
    send(true);
    poll = vertx.setPeriodic(MEMBERSHIP_MILLIS, t -> {
      forgetDeparted();
      // again, even with nothing new: a lost acknowledgement would hold a node's senders for good
      // (they send nothing more to be acknowledged), and a node that missed the hello hears it now
      send(false);
    });
  }

  private void onAck(JsonObject ack) {
    String node = ack.getString("node");
    if (node == null || node.equals(me)) {
      return;
    }
    if (ack.getBoolean("bye", false)) {
      fronts.nodeLeft(node);
      return;
    }
    fronts.heardOf(node);
    JsonObject offsets = ack.getJsonObject("offsets");
    Long mine = offsets == null ? null : offsets.getLong(me);
    if (mine != null) {
      fronts.acked(node, mine);
    }
    if (ack.getBoolean("ask", false)) {
      send(false); // a newcomer: it counts this node from now on
    }
  }

  /** This front delivered {@code node}'s frames up to {@code offset}: acknowledged with the next message. */
  void delivered(String node, long offset) {
    if (node == null || offset < 0 || member == null) {
      return;
    }
    fronts.deliveredFrom(member, node, offset);
    if (fronts.takeAckDue()) {
      vertx.setTimer(ACK_MILLIS, t -> send(false));
    }
  }

  private void send(boolean ask) {
    fronts.ackSending();
    JsonObject offsets = new JsonObject();
    fronts.ackOffsets().forEach(offsets::put);
    vertx.eventBus().publish(address, new JsonObject().put("node", me).put("offsets", offsets).put("ask", ask));
  }

  /** Nodes counted here that are no longer members of the cluster. */
  private void forgetDeparted() {
    Set<String> members = new HashSet<>(cluster.getNodes());
    for (String node : fronts.nodes()) {
      if (!members.contains(node)) {
        fronts.nodeLeft(node);
      }
    }
    fronts.keepDeliveredFrom(members);
  }

  /** The front stops; {@code last}: it was this node's last, which says bye. */
  Future<Void> stop(boolean last) {
    if (poll >= 0) {
      vertx.cancelTimer(poll);
    }
    fronts.ackSending(); // a timer of a stopped front never fires: another front may send the next one
    if (last) {
      vertx.eventBus().publish(address, new JsonObject().put("node", me).put("bye", true));
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
