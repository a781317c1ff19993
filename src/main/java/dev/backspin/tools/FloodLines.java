package dev.backspin.tools;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The text a flood client sends, made on demand and made again to check the replies, so no run
 * keeps its payload in memory. A client's stream of {@code total} bytes is lines of
 * {@link #LINE_BYTES} (the last one shorter when the total is not a multiple), each ending in
 * {@code \n}. A line starts with its client and sequence numbers ({@code C000017 S000000042 }),
 * so no two lines of a run are alike (but a last line too short to hold them), then filler
 * taken from a fixed random pool at an offset that depends on both numbers. Only capital
 * letters, digits, spaces and punctuation: never the line {@code exit}, never a {@code \r}
 * (which would belong to the delimiter). Pure: nothing here touches a socket.
 */
final class FloodLines {

  static final int LINE_BYTES = 1024;
  private static final byte[] ALPHABET =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-*/=<>()[]{}!?#$%&@^_~.,:;".getBytes(StandardCharsets.US_ASCII);
  private static final int POOL = 1 << 16;
  static final int HEADER_BYTES = 19;

  private final long seed;
  private final byte[] pool = new byte[POOL + LINE_BYTES];

  FloodLines(long seed) {
    this.seed = seed;
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < pool.length; i++) {
      pool[i] = ALPHABET[r.nextInt(ALPHABET.length)];
    }
  }

  /** How many lines a stream of {@code total} bytes has. */
  static long lineCount(long total) {
    return (total + LINE_BYTES - 1) / LINE_BYTES;
  }

  /** The length, {@code \n} included, of line {@code seq} of a stream of {@code total} bytes. */
  static int lineLength(long total, long seq) {
    long rest = total - seq * LINE_BYTES;
    if (seq < 0 || rest <= 0) {
      throw new IllegalArgumentException("no line " + seq + " in a stream of " + total + " bytes");
    }
    return (int) Math.min(LINE_BYTES, rest);
  }

  /** Writes line {@code seq} of {@code client}, {@code length} bytes with its {@code \n}, into {@code dst[0, length)}. */
  void line(int client, long seq, int length, byte[] dst) {
    if (length < 1 || length > LINE_BYTES || client < 0 || client > 999_999 || seq < 0 || seq > 999_999_999L) {
      throw new IllegalArgumentException("client " + client + ", line " + seq + ", length " + length);
    }
    int payload = length - 1;
    byte[] header = new byte[HEADER_BYTES];
    header[0] = 'C';
    digits(client, header, 1, 6);
    header[7] = ' ';
    header[8] = 'S';
    digits(seq, header, 9, 9);
    header[18] = ' ';
    int h = Math.min(payload, HEADER_BYTES);
    System.arraycopy(header, 0, dst, 0, h);
    if (payload > h) {
      int from = (int) Long.remainderUnsigned(mix(seed ^ mix(client * 0x9E3779B97F4A7C15L + seq)), POOL);
      System.arraycopy(pool, from, dst, h, payload - h);
    }
    dst[payload] = '\n';
  }

  /** The reply a reverse service gives to {@code line[0, length)}: its payload reversed, then the {@code \n}. */
  static void reply(byte[] line, int length, byte[] dst) {
    int payload = length - 1;
    for (int i = 0; i < payload; i++) {
      dst[i] = line[payload - 1 - i];
    }
    dst[payload] = '\n';
  }

  private static void digits(long v, byte[] dst, int at, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      dst[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
  }

  /** SplitMix64's finaliser: spreads the filler offsets of neighbouring lines over the pool. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
