package dev.backspin.framing;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * The bytes a framer has read and not yet handed off. Appends are amortised (no re-copy per read
 * for a long frame arriving in small pieces); completed frames leave as the array itself, and
 * only the incomplete tail is copied into a fresh one, because the batch now belongs to a worker.
 */
final class Accumulator {

  static final byte[] EMPTY = new byte[0];

  private byte[] buf = EMPTY;
  private int len;

  /** Appends one read and returns the offset where its bytes begin. */
  int append(ByteBuf chunk) {
    int n = chunk.readableBytes();
    int from = len;
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, len == 0 ? n : Math.max(len + n, 2 * buf.length));
    }
    chunk.getBytes(chunk.readerIndex(), buf, len, n);
    len += n;
    return from;
  }

  byte[] array() { return buf; }
  int length() { return len; }
  /** What the held bytes really take: the whole array. */
  int capacity() { return buf.length; }

  /** Drops the held bytes and their array. */
  void clear() {
    buf = EMPTY;
    len = 0;
  }

  /** Gives up {@code [0, upTo)} with the current array; keeps {@code [upTo, length)} in a new one. */
  void handOff(int upTo) {
    int rest = len - upTo;
    buf = rest == 0 ? EMPTY : Arrays.copyOfRange(buf, upTo, len);
    len = rest;
  }
}
