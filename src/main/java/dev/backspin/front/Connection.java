package dev.backspin.front;

import dev.backspin.errors.Failure;
import dev.backspin.errors.RejectReason;

import dev.backspin.framing.Framing;
import dev.backspin.config.ServiceConfig;
import dev.backspin.framing.Framers;
import dev.backspin.framing.FrameException;
import dev.backspin.framing.Framer;
import dev.backspin.framing.Frames;
import dev.backspin.memory.BudgetLedger;
import dev.backspin.memory.Costs;
import dev.backspin.memory.InFlight;
import dev.backspin.memory.MemoryBudget;
import dev.backspin.errors.ErrorKind;
import dev.backspin.metrics.ServiceMetrics;
import io.vertx.core.Future;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;

/**
 * One client connection on the front. It frames what it reads, hands the frames to its route,
 * and keeps reading bounded: the socket is paused while more than {@code maxInFlightBytes} of
 * frames have no reply on the socket yet, while the socket's write queue is full, or while the
 * server's memory budget is under pressure and this connection holds more than its share; it is
 * resumed when all of that clears.
 *
 * <p>What it holds is counted at its cost and told to its front's {@link BudgetLedger}: its own
 * objects, reads on their way, the framer's partial frame, and its {@link ReceiverBacklog} (what
 * Vert.x and Netty hold to write to it, a broadcast receiver's outbox). A partial frame is the one
 * thing only the server could finish: when the budget is under pressure and that alone is above
 * the share, the client gets {@code ERR server busy}.
 *
 * <p>Closing is orderly: after {@code exit}, a protocol error or the client's end of input, the
 * connection stops reading, waits until every frame already read has been answered, then sends
 * the error (if any) and closes. Event-loop confined: no locking.
 */
public final class Connection {

  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  private static final byte[] EXIT = "exit".getBytes(StandardCharsets.US_ASCII);

  /**
   * OPEN: reading and answering. CLOSING: not reading, waiting for the answers in flight.
   * LINGERING: answers sent and our side half-closed; the client's late input is read and
   * dropped until it closes, because closing with unread input sends a reset, and a reset can
   * destroy replies still waiting in the client's receive buffer. CLOSED: gone.
   */
  private enum State { OPEN, CLOSING, LINGERING, CLOSED }

  private final long id;
  private final NetSocket socket;
  private final Framer framer;
  private final boolean lineMode;
  private final ServiceRoute route;
  // how long a closing connection waits while the client reads nothing: its last replies are then
  // dropped and the connection closed; a client that keeps reading is waited for
  private final long lingerMillis;
  private final boolean repliesAreCredits;
  private final long maxInFlightBytes;
  private final ConnectionOwner owner;
  private final ServiceMetrics metrics;
  private final BudgetLedger ledger;
  private final MemoryBudget budget;

  private State state = State.OPEN;
  private boolean paused;
  private String closingError; // what the client reads after ERR, or null
  private long lingerTimer = -1;
  private SocketTap tap;

  // what this connection holds, at cost: the sum of the parts below, and what Vert.x holds of its reads
  private long held;
  private final InFlight reads = new InFlight(); // frames on their way to an answer
  private long partial;  // the framer's incomplete frame
  private final ReceiverBacklog backlog; // what waits to go to the client
  private boolean waitsForMemory;
  private boolean lastWordsPending; // the ERR line (or the empty write) before FIN is on its way
  private boolean lateReplyLogged;
  // the watchdog: answered bytes so far, what it saw of them last time, and since when nothing moved
  private long answeredTotal;
  private long watchMark;
  private long stuckSinceMillis = -1;
  private final Runnable recheck = this::recheckBudget;

  Connection(long id, NetSocket socket, ServiceConfig cfg, ServiceRoute route, ConnectionOwner owner) {
    this.id = id;
    this.socket = socket;
    this.framer = Framers.create(cfg.framing(), cfg.maxFrameBytes());
    this.lineMode = cfg.framing() == Framing.LINE;
    this.route = route;
    this.lingerMillis = cfg.closingStallMillis();
    this.repliesAreCredits = route.repliesAreCredits();
    this.maxInFlightBytes = cfg.maxInFlightBytes();
    this.owner = owner;
    this.metrics = owner.metrics();
    this.ledger = owner.ledger();
    this.budget = ledger.budget();
    this.backlog = new ReceiverBacklog(cfg.maxQueuedBytes(), budget, this::hold);
  }

