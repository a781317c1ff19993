package dev.backspin.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.Random;
import java.util.function.IntConsumer;

/**
 * One client connection that writes its bytes in random-size chunks and collects what comes
 * back until it has {@code expected} bytes, or the server closes.
 */
public final class Exchange {

  private Exchange() {
  }

  /** Connects, sends {@code payload} in chunks of 1..{@code maxChunk} bytes, and collects the reply. */
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

  /** Completes with the first {@code expected} bytes received, or everything received before close. */
  public static Future<Buffer> collect(NetSocket socket, int expected) {
    return collect(socket, expected, n -> { });
  }

  /** The same, telling {@code progress} the size of each piece as it arrives. */
  public static Future<Buffer> collect(NetSocket socket, int expected, IntConsumer progress) {
    Promise<Buffer> done = Promise.promise();
    Buffer got = Buffer.buffer(Math.min(expected, 1 << 16)); // a size hint, not a limit
    socket.handler(b -> {
      got.appendBuffer(b);
      progress.accept(b.length());
      if (got.length() >= expected) {
        done.tryComplete(got);
      }
    });
    socket.closeHandler(v -> done.tryComplete(got));
    return done.future();
  }
}
