package dev.backspin.tools;

import dev.backspin.framing.Bytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One bench connection, on the bench's event loop. In {@code rr} mode it keeps one request in
 * flight (sent when the last reply is in, or when due at a fixed rate); in {@code stream} mode up
 * to {@code window} bytes. A {@link ReplyChecker} checks every reply byte. When the measured time
 * ends it stops sending and waits for the replies still owed; those that never come are lost.
 */
final class BenchConnection implements ReplyChecker.Verdicts {

  /** Above this size a request is sent as its stamp plus the shared rest, not copied whole. */
  private static final int COPY_LIMIT = 256;
  private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

  private enum State { READY, RUNNING, DRAINING, DONE }

  private final Vertx vertx;
  private final NetSocket socket;
  private final int id;
  private final BenchMessage message;
  private final BenchStats stats;
  private final boolean stream;
  private final long window;
  private final Consumer<String> complain;
  private final ReplyChecker checker;
  private final Promise<Void> drained = Promise.promise();
  private RequestClock clock = RequestClock.closedLoop();
  private State state = State.READY;
  private boolean closed;
  private boolean failed;
  private boolean excessShown;
  // the last read's bytes, to show what a reply cut short held; reused for each read
  private byte[] read = new byte[64 * 1024];
  private int readLength;
  // the shared rest of a big request, off the heap: epoll writes it as it is, with no copy per send
  private final ByteBuf tail;

  /**
   * Call in the connect callback: the handlers go on at once, since a close handler set after the
   * server closed never runs, and bytes that came before a data handler would go unchecked.
   */
  BenchConnection(Vertx vertx, NetSocket socket, int id, BenchMessage message, BenchStats stats, boolean stream, long window,
                  Consumer<String> complain) {
    this.vertx = vertx;
    this.socket = socket;
    this.id = id;
    this.message = message;
    this.stats = stats;
    this.stream = stream;
    this.window = window;
    this.complain = complain;
    this.checker = new ReplyChecker(message, id);
    this.tail = message.size() <= COPY_LIMIT ? null
      : Unpooled.unreleasableBuffer(Unpooled.directBuffer(message.tail().length).writeBytes(message.tail()));
    stats.open++;
    // Netty's read buffers, checked in one copy of ours, not in the heap copy Vert.x makes of each
    ((StreamChannelInternal) socket).messageHandler(this::onMessage);
    socket.closeHandler(v -> onClose());
    socket.exceptionHandler(e -> fail("I/O error: " + e.getMessage()));
    if (stream) {
      // the window bounds what is in flight; Netty's default 64 KiB mark would stop the pump first
      socket.setWriteQueueMaxSize((int) Math.min(Integer.MAX_VALUE, window));
      // reads as big as the window, as rrload's: Netty's default stops at 64 KiB a read
      ((StreamChannelInternal) socket).channelHandlerContext().channel().config()
        .setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator(64, 2048, (int) Math.max(64 * 1024, Math.min(1 << 20, window))));
      socket.drainHandler(v -> pump());
    }
  }

  /** Starts sending: streaming at once, request/response when {@code clock} says the first is due. */
  void start(RequestClock clock) {
    if (closed) {
      return;
    }
    this.clock = clock;
    state = State.RUNNING;
    if (stream) {
      pump();
    } else {
      sendWhenDue(System.nanoTime());
    }
  }

  /** Stops sending; completes when every reply owed is in, or the connection closed. Never fails. */
  Future<Void> finish() {
    if (state != State.DONE) {
      state = State.DRAINING;
    }
    drainedIfSettled();
    return drained.future();
  }

  /** The end of the grace time: the replies still owed on an open connection are lost. */
  long abandon() {
    state = State.DONE;
    return closed ? 0 : checker.owed();
  }

  private void sendWhenDue(long now) {
    long wait = clock.untilDue(now);
    if (wait <= 0) {
      send(now);
    } else {
      vertx.setTimer(Math.max(1, (wait + 999_999) / 1_000_000), t -> {
        if (state == State.RUNNING) {
          send(System.nanoTime());
        }
      });
    }
  }

  private void send(long now) {
    long seq = checker.send();
    clock.sent(now);
    Future<Void> written;
    if (message.size() <= COPY_LIMIT) {
      written = socket.write(Bytes.wrap(message.request(id, seq), message.size()));
    } else {
      // the stamp in a pooled direct buffer and the shared tail, handed to Netty as they are: it
      // releases them once written (a Vert.x Buffer would make them unreleasable, and leak them)
      byte[] head = message.head(id, seq);
      ByteBuf stamped = ALLOC.directBuffer(head.length).writeBytes(head);
      written = ((StreamChannelInternal) socket).writeMessage(ALLOC.compositeDirectBuffer(2).addComponents(true, stamped, tail.duplicate()));
    }
    written.onFailure(e -> fail("write failed: " + e.getMessage()));
    if (stats.measuring) {
      stats.bytesOut += message.size();
    }
  }

  private void pump() {
    // bounded by the window, and by the socket's write queue
    while (state == State.RUNNING && checker.owedBytes() < window && !socket.writeQueueFull()) {
      send(System.nanoTime());
    }
  }

  private void onMessage(Object msg) {
    try {
      if (msg instanceof ByteBuf b) {
        onData(b);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onData(ByteBuf b) {
    int n = b.readableBytes();
    if (n > read.length) {
      read = new byte[Math.max(n, 2 * read.length)];
    }
    b.getBytes(b.readerIndex(), read, 0, n);
    readLength = n;
    if (stats.measuring) {
      stats.bytesIn += n;
    }
    checker.feed(read, 0, n, this);
    if (stream) {
      pump();
    }
    drainedIfSettled();
  }

  @Override
  public void reply(long seq, boolean ok) {
    if (!ok) {
      stats.mismatches++;
    }
    if (stats.measuring) {
      stats.messages++;
    }
    if (!stream) {
      long now = System.nanoTime();
      long nanos = clock.replied(now);
      if (stats.measuring) {
        stats.latency.recordValue(nanos / 1000);
      }
      if (state == State.RUNNING) {
        sendWhenDue(now);
      }
    }
  }

  @Override
  public void excess(byte[] got, int from, int to) {
    stats.excess += to - from;
    if (!excessShown) {
      excessShown = true;
      complain.accept("connection " + id + ": " + (to - from) + " bytes with no reply owed: " + printable(got, from, to));
    }
  }

  private void onClose() {
    closed = true;
    stats.open--;
    // a reply cut short is often the server's reason: "ERR too many connections"
    String cut = checker.partial() == 0 || readLength == 0 ? ""
      : ", in a reply after " + checker.partial() + " bytes: " + printable(read, Math.max(0, readLength - checker.partial()), readLength);
    if (state == State.READY || state == State.RUNNING) {
      fail("closed by the server" + cut);
    } else if (state == State.DRAINING && checker.owed() > 0) {
      fail("closed by the server with " + checker.owed() + " replies owed" + cut);
    }
    drainedIfSettled();
  }

  private static String printable(byte[] b, int from, int to) {
    int n = Math.min(to - from, 80);
    return "\"" + new String(b, from, n, StandardCharsets.ISO_8859_1).replaceAll("[^\\x20-\\x7e]", "?") + "\"";
  }

  private void drainedIfSettled() {
    if (state == State.DRAINING && (closed || checker.owed() == 0)) {
      drained.tryComplete();
    }
  }

  /** Counts a connection once, however many ways it fails. */
  private void fail(String why) {
    if (!failed) {
      failed = true;
      stats.errors++;
      complain.accept("connection " + id + ": " + why);
    }
  }
}
