package dev.backspin.work;

import java.util.Arrays;

/**
 * A worker's acknowledgements to one front instance for one drain: per connection, the bytes it
 * finished (credits returned) and, if a frame failed, the reason. One message per front per drain.
 */
public final class Acks {

  private long[] connectionIds = new long[8];
  private int[] bytes = new int[8];
  private String[] errors = new String[8];
  private int size;

  public void add(long connectionId, int n, String error) {
    if (size == connectionIds.length) {
      connectionIds = Arrays.copyOf(connectionIds, size * 2);
      bytes = Arrays.copyOf(bytes, size * 2);
      errors = Arrays.copyOf(errors, size * 2);
    }
    connectionIds[size] = connectionId;
    bytes[size] = n;
    errors[size] = error;
    size++;
  }

  public int size() { return size; }
  public long connectionId(int i) { return connectionIds[i]; }
  public int bytes(int i) { return bytes[i]; }
  /** The reason frame processing failed for this entry's connection, or null. */
  public String error(int i) { return errors[i]; }
}
