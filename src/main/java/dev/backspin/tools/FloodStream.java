package dev.backspin.tools;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One flood client's byte stream, a line at a time: the requests it sends ({@link #requests}) or
 * the replies it is owed ({@link #replies}). The sender takes bytes out with {@link #fill}; the
 * checker compares what came against the next expected bytes with {@link #match}. Only the
 * current line is in memory. Pure, and confined to one thread.
 */
final class FloodStream {

  private final FloodLines lines;
  private final int client;
  private final long total;
  private final boolean replies;
  private final byte[] request = new byte[FloodLines.LINE_BYTES];
  private final byte[] current;
  private long seq = -1;
  private int length;
  private int at;
  private long position;

  private FloodStream(FloodLines lines, int client, long total, boolean replies) {
    if (total < 0) {
      throw new IllegalArgumentException("total " + total);
    }
    this.lines = lines;
    this.client = client;
    this.total = total;
    this.replies = replies;
    this.current = replies ? new byte[FloodLines.LINE_BYTES] : request;
  }

  /** What client {@code client} sends: {@code total} bytes of lines. */
  static FloodStream requests(FloodLines lines, int client, long total) {
    return new FloodStream(lines, client, total, false);
  }

  /** What a reverse service owes client {@code client} for those requests: the same number of bytes. */
  static FloodStream replies(FloodLines lines, int client, long total) {
    return new FloodStream(lines, client, total, true);
  }

  /** Bytes given out or matched so far. */
  long position() {
    return position;
  }

  long remaining() {
    return total - position;
  }

  boolean done() {
    return position == total;
  }

  /** Makes line {@code seq + 1} current when the current one is used up; false at the end. */
  private boolean advance() {
    if (seq >= 0 && at < length) {
      return true;
    }
    if (position == total) {
      return false;
    }
    seq++;
    length = FloodLines.lineLength(total, seq);
    lines.line(client, seq, length, request);
    if (replies) {
      FloodLines.reply(request, length, current);
    }
    at = 0;
    return true;
  }

  /** Puts the next bytes into {@code dst}, as many as it has room for; returns how many. */
  int fill(ByteBuffer dst) {
    int n = 0;
    while (dst.hasRemaining() && advance()) {
      int k = Math.min(dst.remaining(), length - at);
      dst.put(current, at, k);
      at += k;
      position += k;
      n += k;
    }
    return n;
  }

  /**
   * Compares {@code got[from, to)} with the next expected bytes and moves past those that match.
   * Returns how many matched from {@code from}: less than {@code to - from} means the byte after
   * them is wrong, or lies beyond the end of the stream.
   */
  int match(byte[] got, int from, int to) {
    int i = from;
    while (i < to && advance()) {
      int k = Math.min(to - i, length - at);
      int diff = Arrays.mismatch(current, at, at + k, got, i, i + k);
      int ok = diff < 0 ? k : diff;
      at += ok;
      position += ok;
      i += ok;
      if (ok < k) {
        break;
      }
    }
    return i - from;
  }

  /**
   * The bytes of the current line that have matched so far (they came as expected): after a
   * mismatch, what the server sent from the start of that line is these, then the wrong bytes.
   * Empty past the end of the stream.
   */
  byte[] lineSoFar() {
    return seq < 0 || done() ? new byte[0] : Arrays.copyOf(current, at);
  }

  /** Up to {@code n} of the bytes expected next, for a report; does not move. */
  byte[] expected(int n) {
    if (!advance()) {
      return new byte[0];
    }
    return Arrays.copyOfRange(current, at, Math.min(length, at + n));
  }
}
