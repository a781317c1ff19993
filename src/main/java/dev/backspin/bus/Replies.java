package dev.backspin.bus;

import dev.backspin.framing.Bytes;
import io.vertx.core.buffer.Buffer;

import java.util.Arrays;

/**
 * What one worker drain answers to one front: per connection, its reversed wire bytes, in order.
 * One message per front per drain, so the front's event loop runs one task for all of them.
 * Consecutive replies to the same connection join into one write (a streaming client's reads).
 * The bytes are not copied: each part is a batch's own array, {@code [0, length)}.
 */
public final class Replies {

  private long[] connectionIds = new long[8];
  private int[] firstPart = new int[8];
  private int size;
  private byte[][] parts = new byte[8][];
  private int[] partLengths = new int[8];
  private int partCount;

  public void add(long connectionId, byte[] data, int length) {
    if (size == 0 || connectionIds[size - 1] != connectionId) {
      if (size == connectionIds.length) {
        connectionIds = Arrays.copyOf(connectionIds, 2 * size);
        firstPart = Arrays.copyOf(firstPart, 2 * size);
      }
      connectionIds[size] = connectionId;
      firstPart[size] = partCount;
      size++;
    }
    if (partCount == parts.length) {
      parts = Arrays.copyOf(parts, 2 * partCount);
      partLengths = Arrays.copyOf(partLengths, 2 * partCount);
    }
    parts[partCount] = data;
    partLengths[partCount] = length;
    partCount++;
  }

  public int size() { return size; }
  public long connectionId(int i) { return connectionIds[i]; }
  /** Reply {@code i} is parts {@code [firstPart(i), endPart(i))}. */
  public int firstPart(int i) { return firstPart[i]; }
  public int endPart(int i) { return i + 1 < size ? firstPart[i + 1] : partCount; }
  public byte[] part(int k) { return parts[k]; }
  /** Reply {@code i} as one Buffer over its parts, without a copy. */
  public Buffer reply(int i) { return Bytes.wrap(parts, partLengths, firstPart(i), endPart(i)); }
  public int partLength(int k) { return partLengths[k]; }
  /** The bytes of reply {@code i}. */
  public int length(int i) {
    int n = 0;
    for (int k = firstPart(i); k < endPart(i); k++) {
      n += partLengths[k];
    }
    return n;
  }
}
