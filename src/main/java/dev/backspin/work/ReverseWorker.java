package dev.backspin.work;

import dev.backspin.bus.Addresses;
import dev.backspin.bus.Batch;
import dev.backspin.bus.BufferCodec;
import dev.backspin.bus.Rejections;
import dev.backspin.bus.RejectionsCodec;
import dev.backspin.bus.RemoteReply;
import dev.backspin.bus.RemoteReplyCodec;
import dev.backspin.bus.Replies;
import dev.backspin.bus.RepliesCodec;
import dev.backspin.config.WorkerConfig;
import dev.backspin.config.WriteBack;
import dev.backspin.errors.Failure;
import dev.backspin.framing.Frames;
import dev.backspin.metrics.ServiceMetrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One worker shard (deployed as a worker verticle). Batches arrive on the shard's own address,
 * each holding the reads of one front's event-loop cycle; they wait in a bounded ring and are
 * drained once per burst: each read's frames are reversed in place, and each connection's replies
 * of one drain, joined, go to its socket's {@code writeHandlerID}: one event-bus message per
 * connection per drain, run as one write on the socket's event loop. A reply has exactly its
 * frames' length, and the front counts it as it reaches the socket: that is the acknowledgement.
 * Only frames that get no reply are reported, as {@link Rejections}, to the front.
 *
 * <p>Full ring: the worker drains it right there, on its own thread, before taking the new batch.
 * Nothing is dropped and no retry protocol is needed; what bounds memory is the fronts' credits,
 * which stop reading a connection while too many of its bytes are in flight.
 *
 * <p>Write-back paths. Local: a front on this node sent the batch, and each connection's reply
 * goes to its socket's {@code writeHandlerID}, a local-only address ({@code writeBack: "socket"},
 * the default); or, with {@code writeBack: "front"}, all of one front's replies of a drain go to
 * that front as one {@link Replies} message, and the front writes its sockets (one event-bus
 * message per front instead of per connection: measured ahead with many connections, see the
 * README). Remote: a front on another node cannot be reached either way, so it asks on the
 * service's cluster-wide address, one read per request, and the worker replies with the bytes;
 * that node writes its socket.
 */
