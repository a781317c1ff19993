package dev.backspin.front;

import dev.backspin.framing.Bytes;
import io.vertx.core.buffer.Buffer;

import java.util.Arrays;

/**
 * What one broadcast receiver is owed and has not yet been handed to its socket: the deliveries
 * of one event-loop cycle, or of as long as its socket stays full, joined in one array. A slow
 * receiver then costs that array, not a queued write (a few hundred bytes of objects) for every
 * published read, and a fast one gets one write per cycle. Event-loop confined.
 */
final class Outbox {

  private static final byte[] EMPTY = new byte[0];
  private static final int FIRST = 256;

  private byte[] buf = EMPTY;
  private int len;

  /** Appends {@code data[0, length)}. */
  void append(byte[] data, int length) {
    if (len + length > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(len + length, Math.max(FIRST, 2 * buf.length)));
    }
    System.arraycopy(data, 0, buf, len, length);
    len += length;
  }

  boolean isEmpty() {
    return len == 0;
  }

  int length() {
    return len;
  }

  /** The memory it takes: the whole array. */
  int capacity() {
    return buf.length;
  }

  /** Everything owed, as one buffer over the array, which now belongs to the caller; the outbox starts empty. */
  Buffer take() {
    Buffer b = Bytes.wrap(buf, len);
    buf = EMPTY;
    len = 0;
    return b;
  }
}