  public long id() { return id; }
  /** The event-bus address of this socket's write handler: workers write its replies there. */
  public String writeHandlerID() { return socket.writeHandlerID(); }

  /** The client's port, for tests and logs that tell connections apart. */
  public int remotePort() { return socket.remoteAddress().port(); }

  /**
   * Writes to the client. Its failure is dealt with in the tap, where every write passes whoever
   * made it (Vert.x's consumer on the writeHandlerID ignores the result): {@link Tap#writeFailed}.
   */
  public void write(Buffer data) {
    send(data, data.length());
  }

  /** Writes {@code data}, which takes {@code size} bytes of memory (its array may be larger than it). */
  private Future<Void> send(Buffer data, int size) {
    if (!repliesAreCredits && data.length() > 0) {
      // a delivery: in Vert.x's queue until it reaches the channel (replies count as in flight till then)
      backlog.queued(data.length(), size);
    }
    return socket.write(data);
  }

  /** Closes at once, dropping the output the client has not taken: every caller has sent all it will, or given up. */
  private void closeNow() {
    tap.closeNow();
  }

  /** What this connection holds changed by {@code delta} bytes. */
  private void hold(long delta) {
    if (state != State.CLOSED) { // once closed, onClose has given it all back
      held += delta;
      ledger.change(delta);
    }
  }

  /** What the tap sees below Vert.x. */
  private final class Tap implements SocketTap.Listener {

    @Override
    public void written(int bytes) {
      metrics.bytesOut(bytes);
      if (!repliesAreCredits) {
        backlog.written(bytes);
      } else if (state == State.OPEN || state == State.CLOSING) {
        answered(bytes); // replies to this connection's frames
        afterCredit();
      }
    }

    @Override
    public void outbound(long cost) {
      backlog.outbound(cost);
      if (cost < 0 && waitsForMemory) {
        recheckBudget(); // the client took some: it may be under its share again
      }
    }

    @Override
    public void writeFailed(Throwable cause) {
      log.debug("connection {}: write failed: {}", id, cause.toString());
      closeNow(); // broken: io_uring would leave it open
    }

    @Override
    public void read(int bytes) {
      hold(bytes + Costs.INBOUND); // until Vert.x hands it to onData
    }

    @Override
    public boolean owed(int bytes) {
      if (!repliesAreCredits || bytes <= reads.bytes()) {
        return true; // a delivery (broadcast), or a reply to frames still waiting for one
      }
      if (lastWordsPending && reads.bytes() == 0) {
        lastWordsPending = false; // nothing may follow them
        return true;
      }
      if (!lateReplyLogged) {
        lateReplyLogged = true;
        log.info("connection {} from {}: dropping a late reply of {} bytes ({} owed): its frames were already given up on", id, socket.remoteAddress(), bytes, reads.bytes());
      }
      return false;
    }

    @Override
    public int readLimit() {
      if (!budget.underPressure()) {
        return Integer.MAX_VALUE;
      }
      return (int) Math.max(0, Math.min(Integer.MAX_VALUE, budget.share() - held));
    }
  }

  void start() {
    hold(Costs.CONNECTION);
    tap = SocketTap.install(socket, new Tap());
    // Netty's own read buffers, not Vert.x's heap copy of each: the framer copies out what it keeps
    ((NetSocketInternal) socket).messageHandler(this::onMessage);
    socket.endHandler(v -> beginClosing());
    socket.closeHandler(v -> onClose());
    socket.exceptionHandler(e -> {
      metrics.error(e instanceof SSLException ? ErrorKind.TLS : ErrorKind.IO);
      log.debug("connection {} from {}: {}", id, socket.remoteAddress(), e.toString(), e);
    });
    socket.drainHandler(v -> {
      flushOutbox();
      updateFlow();
    });
    // server shutdown: keep serving until the drain time runs out, then close in order
    socket.shutdownHandler(timeout -> owner.vertx().setTimer(Math.max(1, owner.drainMillis()), t -> {
      if (state == State.OPEN) {
        owner.closedAtDeadline(this);
        beginClosing();
      }
    }));
  }

  /** Turns the connection away with {@code ERR <reason>}, closing it in the same orderly way. */
  void refuse(RejectReason why) {
    start();
    beginClosing(why.reason());
  }

