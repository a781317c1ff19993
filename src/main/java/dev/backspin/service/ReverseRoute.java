package dev.backspin.service;

import dev.backspin.errors.Failure;

import dev.backspin.framing.Bytes;
import dev.backspin.config.ServiceConfig;
import dev.backspin.config.WriteBack;
import dev.backspin.front.Connection;
import dev.backspin.front.Front;
import dev.backspin.front.ServiceRoute;
import dev.backspin.framing.Frames;
import dev.backspin.bus.Addresses;
import dev.backspin.bus.Batch;
import dev.backspin.bus.BatchCodec;
import dev.backspin.bus.Rejections;
import dev.backspin.bus.RemoteReply;
import dev.backspin.bus.Replies;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Reverse: frames go to a worker over the event bus, and come back reversed. Two paths.
 *
 * <p><b>Local</b> (this node runs workers): each connection is pinned to one worker shard, so its
 * frames stay in order whatever the numbers of front and worker instances. The reads of one
 * event-loop cycle wait in one batch per shard, sent at the end of the cycle by a task on the
 * front's own context: one event-bus message and one worker wake-up per cycle, not per read.
 * A batch that reaches {@code EARLY_SEND_BYTES} (a streaming client) goes at once, so the worker
 * reverses it while the loop reads on.
 * The worker writes each connection's replies of one drain to its socket's
 * {@code writeHandlerID} (one event-bus message per connection per drain), or with
 * {@code writeBack: "front"} sends all of this front's replies of a drain as one {@link Replies}
 * message, which this front writes to its sockets; and it reports rejected frames to this front.
 * Both are local addresses: this path needs workers on this node.
 *
 * <p><b>Remote</b> ({@code workers: 0}; workers run on other nodes, which cannot reach a socket's
 * writeHandlerID): the front asks the service's
 * cluster-wide address and writes the reply itself. The event bus spreads requests over all
 * workers, so a connection has one read out at a time, which keeps its order across nodes; what
 * it reads meanwhile waits (within its credits). A request that times out (its worker died) is
 * asked again and lands on another worker; with none left, the client gets {@code ERR}. Nothing
 * is lost silently.
 */
public final class ReverseRoute implements ServiceRoute {

  private static final Logger log = LoggerFactory.getLogger(ReverseRoute.class);
  // Node-local traffic is local-only: otherwise a clustered Vert.x asks the cluster manager where
  // the address lives, and a failure there drops the message (logged at DEBUG only)
  private static final DeliveryOptions TO_WORKER = new DeliveryOptions().setCodecName(BatchCodec.NAME).setLocalOnly(true);
  private static final int ATTEMPTS = ServiceConfig.REMOTE_ATTEMPTS;
  // a shard's batch this big goes at once (measured: 8-128 KiB alike, 1.3x a cycle-end send)
  private static final int EARLY_SEND_BYTES = 32 * 1024;

  private Front front;
  private int workers;
  private String service;
  private DeliveryOptions toRemote;
  private MessageConsumer<Rejections> rejections;
  private MessageConsumer<Replies> replies; // writeBack: "front" only
  private Context context;
  private String[] shards;
  // the reads of this event-loop cycle, per shard; sent by one task at the end of the cycle
  private Batch[] outbox;
  private boolean flushScheduled;
  private final Map<Long, ArrayDeque<Frames>> waiting = new HashMap<>();

  @Override
  public Future<Void> start(Front front) {
    this.front = front;
    this.workers = front.service().workers();
    this.service = front.service().kind().id();
    this.toRemote = new DeliveryOptions().setCodecName(BatchCodec.NAME).setSendTimeout(front.service().remoteTimeoutMillis());
    this.context = front.vertx().getOrCreateContext(); // start runs on the front's event loop
    this.shards = new String[workers];
    for (int k = 0; k < workers; k++) {
      shards[k] = Addresses.shard(service, k);
    }
    this.outbox = new Batch[workers];
    EventBus bus = front.vertx().eventBus();
    rejections = bus.<Rejections>localConsumer(Addresses.rejections(front.id())).handler(msg -> onRejections(msg.body()));
    if (front.service().writeBack() == WriteBack.SOCKET) {
      return rejections.completion();
    }
    replies = bus.<Replies>localConsumer(Addresses.replies(front.id())).handler(msg -> onReplies(msg.body()));
    return Future.all(rejections.completion(), replies.completion()).mapEmpty();
  }

