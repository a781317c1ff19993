package dev.backspin.framing;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Feeds a framer an input cut at given points and collects what comes out. No sockets. */
final class FramerHarness {

  /** Payloads and the concatenated wire bytes of every batch returned. */
  record Result(List<String> payloads, byte[] wire) {
  }

  private FramerHarness() {
  }

  static Result feed(Framer framer, byte[] input, int... cuts) throws FrameException {
    List<String> payloads = new ArrayList<>();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : input.length;
      Frames f = framer.feed(Buffer.buffer().appendBytes(input, from, to - from));
      if (f != null) {
        for (int k = 0; k < f.count(); k++) {
          payloads.add(new String(f.payload(k), java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        wire.write(f.data(), 0, f.length());
      }
      from = to;
    }
    return new Result(payloads, wire.toByteArray());
  }

  /**
   * Splits {@code input} in two at every byte boundary, and also feeds it one byte at a time;
   * each way must give exactly {@code expected} payloads and wire bytes {@code consumed}.
   */
  static void everySplit(Supplier<Framer> framers, byte[] input, List<String> expected, byte[] consumed) throws FrameException {
    for (int cut = 0; cut <= input.length; cut++) {
      Result r = feed(framers.get(), input, cut);
      assertThat(r.payloads()).as("split at %d", cut).isEqualTo(expected);
      assertThat(r.wire()).as("wire bytes, split at %d", cut).isEqualTo(consumed);
    }
    int[] all = new int[input.length];
    for (int i = 0; i < input.length; i++) {
      all[i] = i;
    }
    Result r = feed(framers.get(), input, all);
    assertThat(r.payloads()).as("one byte at a time").isEqualTo(expected);
    assertThat(r.wire()).as("wire bytes, one byte at a time").isEqualTo(consumed);
  }

  static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
