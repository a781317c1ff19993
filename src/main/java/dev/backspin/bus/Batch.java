package dev.backspin.bus;

import dev.backspin.framing.Frames;

import java.util.Arrays;

/**
 * Frames on their way to one worker shard from one front: the reads of one event-loop cycle,
 * in order, each with its connection. One message per cycle and shard, not one per read, so the
 * worker thread wakes once for all of them. A front on another node sends one read at a time.
 * Each read carries its socket's {@code writeHandlerID}, where the worker writes its reply (local
 * path only: that address never leaves its node, so the wire form drops it). Rejections go back to
 * {@code frontAddress}.
 */
public final class Batch {

  private final String frontAddress;
  private long[] connectionIds;
  private String[] sockets;
  private Frames[] frames;
  private int size;
  private long bytes;

  public Batch(String frontAddress) {
    this(frontAddress, 4);
  }

  Batch(String frontAddress, int capacity) {
    this.frontAddress = frontAddress;
    this.connectionIds = new long[Math.max(1, capacity)];
    this.sockets = new String[Math.max(1, capacity)];
    this.frames = new Frames[Math.max(1, capacity)];
  }

  /** A batch of one connection's read, for a worker that answers by reply (another node's). */
  public static Batch of(String frontAddress, long connectionId, Frames frames) {
    Batch b = new Batch(frontAddress, 1);
    b.add(connectionId, null, frames);
    return b;
  }

  /** @param socket the connection's writeHandlerID, or null where the worker answers by reply */
  public void add(long connectionId, String socket, Frames f) {
    if (size == connectionIds.length) {
      connectionIds = Arrays.copyOf(connectionIds, 2 * size);
      sockets = Arrays.copyOf(sockets, 2 * size);
      frames = Arrays.copyOf(frames, 2 * size);
    }
    connectionIds[size] = connectionId;
    sockets[size] = socket;
    frames[size] = f;
    size++;
    bytes += f.length();
  }

  public String frontAddress() { return frontAddress; }
  public int size() { return size; }
  /** The wire bytes of all its frames. */
  public long bytes() { return bytes; }
  public long connectionId(int i) { return connectionIds[i]; }
  /** Read {@code i}'s socket: its writeHandlerID, a local address. Null when it came from another node. */
  public String socket(int i) { return sockets[i]; }
  public Frames frames(int i) { return frames[i]; }
}
