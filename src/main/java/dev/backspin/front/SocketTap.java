package dev.backspin.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import dev.backspin.transport.KernelSends;
import dev.backspin.memory.Costs;
import dev.backspin.memory.IntQueue;
import dev.backspin.transport.EpollInterest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.net.NetSocket;

import java.util.function.Consumer;

/**
 * A handler in one connection's Netty pipeline, just before Vert.x's, for what Vert.x's public
 * API does not expose. Reached through Vert.x's internal API, and only here.
 *
 * <ul>
 *   <li><b>Written bytes.</b> Every reply reaches the channel through here, whichever path wrote
 *   it (the connection itself, or Vert.x's consumer on the socket's writeHandlerID). Counting them
 *   is the worker's acknowledgement: it cannot overtake its reply, and bytes Vert.x still queues
 *   count as in flight.</li>
 *   <li><b>Netty's outbound buffer.</b> What it holds is counted from each write until the write
 *   completes (the kernel took it all, or it failed), at its cost ({@link Costs#WRITE}): the
 *   memory budget sees it. Netty completes writes in order, so one queue of sizes matches them.</li>
 *   <li><b>Failed writes.</b> A write that fails means the connection is broken: the connection
 *   hears of it from here, because Vert.x's writeHandlerID consumer ignores the result, and
 *   Netty's io_uring transport (4.2.18) leaves a connection open after a write fails with a reset.</li>
 *   <li><b>Reads.</b> Each read is counted as it goes up to Vert.x, which may hold it in its own
 *   queue while the socket is paused. Pausing turns Netty's reads off here at once: Vert.x's own
 *   pause lets 16 more reads into its queue first.</li>
 *   <li><b>Half-close.</b> A client may shut down its sending side and still read every reply
 *   ({@code printf ... | nc -N}). Netty closes the connection at end of input unless
 *   ALLOW_HALF_CLOSURE is set; the end of input then comes on in band, as an empty read after
 *   every byte read before it. A real read is never empty. The server half-closes its own side
 *   when done, so closing never resets a connection whose replies are still unread.</li>
 * </ul>
 */
final class SocketTap extends ChannelDuplexHandler {

  /** What the tap tells its connection, on the connection's event loop. */
  interface Listener {

    /** {@code bytes} of a write reached the channel. */
    void written(int bytes);

    /** What Netty's outbound buffer holds for this connection changed by {@code cost}. */
    void outbound(long cost);

    /** A write failed: the connection is broken. */
    void writeFailed(Throwable cause);

    /** A read of {@code bytes} went up to Vert.x. */
    void read(int bytes);

    /** The most the next socket read may take now ({@code Integer.MAX_VALUE}: Netty decides). */
    int readLimit();

    /**
     * Whether a write of {@code bytes} is owed to the client. One that is not (a late reply to
     * frames the client was already told had failed) is dropped here, before the channel.
     */
    boolean owed(int bytes);
  }

  static final int READS_PER_TURN = 1;

  private final Listener listener;
  private final IntQueue writes = new IntQueue(); // the cost of each write not yet complete, in order
  private final ChannelFutureListener completed;
  private ChannelHandlerContext ctx;
  private long writtenTotal;
  private long unsentAtClose = -1;
  private long pendingBytes; // of the writes not yet complete

  private SocketTap(Listener listener) {
    this.listener = listener;
    this.completed = f -> {
      int cost = writes.poll();
      pendingBytes -= cost - Costs.WRITE;
      listener.outbound(-cost);
      if (!f.isSuccess()) {
        listener.writeFailed(f.cause());
      }
    };
  }

