package dev.backspin.support;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/** Random request streams and the replies a correct reverse server gives to them. */
public final class Payloads {

  private Payloads() {
  }

  /** A request stream and its expected reply. */
  public record Script(byte[] request, byte[] reply) {
  }

  /** {@code lines} random binary lines (no '\n'), some ending in "\r\n"; each reply line reversed. */
  public static Script lines(Random rnd, int lines, int maxLen) {
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    ByteArrayOutputStream rep = new ByteArrayOutputStream();
    for (int i = 0; i < lines; i++) {
      byte[] line = new byte[rnd.nextInt(maxLen + 1)];
      for (int k = 0; k < line.length; k++) {
        byte b;
        do {
          b = (byte) rnd.nextInt(256);
        } while (b == '\n');
        line[k] = b;
      }
      if (line.length > 0 && line[line.length - 1] == '\r') {
        line[line.length - 1] = 'x'; // a trailing '\r' would belong to the delimiter
      }
      if (line.length == 4 && new String(line).equals("exit")) {
        line[0] = 'E';
      }
      byte[] delim = rnd.nextInt(4) == 0 ? new byte[] {'\r', '\n'} : new byte[] {'\n'};
      req.writeBytes(line);
      req.writeBytes(delim);
      rep.writeBytes(reversed(line));
      rep.writeBytes(delim);
    }
    return new Script(req.toByteArray(), rep.toByteArray());
  }

  /** {@code frames} length-prefixed random payloads; each reply keeps its prefix, payload reversed. */
  public static Script lengthFrames(Random rnd, int frames, int maxLen) {
    Buffer req = Buffer.buffer();
    Buffer rep = Buffer.buffer();
    for (int i = 0; i < frames; i++) {
      byte[] p = new byte[rnd.nextInt(maxLen + 1)];
      rnd.nextBytes(p);
      req.appendInt(p.length).appendBytes(p);
      rep.appendInt(p.length).appendBytes(reversed(p));
    }
    return new Script(req.getBytes(), rep.getBytes());
  }

  public static byte[] reversed(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }
}
