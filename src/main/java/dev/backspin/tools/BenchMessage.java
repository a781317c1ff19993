package dev.backspin.tools;

import dev.backspin.config.Framing;
import dev.backspin.framing.LengthFramer;

import java.util.Random;

/**
 * What one bench connection sends each time, and the exact reply a correct server gives: the
 * payload reversed (reverse) or unchanged (echo), in the same framing. Pure: no sockets.
 */
public record BenchMessage(byte[] request, byte[] reply) {

  /** What the server is expected to do with each frame. */
  public enum Expect { REVERSE, ECHO }

  /**
   * A message of {@code size} bytes on the wire, printable payload (never the line "exit").
   *
   * @throws IllegalArgumentException when {@code size} cannot hold the framing's overhead
   */
  public static BenchMessage of(Framing framing, int size, Expect expect, Random rnd) {
    int overhead = switch (framing) {
      case LINE -> 1;
      case LENGTH -> 4;
      case RAW -> 0;
    };
    if (size < overhead + 1) {
      throw new IllegalArgumentException("--size must be at least " + (overhead + 1) + " for " + framing.name().toLowerCase(java.util.Locale.ROOT) + " framing, got " + size);
    }
    byte[] payload = new byte[size - overhead];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) ('a' + rnd.nextInt(26));
    }
    byte[] answer = payload.clone();
    if (expect == Expect.REVERSE) {
      for (int i = 0; i < answer.length; i++) {
        answer[i] = payload[payload.length - 1 - i];
      }
    }
    return new BenchMessage(frame(framing, payload), frame(framing, answer));
  }

  private static byte[] frame(Framing framing, byte[] payload) {
    return switch (framing) {
      case LINE -> {
        byte[] b = new byte[payload.length + 1];
        System.arraycopy(payload, 0, b, 0, payload.length);
        b[payload.length] = '\n';
        yield b;
      }
      case LENGTH -> LengthFramer.frame(payload).getBytes();
      case RAW -> payload;
    };
  }
}