  /** A read from Netty's pipeline: this connection owns it, and releases it once framed. */
  private void onMessage(Object msg) {
    try {
      if (msg instanceof ByteBuf chunk) {
        onData(chunk);
      } else {
        log.debug("connection {}: ignoring a {} from the pipeline", id, msg.getClass().getName());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onData(ByteBuf chunk) {
    if (SocketTap.isEndOfInput(chunk)) {
      onEndOfInput();
      return;
    }
    int n = chunk.readableBytes();
    hold(-(n + Costs.INBOUND)); // counted by the tap on its way up; the framer takes what it keeps
    metrics.bytesIn(n);
    if (state != State.OPEN) {
      return; // after exit or an error: not answered
    }
    Frames frames;
    try {
      frames = framer.feed(chunk);
    } catch (FrameException e) {
      onBadInput(e);
      return;
    }
    updatePartial();
    if (frames != null) {
      onFrames(frames, null);
    } else {
      updateFlow(); // a partial frame grew
    }
  }

  private void onEndOfInput() {
    log.debug("connection {} from {}: end of input (state {}, {} bytes in flight)", id, socket.remoteAddress(), state, reads.bytes());
    if (state == State.OPEN) {
      beginClosing(); // answer what was read, then close
    } else if (state == State.LINGERING && tap.outputClosed()) {
      closeNow(); // both sides have sent FIN; before ours, closeOutput closes once it is sent
    }
  }

  /** The input broke the protocol: the frames before the bad one are still answered, then ERR and close. */
  private void onBadInput(FrameException e) {
    log.warn("connection {} from {}: {}; closing it", id, socket.remoteAddress(), e.failure().reason());
    metrics.error(e.failure().kind());
    framer.discardPending();
    updatePartial();
    onFrames(e.completed(), e.failure());
  }

  private void updatePartial() {
    long now = framer.pendingCapacity();
    hold(now - partial);
    partial = now;
  }

  /** Sends complete frames on; then closes after {@code exit} or the error that followed them. */
  private void onFrames(Frames frames, Failure error) {
    int exitAt = frames != null && lineMode ? frames.indexOf(EXIT) : -1;
    if (exitAt >= 0) {
      frames.truncate(exitAt);
      log.debug("connection {} from {} sent exit", id, socket.remoteAddress());
    }
    if (frames != null && frames.count() > 0) {
      dispatch(frames);
    }
    if (exitAt >= 0) {
      beginClosing(); // exit came first: the error after it is not heard
    } else if (error != null) {
      beginClosing(error);
    } else {
      updateFlow();
    }
  }

  private void dispatch(Frames frames) {
    hold(reads.add(frames.length(), frames.data().length)); // before the route: echo answers at once
    metrics.framesIn(frames.count());
    route.send(this, frames);
  }

  /** {@code bytes} of this connection's frames were answered, or never will be. */
  private void answered(long bytes) {
    answeredTotal += bytes;
    hold(-reads.answered(bytes));
  }

  /**
   * The front's watchdog looks, every second or so. Frames wait for their answers in order, so if
   * none of them has been answered for {@code boundMillis} while some wait, the oldest has waited
   * that long: its answer was lost (a message dropped, a fault in a worker), and the client gets
   * {@code ERR no answer in time}. A client that does not read holds its own replies back: not
   * waiting, whether they wait in Netty's buffer or, behind it, in Vert.x's.
   */
  void watch(long nowMillis, long boundMillis) {
    if (state != State.OPEN && state != State.CLOSING) {
      return;
    }
    // a reply held back because the client reads nothing is not lost: Vert.x 5 queues writes of
    // its own while Netty's buffer is over its mark, before writeQueueFull() says so
    boolean waits = reads.bytes() > 0 && !(repliesAreCredits && (socket.writeQueueFull() || !tap.writable()));
    if (!waits || answeredTotal != watchMark) {
      watchMark = answeredTotal;
      stuckSinceMillis = waits ? nowMillis : -1;
      return;
    }
    if (stuckSinceMillis < 0) {
      stuckSinceMillis = nowMillis;
    } else if (nowMillis - stuckSinceMillis >= boundMillis) {
      log.warn("connection {} from {}: {} bytes of frames got no answer in {} ms; closing it with ERR no answer in time",
        id, socket.remoteAddress(), reads.bytes(), nowMillis - stuckSinceMillis);
      stuckSinceMillis = -1;
      rejected((int) Math.min(Integer.MAX_VALUE, reads.bytes()), Failure.noAnswer());
    }
  }

  /** The route dealt with {@code bytes} of this connection's frames, and no reply is owed. */
  public void settled(int bytes) {
    answered(bytes);
    afterCredit();
  }

  /**
   * Takes frames that another client sent (broadcast) into this receiver's outbox, which the
   * front hands to the socket at the end of the event-loop cycle, or once the socket drains. A
   * receiver whose backlog passes {@code maxQueuedBytes}, or its share while the memory budget is
   * under pressure, is cut off as too slow: a receiver cannot be paused. Returns whether the
   * frames were taken (a closing receiver gets none).
   */
  public boolean deliver(byte[] data, int length) {
    // a route whose replies are credits takes them back as they are written, not as deliveries
    assert !repliesAreCredits : "deliver() is for receivers whose replies are not credits (broadcast)";
    if (state != State.OPEN) {
      return false;
    }
    if (backlog.add(data, length)) {
      owner.flushSoon(this);
    }
    if (backlog.tooSlow()) {
      disconnectTooSlow();
    }
    return true;
  }

  /** Hands the outbox to the socket, unless the socket is full while open (its drain comes back here). */
  void flushOutbox() {
    if (backlog.outboxEmpty() || state == State.CLOSED || (state == State.OPEN && socket.writeQueueFull())) {
      return;
    }
    socket.write(backlog.handOver()); // a failed write reaches the tap: Tap#writeFailed
  }

  /**
   * Disconnects a receiver that cannot keep up, with {@code ERR too slow} after what is already on
   * its way to the socket; its outbox, not yet handed over, is dropped, so the memory frees now.
   */
  private void disconnectTooSlow() {
    if (state == State.OPEN) {
      String behind = backlog.describe();
      int dropped = backlog.dropOutbox();
      log.warn("connection {} from {}: too slow, {}; disconnecting it, dropping the {} bytes not yet handed to its socket",
        id, socket.remoteAddress(), behind, dropped);
      metrics.error(ErrorKind.SLOW_RECEIVER);
      metrics.slowReceiverDisconnected();
      beginClosing(Failure.tooSlow());
    }
  }

  /** {@code bytes} of this connection's frames will get no reply, because of {@code reason}. */
  public void rejected(int bytes, Failure reason) {
    answered(bytes);
    // counted once per connection: batches already on the way are rejected after the first
    if (state == State.OPEN) {
      metrics.error(reason.kind());
      log.warn("connection {} from {}: {}; closing it", id, socket.remoteAddress(), reason.reason());
      beginClosing(reason);
    } else {
      if (state == State.CLOSING && closingError == null) {
        metrics.error(reason.kind());
        closingError = reason.reason(); // the client ended its input; it still hears why a frame failed
      }
      afterCredit();
    }
  }

  private void afterCredit() {
    if (state == State.CLOSING) {
      closeWhenAnswered();
    } else {
      updateFlow();
    }
  }

  /** Stops reading, answers what was read, then closes in order (see {@link #closeWhenAnswered}). */
  private void beginClosing() {
    beginClosing((String) null);
  }

  /** As {@link #beginClosing()}, and then the client reads {@code ERR} and why, if {@code error} is not null. */
  private void beginClosing(Failure error) {
    beginClosing(error == null ? null : error.reason());
  }

  private void beginClosing(String error) {
    if (state != State.OPEN) {
      return;
    }
    state = State.CLOSING;
    closingError = error;
    waitForMemory(false);
    reading(false);
    closeWhenClientStalls(tap.outputMark());
    closeWhenAnswered();
  }

  private void closeWhenAnswered() {
    if (reads.bytes() > 0 || state != State.CLOSING) {
      return;
    }
    state = State.LINGERING;
    // The shutdown handler stays: without it a server shutdown would close this connection at
    // once and drop the replies Netty still holds. Closing goes below Vert.x (closeNow).
    flushOutbox(); // a broadcast receiver's backlog goes before its last words
    Buffer last = closingError != null ? framer.errorReply(closingError) : Buffer.buffer();
    lastWordsPending = last.length() > 0;
    // Through the socket, not the tap: Vert.x may still hold writes that have not reached the
    // channel (a broadcast receiver's backlog), and the last words and FIN must come after them.
    send(last, last.length()).onComplete(w -> {
      if (w.failed()) {
        closeNow();
        return;
      }
      tap.closeOutput(inputEnded -> {
        if (inputEnded) {
          closeNow(); // both sides have sent FIN and all input was read: nothing to wait for
        }
      }, this::closeNow);
    });
    reading(true);
  }

  /**
   * Once closing, closes the connection when the client has taken none of its output for
   * {@code closingStallMillis}. Replies still coming from the workers are waited for: that is not the client's
   * doing (a remote worker may take several seconds).
   */
  private void closeWhenClientStalls(long mark) {
    lingerTimer = owner.vertx().setTimer(lingerMillis, t -> {
      long now = tap.outputMark();
      long unsent = tap.unsent();
      boolean outputWaits = unsent > 0 || socket.writeQueueFull(); // in Netty's buffer or in Vert.x's queue
      if (now != mark || (state == State.CLOSING && !outputWaits) || tap.kernelSentWithin(lingerMillis)) {
        // still reading (Netty's buffer moved, or the kernel sent it data), or waiting for the
        // workers, not for the client
        closeWhenClientStalls(now);
        return;
      }
      if (unsent > 0) {
        log.info("connection {} from {}: read nothing for {} ms while closing; closing it, dropping about {} bytes it did not take", id, socket.remoteAddress(), lingerMillis, unsent);
      } else {
        log.debug("connection {} from {}: client did not close within {} ms of the last answer; closing", id, socket.remoteAddress(), lingerMillis);
      }
      closeNow();
    });
  }

  private void onClose() {
    log.debug("connection {} from {} closed (state {}, {} bytes in flight)", id, socket.remoteAddress(), state, reads.bytes());
    // replies to reverse and echo frames not yet at the channel are still unanswered reads
    owner.closedWith(reads.bytes(), tap.unsentAtClose() + backlog.aboveNetty());
    waitForMemory(false);
    hold(-held); // all of it goes: late completions are not counted again (hold ignores a closed connection)
    state = State.CLOSED;
    reads.clear();
    if (lingerTimer >= 0) {
      owner.vertx().cancelTimer(lingerTimer);
    }
    owner.closed(this);
  }

  /** Stops or starts reading, at Netty at once (the tap) and in Vert.x. */
  private void reading(boolean on) {
    if (on) {
      // Netty first: resuming may hand queued reads on at once, and one of them may pause us again
      tap.reading(true);
      socket.resume();
    } else {
      socket.pause();
      tap.reading(false);
    }
  }

  /** The pressure ended, or this connection's front looks again now and then. */
  private void recheckBudget() {
    if (state != State.OPEN) {
      waitForMemory(false);
      return;
    }
    if (!repliesAreCredits && backlog.overShare()) {
      disconnectTooSlow();
      return;
    }
    updateFlow();
  }

  private void waitForMemory(boolean waits) {
    if (waits != waitsForMemory) {
      waitsForMemory = waits;
      ledger.waiting(recheck, waits);
    }
  }

  private void updateFlow() {
    if (state != State.OPEN) {
      return;
    }
    boolean overShare = false;
    if (budget.underPressure()) {
      long share = budget.share();
      overShare = held > share;
      // over its share with a partial frame, and nothing of it will drain by itself: only reading
      // more could finish the frame, and it may not read, so it would wait for good
      if (partial > 0 && (partial > share || (overShare && !drains()))) {
        turnAwayBusy(share);
        return;
      }
    }
    waitForMemory(overShare);
    boolean stop = overShare || reads.bytes() >= maxInFlightBytes || socket.writeQueueFull();
    if (stop != paused) {
      paused = stop;
      reading(!stop);
    }
  }

  /** Whether some of what it holds will go without its reading more: answers on their way, output. */
  private boolean drains() {
    return reads.bytes() > 0 || backlog.drains();
  }

  /**
   * Its partial frame cannot grow within the budget, and only reading more would finish it:
   * waiting could hold the memory for good, so the client hears why, and can come back.
   */
  private void turnAwayBusy(long share) {
    log.debug("connection {} from {}: partial frame of {} bytes ({} held in all), over its share of {} while the memory budget is under pressure; closing it with ERR server busy",
      id, socket.remoteAddress(), partial, held, share);
    metrics.error(ErrorKind.SERVER_BUSY);
    budget.turnedAway();
    framer.discardPending();
    updatePartial();
    beginClosing(Failure.serverBusy());
  }
}