public final class ReverseWorker extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ReverseWorker.class);
  // a writeHandlerID is local; the Buffer goes as it is (Vert.x's own Buffer codec would copy it)
  private static final DeliveryOptions TO_SOCKET = new DeliveryOptions().setCodecName(BufferCodec.NAME).setLocalOnly(true);
  private static final DeliveryOptions TO_FRONT = new DeliveryOptions().setCodecName(RepliesCodec.NAME).setLocalOnly(true);
  // to a front on this node (a remote front hears of a rejection in its reply)
  private static final DeliveryOptions REJECTIONS = new DeliveryOptions().setCodecName(RejectionsCodec.NAME).setLocalOnly(true);
  private static final DeliveryOptions REMOTE_REPLY = new DeliveryOptions().setCodecName(RemoteReplyCodec.NAME);

  private final String address;
  private final String remoteAddress;
  private final FrameTransform transform;
  private final RingBuffer<Queued> ring;
  private EventBus bus;
  private boolean drainScheduled;
  private MessageConsumer<Batch> consumer;
  private MessageConsumer<Batch> remoteConsumer;
  // connections whose frame failed; purged by a timer as well as by drains
  static final int MAX_REJECTED = 65_536;
  private static final long REJECTED_KEEP_NANOS = 30_000_000_000L;
  private static final long PURGE_MILLIS = 10_000;
  private final RejectedConnections rejected = new RejectedConnections(MAX_REJECTED, REJECTED_KEEP_NANOS);
  private long purgeTimer = -1;

  private final Future<Void> frontsDrained;
  private final ServiceMetrics metrics;
  private final int shard;
  private final Timer latency;
  private long[] arrivedNanos = new long[64]; // of the local batches in one drain
  private final SocketReplies replies = new SocketReplies(); // of one drain, reused
  private final boolean toSockets;

  /** A batch in the ring, with when it arrived: the worker's latency is measured from there. */
  private record Queued(Message<Batch> msg, long arrivedNanos) {
  }

  /** @param frontsDrained completes when no front of this service can send frames any more */
  public ReverseWorker(Future<Void> frontsDrained, ServiceMetrics metrics, WorkerConfig cfg) {
    this(frontsDrained, metrics, cfg, FrameTransform.reverse(cfg.unit()));
  }

  /** A shard that applies {@code transform} instead of reversing by its config's unit (tests: a faulty one). */
  ReverseWorker(Future<Void> frontsDrained, ServiceMetrics metrics, WorkerConfig cfg, FrameTransform transform) {
    this.frontsDrained = frontsDrained;
    this.metrics = metrics;
    this.latency = metrics.workerLatency();
    this.shard = cfg.shard();
    this.address = Addresses.shard(cfg.service().id(), cfg.shard());
    this.remoteAddress = Addresses.workers(cfg.service().id());
    this.transform = transform;
    this.toSockets = cfg.writeBack() == WriteBack.SOCKET;
    this.ring = new RingBuffer<>(cfg.ringCapacity());
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    metrics.ringOccupancy(shard, ring::size, ring.capacity());
    consumer = bus.<Batch>localConsumer(address).handler(this::accept);
    purgeTimer = vertx.setPeriodic(PURGE_MILLIS, t -> forgetOldRejections()); // on this worker's context
    if (!vertx.isClustered()) {
      return consumer.completion().onSuccess(v -> log.debug("worker {} ready, ring capacity {}", address, ring.capacity()));
    }
    // fronts on nodes without workers send here, cluster-wide, and expect a reply
    remoteConsumer = bus.<Batch>consumer(remoteAddress).handler(this::accept);
    return Future.all(consumer.completion(), remoteConsumer.completion())
      .onSuccess(v -> log.debug("worker {} ready for local and remote fronts, ring capacity {}", address, ring.capacity()));
  }

  /** Keeps serving until every front of the service has drained: their last frames come here. */
  @Override
  public Future<?> stop() {
    Promise<Void> stopped = Promise.promise();
    frontsDrained.onComplete(ar -> context.runOnContext(v -> {
      vertx.cancelTimer(purgeTimer);
      drain();
      Future<Void> remote = remoteConsumer == null ? Future.succeededFuture() : remoteConsumer.unregister();
      Future.all(consumer.unregister(), remote).<Void>mapEmpty().onComplete(stopped);
    }));
    return stopped.future();
  }

  private void accept(Message<Batch> msg) {
    Queued q = new Queued(msg, System.nanoTime());
    if (!ring.offer(q)) {
      drain();
      ring.offer(q);
    }
    if (!drainScheduled) {
      // runs after the deliveries already queued on this context: one drain per burst, not per batch
      drainScheduled = true;
      context.runOnContext(v -> {
        drainScheduled = false;
        drain();
      });
    }
  }

  /** Answers every batch in the ring, in the order they came. */
  private void drain() {
    if (ring.isEmpty()) {
      return;
    }
    Drained d = new Drained(toSockets);
    try {
      takeAll(d);
    } finally {
      // what was taken is answered even if something above failed: nothing polled is lost
      forgetOldRejections();
      sendReplies(d);
      sendRejections(d);
      recordMetrics(d);
    }
  }

  /** One drain's output: the replies to fronts, the rejections, and how many local batches arrived. */
  private static final class Drained {
    final Map<String, Replies> toFronts; // writeBack "front" only; to sockets, the worker's reused SocketReplies
    Map<String, Rejections> rejections;
    int framesOut;
    int arrivals;
    boolean faultLogged;

    Drained(boolean toSockets) {
      toFronts = toSockets ? null : new LinkedHashMap<>(2);
    }

    void reject(String front, long connectionId, int bytes, Failure failure) {
      if (rejections == null) {
        rejections = new LinkedHashMap<>();
      }
      rejections.computeIfAbsent(front, a -> new Rejections()).add(connectionId, bytes, failure);
    }
  }

  private void takeAll(Drained d) {
    Queued q;
    while ((q = ring.poll()) != null) {
      take(q, d);
    }
  }

  /** Takes one batch from the ring: each read of it is answered, or its connection rejected. */
  private void take(Queued q, Drained d) {
    Message<Batch> msg = q.msg();
    Batch batch = msg.body();
    // a front on another node asked (one read per request): the answer goes back to it, and it writes the socket
    boolean remote = msg.replyAddress() != null;
    if (!remote) {
      noteArrival(q.arrivedNanos(), d);
    }
    answerEachRead(msg, batch, remote, d);
    if (remote) {
      latency.record(System.nanoTime() - q.arrivedNanos(), TimeUnit.NANOSECONDS); // its reply has left
    }
  }

  /** A local batch's replies leave with the drain's last send: its wait is recorded then. */
  private void noteArrival(long nanos, Drained d) {
    if (d.arrivals == arrivedNanos.length) {
      arrivedNanos = Arrays.copyOf(arrivedNanos, d.arrivals * 2);
    }
    arrivedNanos[d.arrivals++] = nanos;
  }

  /** Each read on its own: one that throws costs its connection only. */
  private void answerEachRead(Message<Batch> msg, Batch batch, boolean remote, Drained d) {
    for (int i = 0; i < batch.size(); i++) {
      try {
        answer(msg, batch, i, remote, d);
      } catch (RuntimeException e) {
        failOnFault(msg, batch, i, remote, d, e);
      }
    }
  }

  /** Transforms one read, and queues its reply and, if a frame failed, its rejection. */
  private void answer(Message<Batch> msg, Batch batch, int i, boolean remote, Drained d) {
    String front = batch.frontAddress();
    long id = batch.connectionId(i);
    Frames frames = batch.frames(i);
    int sent = frames.length();
    Failure error = transformUnlessRejected(front, id, frames);
    d.framesOut += frames.count();
    if (remote) {
      replyToRemoteFront(msg, frames.data(), frames.length(), error);
      return;
    }
    queueReply(batch.socket(i), front, id, frames, d);
    if (error != null) {
      d.reject(front, id, sent - frames.length(), error);
    }
  }

  /**
   * Transforms the frames in place and returns why one failed, or null. Once a connection has
   * failed, nothing more of it is answered: its frames are emptied, with the first reason.
   */
  private Failure transformUnlessRejected(String front, long id, Frames frames) {
    // almost always empty: no key is built for a connection in good standing
    Failure earlier = rejected.failure(front, id);
    if (earlier != null) {
      frames.truncate(0);
      return earlier;
    }
    if (log.isDebugEnabled()) {
      logFrames(frames);
    }
    Failure error = transform.apply(frames);
    if (error != null) {
      rejected.add(front, id, error, System.nanoTime());
    }
    return error;
  }

  /** A front on another node writes its socket itself: the bytes, and why they stop, go back to it. */
  private static void replyToRemoteFront(Message<Batch> msg, byte[] data, int length, Failure error) {
    msg.reply(new RemoteReply(data, length, error), REMOTE_REPLY);
  }

  /** Queues a read's reply for this drain's send: with its socket's others, or its front's. */
  private void queueReply(String socket, String front, long id, Frames frames, Drained d) {
    if (frames.length() == 0) {
      return;
    }
    if (toSockets) {
      replies.add(socket, front, id, frames.data(), frames.length());
    } else {
      d.toFronts.computeIfAbsent(front, a -> new Replies()).add(id, frames.data(), frames.length());
    }
  }

  /**
   * A read could not be answered because of a fault of ours: its connection gets {@code ERR
   * internal error} after what it was answered before, and nothing more of it is answered.
   */
  private void failOnFault(Message<Batch> msg, Batch batch, int i, boolean remote, Drained d, RuntimeException e) {
    String front = batch.frontAddress();
    long id = batch.connectionId(i);
    if (!d.faultLogged) {
      d.faultLogged = true; // once per drain: a fault that hits every read must not flood the log
      log.error("{}: answering connection {} of {} failed; it gets ERR {}", address, id, front, Failure.internal().reason(), e);
    }
    rejected.add(front, id, Failure.internal(), System.nanoTime());
    if (remote) {
      replyToRemoteFront(msg, new byte[0], 0, Failure.internal());
    } else {
      // none of this read is answered: it may be half transformed
      d.reject(front, id, batch.frames(i).length(), Failure.internal());
    }
  }

  private void sendReplies(Drained d) {
    if (toSockets) {
      writeToSockets(d);
    } else {
      // one message per front: its event loop writes every reply of this drain in one task
      d.toFronts.forEach((front, r) -> bus.send(Addresses.replies(front), r, TO_FRONT));
    }
  }

  /** One message per connection, to its socket's write handler: a task on its event loop, one write. */
  private void writeToSockets(Drained d) {
    replies.drainTo((socket, front, id, reply) -> {
      try {
        bus.send(socket, reply, TO_SOCKET);
      } catch (RuntimeException e) {
        log.error("{}: sending connection {}'s replies failed; it gets ERR {}", address, id, Failure.internal().reason(), e);
        d.reject(front, id, reply.length(), Failure.internal());
      }
    });
  }

  /**
   * After the replies: a socket's write handler and its front share an event loop, whose tasks
   * run in order, so the frames before a failed one are written before the front hears.
   */
  private void sendRejections(Drained d) {
    if (d.rejections != null) {
      d.rejections.forEach((front, r) -> bus.send(Addresses.rejections(front), r, REJECTIONS));
    }
  }

  /** The frames out, and each local batch's wait: its replies all left with the drain's last send. */
  private void recordMetrics(Drained d) {
    metrics.framesOut(d.framesOut);
    long now = System.nanoTime();
    for (int i = 0; i < d.arrivals; i++) {
      latency.record(now - arrivedNanos[i], TimeUnit.NANOSECONDS);
    }
  }

  private void logFrames(Frames frames) {
    byte[] data = frames.data();
    for (int i = 0; i < frames.count(); i++) {
      int s = frames.payloadStart(i);
      int e = frames.payloadEnd(i);
      log.debug("{} frame {} bytes: {}", address, e - s, new String(data, s, e - s, StandardCharsets.UTF_8));
    }
  }

  private void forgetOldRejections() {
    rejected.forgetOld(System.nanoTime());
  }
}
