package dev.backspin.support;

import io.vertx.core.buffer.Buffer;

/**
 * An endless stream of fixed-length lines, each carrying its own number ("000000042 klmn...\n"),
 * so a reader can check every byte it receives, and its place, without keeping them.
 */
public final class NumberedLines {

  /** Bytes per line, the newline included. */
  public static final int LENGTH = 1000;
  private static final int DIGITS = 9;

  private NumberedLines() {
  }

  /** The byte at {@code pos} of the stream. */
  public static byte byteAt(long pos) {
    long line = pos / LENGTH;
    int at = (int) (pos % LENGTH);
    if (at == LENGTH - 1) {
      return '\n';
    }
    if (at < DIGITS) {
      long digit = line;
      for (int i = DIGITS - 1; i > at; i--) {
        digit /= 10;
      }
      return (byte) ('0' + digit % 10);
    }
    if (at == DIGITS) {
      return ' ';
    }
    return (byte) ('a' + (line + at) % 26);
  }

  /** {@code count} lines from line {@code first} on. */
  public static Buffer lines(long first, int count) {
    byte[] b = new byte[count * LENGTH];
    long start = first * LENGTH;
    for (int i = 0; i < b.length; i++) {
      b[i] = byteAt(start + i);
    }
    return Buffer.buffer(b);
  }
}
