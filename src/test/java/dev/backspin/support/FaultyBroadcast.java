package dev.backspin.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A line-framed broadcast relay in a test's own Vert.x, on port 0: each line one connection sends
 * goes to every other connection, as its {@link Fault} says: at once and unchanged, or held back,
 * dropped, doubled or changed. For testing that the fanout tool sees each of these.
 */
public final class FaultyBroadcast {

  /** What the relay does with each line. */
  public interface Fault {
    /** The lines to send every other connection now, in this order, for {@code line} (its newline cut off) from connection {@code conn}. */
    List<byte[]> relay(int conn, byte[] line);
  }

  /** A relay with no fault: every line to every other connection, at once. */
  public static final Fault NONE = (conn, line) -> List.of(line);

  private final NetServer server;

  private FaultyBroadcast(NetServer server) {
    this.server = server;
  }

  public static Future<FaultyBroadcast> start(Vertx vertx, Fault fault) {
    AtomicInteger conns = new AtomicInteger();
    List<NetSocket> sockets = new CopyOnWriteArrayList<>();
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      int conn = conns.incrementAndGet();
      sockets.add(socket);
      socket.closeHandler(v -> sockets.remove(socket));
      RecordParser parser = RecordParser.newDelimited("\n", line -> {
        for (byte[] out : fault.relay(conn, line.getBytes())) {
          Buffer b = Buffer.buffer(out.length + 1).appendBytes(out).appendByte((byte) '\n');
          for (NetSocket s : sockets) {
            if (s != socket) {
              FaultyServer.write(s, b);
            }
          }
        }
      });
      parser.maxRecordSize(1 << 20);
      socket.handler(parser);
    });
    return server.listen(0, "127.0.0.1").map(s -> new FaultyBroadcast(s));
  }

  /** Whether {@code line} is line {@code seq} of fanout sender {@code sender}. */
  public static boolean is(byte[] line, int sender, long seq) {
    return new String(line, StandardCharsets.US_ASCII).startsWith(String.format("S%04d %012d ", sender, seq));
  }

  public int port() {
    return server.actualPort();
  }
}
