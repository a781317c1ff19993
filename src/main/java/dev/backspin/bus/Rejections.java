package dev.backspin.bus;

import dev.backspin.errors.Failure;

import java.util.Arrays;
import java.util.Objects;

/**
 * A worker's word to one front that some frames will get no reply: per connection, how many of
 * its bytes in flight were dropped, and why (e.g. invalid UTF-8). Answered frames need no
 * message: their reply, counted as it reaches the socket, is their acknowledgement.
 */
public final class Rejections {

  private long[] connectionIds = new long[4];
  private int[] bytes = new int[4];
  private Failure[] failures = new Failure[4];
  private int size;

  public void add(long connectionId, int unansweredBytes, Failure failure) {
    Objects.requireNonNull(failure, "a rejection says why");
    if (size == connectionIds.length) {
      connectionIds = Arrays.copyOf(connectionIds, size * 2);
      bytes = Arrays.copyOf(bytes, size * 2);
      failures = Arrays.copyOf(failures, size * 2);
    }
    connectionIds[size] = connectionId;
    bytes[size] = unansweredBytes;
    failures[size] = failure;
    size++;
  }

  public int size() { return size; }
  public long connectionId(int i) { return connectionIds[i]; }
  /** Bytes of this connection that were in flight and will get no reply. */
  public int unansweredBytes(int i) { return bytes[i]; }
  public Failure failure(int i) { return failures[i]; }
}
