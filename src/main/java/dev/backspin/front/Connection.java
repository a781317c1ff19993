package dev.backspin.front;

import dev.backspin.config.Framing;
import dev.backspin.config.ServiceConfig;
import dev.backspin.framing.Framers;
import dev.backspin.framing.FrameException;
import dev.backspin.framing.Framer;
import dev.backspin.framing.Frames;
import dev.backspin.metrics.ErrorKind;
import dev.backspin.metrics.ServiceMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;

/**
 * One client connection on the front. It frames what it reads, hands the frames to its route,
 * and keeps reading bounded: the socket is paused while more than {@code maxInFlightBytes} of
 * frames have no reply on the socket yet, or while the socket's write queue is full, and resumed
 * when both clear.
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

  /**
   * How long a closing connection waits while the client reads nothing: its last replies are
   * then dropped and the connection closed. A client that keeps reading is waited for.
   */
  static final long LINGER_MILLIS = 5_000;

  private final long id;
  private final NetSocket socket;
  private final Framer framer;
  private final boolean lineMode;
  private final ServiceRoute route;
  private final boolean repliesAreCredits;
  private final long maxInFlightBytes;
  private final long maxQueuedBytes;
  private final ConnectionOwner owner;
  private final ServiceMetrics metrics;

  private State state = State.OPEN;
  private long inFlight;
  private boolean paused;
  private String closingError;
  private long lingerTimer = -1;
  private SocketTap tap;

  private long queued; // deliveries (broadcast) handed to the socket, not yet passed to Netty

  Connection(long id, NetSocket socket, ServiceConfig cfg, ServiceRoute route, ConnectionOwner owner) {
    this.id = id;
    this.socket = socket;
    this.framer = Framers.create(cfg.framing(), cfg.maxFrameBytes());
    this.lineMode = cfg.framing() == Framing.LINE;
    this.route = route;
    this.repliesAreCredits = route.repliesAreCredits();
    this.maxInFlightBytes = cfg.maxInFlightBytes();
    this.maxQueuedBytes = cfg.maxQueuedBytes();
    this.owner = owner;
    this.metrics = owner.metrics();
  }

  public long id() { return id; }
  public NetSocket socket() { return socket; }

  /**
   * Writes to the client. Its failure is dealt with in the tap, where every write passes whoever
   * made it (Vert.x's consumer on the writeHandlerID ignores the result): {@link #writeFailed}.
   */
  public void write(Buffer data) {
    socket.write(data);
  }

  /** A write failed: the connection is broken, so close it (io_uring would leave it open). */
  private void writeFailed(Throwable e) {
    log.debug("connection {}: write failed: {}", id, e.toString());
    close();
  }

  /** Every caller has either sent all output or given up on it: nothing is left to flush. */
  private void close() {
    tap.closeNow();
  }

  void start() {
    tap = SocketTap.install(socket, this::written, this::writeFailed);
    socket.handler(this::onData);
    socket.endHandler(v -> finish(null));
    socket.closeHandler(v -> onClose());
    socket.exceptionHandler(e -> {
      metrics.error(e instanceof SSLException ? ErrorKind.TLS : ErrorKind.IO);
      log.debug("connection {} from {}: {}", id, socket.remoteAddress(), e.toString(), e);
    });
    socket.drainHandler(v -> updateFlow());
    // server shutdown: keep serving until the drain time runs out, then close in order
    socket.shutdownHandler(timeout -> owner.vertx().setTimer(Math.max(1, owner.drainMillis()), t -> {
      if (state == State.OPEN) {
        owner.closedAtDeadline(this);
        finish(null);
      }
    }));
  }

  /** Turns the connection away with {@code ERR <reason>}, closing it in the same orderly way. */
  void refuse(String reason) {
    start();
    finish(reason);
  }

  private void onData(Buffer chunk) {
    if (SocketTap.isEndOfInput(chunk)) {
      log.debug("connection {} from {}: end of input (state {}, {} bytes in flight)", id, socket.remoteAddress(), state, inFlight);
      if (state == State.OPEN) {
        finish(null); // answer what was read, then close
      } else if (state == State.LINGERING && tap.outputClosed()) {
        close(); // both sides have sent FIN; before ours, closeOutput closes once it is sent
      }
      return;
    }
    metrics.bytesIn(chunk.length());
    if (state != State.OPEN) {
      return; // after exit or an error: not answered
    }
    try {
      Frames frames = framer.feed(chunk);
      if (frames != null) {
        onFrames(frames, null);
      }
    } catch (FrameException e) {
      log.warn("connection {} from {}: {}; closing it", id, socket.remoteAddress(), e.reason());
      metrics.error(ErrorKind.of(e.reason()));
      onFrames(e.completed(), e.reason()); // the frames before the bad one are still answered
    }
  }

  /** Sends complete frames on; then closes after {@code exit} or the error that followed them. */
  private void onFrames(Frames frames, String error) {
    int exitAt = frames != null && lineMode ? frames.indexOf(EXIT) : -1;
    if (exitAt >= 0) {
      frames.truncate(exitAt);
      error = null; // exit came first
      log.debug("connection {} from {} sent exit", id, socket.remoteAddress());
    }
    if (frames != null && frames.count() > 0) {
      dispatch(frames);
    }
    if (exitAt >= 0 || error != null) {
      finish(error);
    } else {
      updateFlow();
    }
  }

  private void dispatch(Frames frames) {
    inFlight += frames.length();
    metrics.framesIn(frames.count());
    route.send(this, frames);
  }

  /** Bytes reached the channel: replies to this connection's frames, or deliveries to it. */
  private void written(int bytes) {
    metrics.bytesOut(bytes);
    if (!repliesAreCredits) {
      queued -= bytes;
    } else if (state == State.OPEN || state == State.CLOSING) {
      inFlight -= bytes;
      afterCredit();
    }
  }

  /** The route dealt with {@code bytes} of this connection's frames, and no reply is owed. */
  public void settled(int bytes) {
    inFlight -= bytes;
    afterCredit();
  }

  /**
   * Writes frames that another client sent (broadcast). A receiver whose backlog passes
   * {@code maxQueuedBytes} is cut off as too slow, so it cannot hold up the others or the heap.
   * Returns whether the frames were written (a closing receiver gets none).
   */
  public boolean deliver(Buffer frames) {
    if (state != State.OPEN) {
      return false;
    }
    queued += frames.length();
    write(frames);
    if (queued > maxQueuedBytes) {
      tooSlow();
    }
    return true;
  }

  /** Disconnects a receiver that cannot keep up, with {@code ERR too slow}. */
  public void tooSlow() {
    if (state == State.OPEN) {
      log.warn("connection {} from {}: too slow, {} bytes waiting (max {}); disconnecting it", id, socket.remoteAddress(), queued, maxQueuedBytes);
      metrics.error(ErrorKind.SLOW_RECEIVER);
      metrics.slowReceiverDisconnected();
      finish("too slow");
    }
  }

  /** {@code bytes} of this connection's frames will get no reply, because of {@code reason}. */
  public void rejected(int bytes, String reason) {
    inFlight -= bytes;
    // counted once per connection: batches already on the way are rejected after the first
    if (state == State.OPEN) {
      metrics.error(ErrorKind.of(reason));
      log.warn("connection {} from {}: {}; closing it", id, socket.remoteAddress(), reason);
      finish(reason);
    } else {
      if (state == State.CLOSING && closingError == null) {
        metrics.error(ErrorKind.of(reason));
        closingError = reason; // the client ended its input; it still hears why a frame failed
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

  private void finish(String error) {
    if (state != State.OPEN) {
      return;
    }
    state = State.CLOSING;
    closingError = error;
    socket.pause();
    closeWhenClientStalls(tap.outputMark());
    closeWhenAnswered();
  }

  private void closeWhenAnswered() {
    if (inFlight > 0 || state != State.CLOSING) {
      return;
    }
    state = State.LINGERING;
    // The shutdown handler stays: without it a server shutdown would close this connection at
    // once and drop the replies Netty still holds. Closing goes below Vert.x (closeNow).
    Buffer last = closingError != null ? framer.errorReply(closingError) : Buffer.buffer();
    // Through the socket, not the tap: Vert.x may still hold writes that have not reached the
    // channel (a broadcast receiver's backlog), and the last words and FIN must come after them.
    socket.write(last).onComplete(w -> {
      if (w.failed()) {
        close();
        return;
      }
      tap.closeOutput(inputEnded -> {
        if (inputEnded) {
          close(); // both sides have sent FIN and all input was read: nothing to wait for
        }
      }, this::close);
    });
    socket.resume();
  }

  /**
   * Once closing, closes the connection when the client has taken none of its output for
   * LINGER_MILLIS. Replies still coming from the workers are waited for: that is not the client's
   * doing (a remote worker may take several seconds).
   */
  private void closeWhenClientStalls(long mark) {
    lingerTimer = owner.vertx().setTimer(LINGER_MILLIS, t -> {
      long now = tap.outputMark();
      long unsent = tap.unsent();
      boolean outputWaits = unsent > 0 || socket.writeQueueFull(); // in Netty's buffer or in Vert.x's queue
      if (now != mark || (state == State.CLOSING && !outputWaits)) {
        closeWhenClientStalls(now); // still reading, or waiting for the workers, not for the client
        return;
      }
      if (unsent > 0) {
        log.info("connection {} from {}: read nothing for {} ms while closing; closing it, dropping about {} bytes it did not take", id, socket.remoteAddress(), LINGER_MILLIS, unsent);
      } else {
        log.debug("connection {} from {}: client did not close within {} ms of the last answer; closing", id, socket.remoteAddress(), LINGER_MILLIS);
      }
      close();
    });
  }

  private void onClose() {
    log.debug("connection {} from {} closed (state {}, {} bytes in flight)", id, socket.remoteAddress(), state, inFlight);
    if (inFlight > 0) {
      owner.closedUnanswered(this);
    }
    state = State.CLOSED;
    if (lingerTimer >= 0) {
      owner.vertx().cancelTimer(lingerTimer);
    }
    owner.closed(this);
  }

  private void updateFlow() {
    if (state != State.OPEN) {
      return;
    }
    boolean stop = inFlight >= maxInFlightBytes || socket.writeQueueFull();
    if (stop != paused) {
      paused = stop;
      if (stop) {
        socket.pause();
      } else {
        socket.resume();
      }
    }
  }
}
