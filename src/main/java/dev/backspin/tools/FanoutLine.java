package dev.backspin.tools;

import java.nio.charset.StandardCharsets;

/**
 * One line of the fan-out: who sent it, its sequence number in that sender's stream, and the
 * {@link System#nanoTime()} of its send, padded to a fixed length, {@code \n} last:
 * <pre>
 * S0003 000000000042 00000a1b2c3d4e5f........\n
 * </pre>
 * A kind letter ({@code S} a sender's line, {@code H} the probe's hello), the sender's number in
 * 4 digits, the sequence number in 12, the send time in 16 hex digits (two's complement: nanoTime
 * may be negative), then filler dots. Every byte is checked when read, so a line cut, joined with
 * another or changed is malformed. Pure: no sockets. A parser instance holds the fields of the
 * last line it read.
 */
final class FanoutLine {

  static final byte DATA = 'S';
  static final byte HELLO = 'H';
  /** The shortest line: the fields, their two spaces and {@code \n}, no filler. */
  static final int MIN_BYTES = 36;
  static final int MAX_SENDER = 9_999;
  static final long MAX_SEQ = 999_999_999_999L;

  private static final int SENDER_AT = 1;
  private static final int SEQ_AT = 6;
  private static final int NANOS_AT = 19;
  private static final int FILL_AT = 35;
  private static final byte FILL = '.';
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  byte kind;
  int sender;
  long seq;
  long sentNanos;

  /** Writes one line of exactly {@code lineBytes} bytes into {@code to} at {@code at}; returns where it ends. */
  static int write(byte[] to, int at, byte kind, int sender, long seq, long nanos, int lineBytes) {
    if (lineBytes < MIN_BYTES || sender < 0 || sender > MAX_SENDER || seq < 0 || seq > MAX_SEQ) {
      throw new IllegalArgumentException("need lineBytes >= " + MIN_BYTES + ", sender 0.." + MAX_SENDER + ", seq 0.." + MAX_SEQ
        + "; got " + lineBytes + ", " + sender + ", " + seq);
    }
    to[at] = kind;
    digits(to, at + SENDER_AT, 4, sender);
    to[at + SEQ_AT - 1] = ' ';
    digits(to, at + SEQ_AT, 12, seq);
    to[at + NANOS_AT - 1] = ' ';
    for (int i = 0; i < 16; i++) {
      to[at + NANOS_AT + i] = HEX[(int) (nanos >>> (60 - 4 * i)) & 0xf];
    }
    int end = at + lineBytes - 1;
    for (int i = at + FILL_AT; i < end; i++) {
      to[i] = FILL;
    }
    to[end] = '\n';
    return end + 1;
  }

  /** One line on its own, for tests and the probe. */
  static byte[] format(byte kind, int sender, long seq, long nanos, int lineBytes) {
    byte[] b = new byte[lineBytes];
    write(b, 0, kind, sender, seq, nanos, lineBytes);
    return b;
  }

  /**
   * Reads the line {@code b[from, to)}, its {@code \n} already cut off, as a line of
   * {@code lineBytes} bytes. False if it is anything else (an {@code ERR} line from the server,
   * say); the fields are then not to be used.
   */
  boolean parse(byte[] b, int from, int to, int lineBytes) {
    if (to - from != lineBytes - 1 || (b[from] != DATA && b[from] != HELLO)
      || b[from + SEQ_AT - 1] != ' ' || b[from + NANOS_AT - 1] != ' ') {
      return false;
    }
    long s = number(b, from + SENDER_AT, 4);
    long q = number(b, from + SEQ_AT, 12);
    long n = 0;
    for (int i = 0; i < 16; i++) {
      int d = hex(b[from + NANOS_AT + i]);
      if (d < 0) {
        return false;
      }
      n = n << 4 | d;
    }
    if (s < 0 || q < 0) {
      return false;
    }
    for (int i = from + FILL_AT; i < to; i++) {
      if (b[i] != FILL) {
        return false;
      }
    }
    kind = b[from];
    sender = (int) s;
    seq = q;
    sentNanos = n;
    return true;
  }

  private static void digits(byte[] to, int at, int width, long v) {
    for (int i = at + width - 1; i >= at; i--) {
      to[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
  }

  /** The decimal number in {@code b[at, at + width)}, or -1 if a byte is not a digit. */
  private static long number(byte[] b, int at, int width) {
    long v = 0;
    for (int i = at; i < at + width; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }
}