  @Override
  public void send(Connection c, Frames frames) {
    if (workers > 0) {
      int k = (int) Math.floorMod(c.id(), (long) workers);
      Batch b = outbox[k];
      if (b == null) {
        b = outbox[k] = new Batch(front.id());
      }
      b.add(c.id(), c.writeHandlerID(), frames);
      if (b.bytes() >= EARLY_SEND_BYTES) {
        // a big read (a streaming client): send it now, so the worker reverses it while this
        // loop reads on, instead of waiting idle for the whole cycle's batch at its end
        sendOutbox(k);
        return;
      }
      if (!flushScheduled) {
        // queued from the event loop itself: it runs after this cycle's I/O, with no wake-up
        flushScheduled = true;
        context.runOnContext(v -> flush());
      }
      return;
    }
    ArrayDeque<Frames> queue = waiting.computeIfAbsent(c.id(), id -> new ArrayDeque<>());
    queue.add(frames);
    if (queue.size() == 1) {
      ask(c, frames, 1);
    }
  }

  private void flush() {
    flushScheduled = false;
    for (int k = 0; k < outbox.length; k++) {
      if (outbox[k] != null) {
        sendOutbox(k);
      }
    }
  }

  /** Sends shard {@code k}'s waiting batch; the next read for it starts a new one. */
  private void sendOutbox(int k) {
    Batch b = outbox[k];
    outbox[k] = null;
    front.vertx().eventBus().send(shards[k], b, TO_WORKER);
  }

  private void onReplies(Replies r) {
    for (int i = 0; i < r.size(); i++) {
      Connection c = front.connection(r.connectionId(i));
      if (c != null) { // null: it closed while its frames were in flight
        c.write(r.reply(i)); // counted as it reaches the socket
      }
    }
  }

  private void ask(Connection c, Frames frames, int attempt) {
    front.vertx().eventBus().<RemoteReply>request(Addresses.workers(service), Batch.of(front.id(), c.id(), frames), toRemote)
      .onComplete(ar -> answered(c, frames, attempt, ar));
  }

  private void answered(Connection c, Frames frames, int attempt, AsyncResult<Message<RemoteReply>> ar) {
    ArrayDeque<Frames> queue = waiting.get(c.id());
    if (queue == null || queue.peek() != frames) {
      return; // the connection closed meanwhile
    }
    if (ar.succeeded()) {
      RemoteReply r = ar.result().body();
      if (r.length() > 0) {
        c.write(Bytes.wrap(r.data(), r.length())); // counted as it reaches the socket
      }
      queue.poll();
      if (r.error() != null) {
        // nothing after the failed frame is answered: what still waits here is dropped with it
        int unanswered = frames.length() - r.length() + queue.stream().mapToInt(Frames::length).sum();
        waiting.remove(c.id());
        c.rejected(unanswered, r.error());
        return;
      }
      if (!queue.isEmpty()) {
        ask(c, queue.peek(), 1);
      }
      return;
    }
    ReplyFailure why = ar.cause() instanceof ReplyException re ? re.failureType() : ReplyFailure.RECIPIENT_FAILURE;
    if (why != ReplyFailure.NO_HANDLERS && attempt < ATTEMPTS) {
      log.warn("connection {}: no answer from a {} worker ({}); asking again, attempt {} of {}", c.id(), service, why, attempt + 1, ATTEMPTS);
      front.metrics().remoteRetried();
      ask(c, frames, attempt + 1);
      return;
    }
    int unanswered = queue.stream().mapToInt(Frames::length).sum();
    waiting.remove(c.id());
    c.rejected(unanswered, why == ReplyFailure.NO_HANDLERS ? Failure.noWorker() : Failure.workerTimeout());
  }

  private void onRejections(Rejections r) {
    for (int i = 0; i < r.size(); i++) {
      Connection c = front.connection(r.connectionId(i));
      if (c != null) { // null: it closed while its frames were in flight
        c.rejected(r.unansweredBytes(i), r.failure(i));
      }
    }
  }

  @Override
  public void closed(Connection c) {
    waiting.remove(c.id());
  }

  /** The local path writes back through each socket's writeHandlerID, unless told to go through the front. */
  @Override
  public boolean writeHandlers(ServiceConfig service) {
    return service.workers() > 0 && service.writeBack() == WriteBack.SOCKET;
  }

  @Override
  public Future<Void> stop() {
    return replies == null ? rejections.unregister() : Future.all(rejections.unregister(), replies.unregister()).mapEmpty();
  }
}
