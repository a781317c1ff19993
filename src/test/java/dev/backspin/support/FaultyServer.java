package dev.backspin.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A line-framed reverse server in a test's own Vert.x, on port 0, that misbehaves on purpose as
 * its {@link Fault} says: it corrupts, drops, duplicates or holds replies, or refuses or closes a
 * connection. For testing that the load generator sees each of these.
 */
public final class FaultyServer {

  private static final Logger log = LoggerFactory.getLogger(FaultyServer.class);

  /** What the server does with each connection and each line. */
  public interface Fault {
    /** Connection {@code conn} (from 1) is open: false when the fault has refused or closed it. */
    default boolean accepted(Vertx vertx, NetSocket socket, int conn) {
      return true;
    }

    /** Answers line {@code n} (from 1) of connection {@code conn}; {@code reply} is the right answer. */
    void answer(NetSocket socket, int conn, long n, Buffer reply);
  }

  /** A server with no fault: every line answered right, at once. */
  public static final Fault NONE = (socket, conn, n, reply) -> write(socket, reply);

  private final NetServer server;

  private FaultyServer(NetServer server) {
    this.server = server;
  }

  public static Future<FaultyServer> start(Vertx vertx, Fault fault) {
    AtomicInteger conns = new AtomicInteger();
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      int conn = conns.incrementAndGet();
      if (!fault.accepted(vertx, socket, conn)) {
        return;
      }
      long[] lines = {0};
      RecordParser parser = RecordParser.newDelimited("\n", line -> {
        byte[] b = line.getBytes();
        byte[] r = new byte[b.length + 1];
        for (int i = 0; i < b.length; i++) {
          r[i] = b[b.length - 1 - i];
        }
        r[b.length] = '\n';
        fault.answer(socket, conn, ++lines[0], Buffer.buffer(r));
      });
      parser.maxRecordSize(1 << 20);
      socket.handler(parser);
    });
    return server.listen(0, "127.0.0.1").map(s -> new FaultyServer(s));
  }

  /** Writes, and logs a write that failed (the bench may close first). */
  public static void write(NetSocket socket, Buffer b) {
    socket.write(b).onFailure(e -> log.info("write failed: {}", e.getMessage()));
  }

  /** Closes, and logs a close that failed. */
  public static void close(NetSocket socket) {
    socket.close().onFailure(e -> log.info("close failed: {}", e.getMessage()));
  }

  public int port() {
    return server.actualPort();
  }
}
