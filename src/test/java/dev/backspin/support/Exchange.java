package dev.backspin.support;

import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.StreamChannelInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * One client connection that writes its bytes in random-size chunks and collects what comes
 * back. Once the expected bytes are in, the client ends its input (a half-close, as
 * {@code nc -N} does) and reads on to the server's close: the result is everything the server
 * sent, so a duplicated or stray reply makes it longer than expected, and an exact comparison
 * fails. A server that does not close once the client's input ends fails too: the result never
 * comes.
 */
public final class Exchange {

  private Exchange() {
  }

  /** Connects, sends {@code payload} in chunks of 1..{@code maxChunk} bytes, and collects the reply to the server's close. */
  public static Future<Buffer> run(NetClient client, int port, byte[] payload, int expected, int maxChunk, Random rnd) {
    return client.connect(port, "127.0.0.1").compose(socket -> {
      Future<Buffer> reply = collect(socket, expected);
      int pos = 0;
      while (pos < payload.length) {
        int n = Math.min(payload.length - pos, 1 + rnd.nextInt(maxChunk));
        socket.write(Buffer.buffer().appendBytes(payload, pos, n));
        pos += n;
      }
      return reply.eventually(socket::close);
    });
  }

  /**
   * Once {@code expected} bytes have arrived, ends this client's input, then completes with every
   * byte received until the server closes: the expected ones and whatever came after them. If
   * the server closes first, completes with what came before the close.
   */
  public static Future<Buffer> collect(NetSocket socket, int expected) {
    return collect(socket, expected, n -> { });
  }

  /** The same, telling {@code progress} the size of each piece as it arrives. */
  public static Future<Buffer> collect(NetSocket socket, int expected, IntConsumer progress) {
    return collect(socket, expected, progress, Future.succeededFuture());
  }

  /**
   * The same, ending this client's input only once {@code sent} has completed too: for a client
   * whose expected bytes may all arrive while another thread is still writing to it (a broadcast
   * receiver is sent the others' frames, not answers to its own), so that FIN cannot overtake
   * writes not yet made. Complete {@code sent} on the writing thread after its last write.
   */
  public static Future<Buffer> collect(NetSocket socket, int expected, IntConsumer progress, Future<?> sent) {
    Promise<Buffer> done = Promise.promise();
    Buffer got = Buffer.buffer(Math.min(expected, 1 << 16)); // a size hint, not a limit
    AtomicBoolean allIn = new AtomicBoolean(); // set on the socket's event loop, read where sent completes
    AtomicBoolean ended = new AtomicBoolean();
    Runnable endWhenBoth = () -> {
      if (allIn.get() && sent.isComplete() && ended.compareAndSet(false, true)) {
        endInput(socket); // queued on the event loop, behind writes made before sent completed
      }
    };
    socket.handler(b -> {
      got.appendBuffer(b);
      progress.accept(b.length());
      if (got.length() >= expected && !allIn.get()) {
        allIn.set(true);
        endWhenBoth.run();
      }
    });
    sent.onComplete(v -> endWhenBoth.run());
    socket.closeHandler(v -> done.tryComplete(got.copy()));
    return done.future();
  }

  /**
   * Completes with the first {@code expected} bytes received (more, if more came in the same
   * read), or everything received before close, and leaves the connection open. It cannot see a
   * byte that comes later: only for a conversation that goes on over the same connection, whose
   * next step then sees such bytes. Prefer {@link #collect}.
   */
  public static Future<Buffer> collectFirst(NetSocket socket, int expected) {
    Promise<Buffer> done = Promise.promise();
    Buffer got = Buffer.buffer(Math.min(expected, 1 << 16));
    socket.handler(b -> {
      got.appendBuffer(b);
      if (got.length() >= expected) {
        done.tryComplete(got.copy());
      }
    });
    socket.closeHandler(v -> done.tryComplete(got.copy()));
    return done.future();
  }

  /**
   * Shuts this client's sending side once every write before it is out. The empty write goes
   * through Vert.x, behind the socket's earlier writes (those from other threads wait in Vert.x's
   * queue for the event loop), and completes once Netty has written them all; shutdownOutput
   * alone would drop what is still queued. The server reads the end of input, answers what it
   * read and closes.
   */
  public static void endInput(NetSocket socket) {
    DuplexChannel ch = (DuplexChannel) ((StreamChannelInternal) socket).channelHandlerContext().channel();
    // A task, even on the event loop: writes from other threads wait as tasks in its queue, and an
    // empty write made in a read handler would overtake them (then FIN would cut them off).
    ch.eventLoop().execute(() -> socket.write(Buffer.buffer()).onSuccess(v -> ch.shutdownOutput()));
  }
}