  /** Installs the tap; {@code listener} hears of writes and reads on the event loop. */
  static SocketTap install(NetSocket socket, Listener listener) {
    Channel ch = channel(socket);
    ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    EpollInterest.keepNonEmpty(ch); // or Netty 4.2.18's epoll loses replies after a half-close
    // a busy connection reads once per event-loop turn, not 16 times: a client sending one line
    // waits for one turn of the others. 1,500 flooding clients (MemoryBudgetIT): a newcomer's worst
    // answer 0.95-0.99 s with one read a turn, 1.2-1.7 s with two; 400 (python flood): 0.55-0.62 s
    // with two, 1.0-1.2 s with Netty's 16
    ch.config().setOption(ChannelOption.MAX_MESSAGES_PER_READ, READS_PER_TURN);
    // after the line above, which needs Netty's own allocator; before the first read, which makes its handle
    ch.config().setRecvByteBufAllocator(new BudgetedReads(ch.config().getRecvByteBufAllocator(), listener::readLimit));
    SocketTap tap = new SocketTap(listener);
    ch.pipeline().addBefore("handler", "backspin-tap", tap);
    return tap;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Turns reading on or off at Netty, at once: a read under way is the last. Vert.x's own
   * pause only stops Netty once its queue holds 16 reads, which is memory nobody accounts for.
   */
  void reading(boolean on) {
    ctx.channel().config().setAutoRead(on);
  }

  /**
   * Whether Netty's buffer for this connection is under its mark. Over it, Vert.x keeps further
   * writes in a queue of its own, before they reach this tap.
   */
  boolean writable() {
    return ctx.channel().isWritable();
  }

  static boolean isEndOfInput(ByteBuf chunk) {
    return !chunk.isReadable();
  }

  /**
   * Sends FIN after every write that passed this tap. An empty write from the tap's own place
   * queues behind them in Netty's buffer, and its promise completes only once they are all out
   * (shutdownOutput drops what is not yet written).
   *
   * @param done told whether the client had already ended its input, once FIN is sent
   * @param failed told when the connection broke first
   */
  void closeOutput(Consumer<Boolean> done, Runnable failed) {
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
      DuplexChannel ch = (DuplexChannel) ctx.channel();
      if (!f.isSuccess()) {
        failed.run();
        return;
      }
      // over TLS, say so first (close_notify), so the client sees a clean end, not a truncation
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      if (ssl == null) {
        ch.shutdownOutput().addListener(g -> done.accept(ch.isInputShutdown()));
      } else {
        ssl.closeOutbound().addListener(g -> ch.shutdownOutput().addListener(h -> done.accept(ch.isInputShutdown())));
      }
    });
  }

  /**
   * A mark that moves whenever output moves: a write reaches the channel, or the client takes
   * bytes from Netty's buffer. Equal marks some seconds apart mean the client is reading nothing.
   */
  long outputMark() {
    return writtenTotal - unsent();
  }

  /**
   * Bytes in Netty's buffer that the kernel has not taken yet: those of the writes not complete,
   * less what the kernel took of the first of them. (Over TLS, plaintext bytes: about.)
   */
  long unsent() {
    ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
    return out == null ? 0 : Math.max(0, pendingBytes - out.currentProgress());
  }

  /** Whether the kernel sent this connection new data within {@code millis}: the client takes bytes ({@link KernelSends}). */
  boolean kernelSentWithin(long millis) {
    return KernelSends.within(ctx.channel(), millis);
  }

  /** Whether our FIN has been sent: every write before it is out. */
  boolean outputClosed() {
    return ((DuplexChannel) ctx.channel()).isOutputShutdown();
  }

  /**
   * Closes now, dropping output the client has not taken. From the tap's place, below Vert.x's
   * handler: Vert.x's own close waits for every byte to be flushed, which a client that reads
   * nothing never lets happen.
   */
  void closeNow() {
    noteUnsentAtClose();
    ctx.close();
  }

  /** Every close that passes the tap (Vert.x's own, as at the drain's forced close) drops what is unsent. */
  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    noteUnsentAtClose();
    ctx.close(promise);
  }

  private void noteUnsentAtClose() {
    if (unsentAtClose < 0) {
      unsentAtClose = unsent(); // Netty forgets its buffer on close
    }
  }

  /**
   * Bytes the server closed the connection on: still in Netty's buffer when it closed them. Zero
   * when the connection was not closed by the server (a reset loses what the client had not taken).
   */
  long unsentAtClose() {
    return Math.max(0, unsentAtClose);
  }

  private static Channel channel(NetSocket socket) {
    return ((StreamChannelInternal) socket).channelHandlerContext().channel();
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    int n = msg instanceof ByteBuf b ? b.readableBytes() : 0;
    if (n > 0 && !listener.owed(n)) {
      ReferenceCountUtil.release(msg);
      promise.trySuccess();
      return;
    }
    if (n > 0) {
      int cost = n + Costs.WRITE;
      writes.add(cost); // before the write: it may complete (fail) at once
      pendingBytes += n;
      listener.outbound(cost);
      promise = promise.unvoid(); // a void promise takes no listener
      promise.addListener(completed);
    }
    ctx.write(msg, promise);
    if (n > 0) {
      writtenTotal += n;
      listener.written(n); // after the write: what it triggers (our FIN) must queue behind it
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b && b.isReadable()) {
      listener.read(b.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ChannelInputShutdownEvent.INSTANCE) {
      ctx.fireChannelRead(Unpooled.EMPTY_BUFFER);
      // close the read cycle: Vert.x holds back flushes while it thinks a read is under way
      ctx.fireChannelReadComplete();
    }
    ctx.fireUserEventTriggered(evt);
  }

  /**
   * Nothing is left to read once the input is shut down: asking would only wake the loop for an
   * end of input already seen (epoll), or read it again.
   */
  @Override
  public void read(ChannelHandlerContext ctx) {
    if (!((DuplexChannel) ctx.channel()).isInputShutdown()) {
      ctx.read();
    }
  }
}
