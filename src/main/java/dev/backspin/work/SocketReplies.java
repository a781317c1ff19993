package dev.backspin.work;

import dev.backspin.framing.Bytes;
import io.vertx.core.buffer.Buffer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One worker drain's replies, grouped by socket: each socket's reversed reads, in the order they
 * came, become one buffer for that socket's {@code writeHandlerID}. One event-bus message and one
 * socket write per connection per drain, however many reads it had in the drain. Nothing is
 * copied: a reply is a view over the batches' own arrays, {@code [0, length)} of each.
 */
public final class SocketReplies {

  /** One socket's reads in this drain. */
  private static final class Parts {
    private final String front;
    private final long connectionId;
    private byte[][] data = new byte[2][];
    private int[] lengths = new int[2];
    private int count;

    Parts(String front, long connectionId) {
      this.front = front;
      this.connectionId = connectionId;
    }

    void add(byte[] d, int length) {
      if (count == data.length) {
        data = Arrays.copyOf(data, 2 * count);
        lengths = Arrays.copyOf(lengths, 2 * count);
      }
      data[count] = d;
      lengths[count] = length;
      count++;
    }

    Buffer joined() {
      return Bytes.wrap(data, lengths, 0, count);
    }
  }

  private final Map<String, Parts> bySocket = new HashMap<>();
  // a connection's reads mostly come one after another: skip the lookup then
  private String lastSocket;
  private Parts last;

  /** One socket's joined reply, and whose it is. */
  @FunctionalInterface
  public interface Sink {
    void reply(String socket, String front, long connectionId, Buffer reply);
  }

  /** Adds {@code data[0, length)} to what {@code socket} (the writeHandlerID of {@code front}'s connection {@code connectionId}) is owed. */
  public void add(String socket, String front, long connectionId, byte[] data, int length) {
    if (socket != lastSocket) {
      lastSocket = socket;
      last = bySocket.computeIfAbsent(socket, s -> new Parts(front, connectionId));
    }
    last.add(data, length);
  }

  /** Hands each socket its joined reply, then forgets them all for the next drain. */
  public void drainTo(Sink write) {
    bySocket.forEach((socket, parts) -> write.reply(socket, parts.front, parts.connectionId, parts.joined()));
    bySocket.clear();
    lastSocket = null;
    last = null;
  }
}
