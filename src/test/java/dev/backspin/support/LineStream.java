package dev.backspin.support;

import java.util.Random;

/**
 * An endless, reproducible stream of text lines drawn from a fixed pool, and the replies a
 * reverse server gives: two instances with one seed yield the same sequence, so a reader can
 * check hundreds of megabytes without keeping them.
 */
public final class LineStream {

  private static final int POOL = 1024;
  private final byte[][] lines = new byte[POOL][];
  private final byte[][] replies = new byte[POOL][];
  private final Random pick;

  public LineStream(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < POOL; i++) {
      byte[] line = new byte[1 + r.nextInt(200)];
      byte[] reply = new byte[line.length];
      for (int k = 0; k < line.length - 1; k++) {
        line[k] = (byte) (' ' + r.nextInt(95)); // printable ASCII, never "exit"
      }
      line[line.length - 1] = '\n';
      for (int k = 0; k < line.length - 1; k++) {
        reply[k] = line[line.length - 2 - k];
      }
      reply[line.length - 1] = '\n';
      lines[i] = line;
      replies[i] = reply;
    }
    pick = new Random(seed ^ 0x5DEECE66DL);
  }

  /** The next line and its reply: index into {@link #line} and {@link #reply}. */
  public int next() {
    return pick.nextInt(POOL);
  }

  public byte[] line(int i) {
    return lines[i];
  }

  public byte[] reply(int i) {
    return replies[i];
  }
}
