package dev.backspin.framing;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.backspin.framing.FrameProbe.payload;
import static dev.backspin.framing.FrameProbe.pendingBytes;
import static org.assertj.core.api.Assertions.assertThat;

/** Feeds a framer an input cut at given points and collects what comes out. No sockets. */
final class FramerHarness {

  /**
   * What one run gave: the payloads and concatenated wire bytes of every batch (including the
   * frames a {@link FrameException} handed back), the bytes still held, and the error if any, with
   * how many input bytes had been fed when it was thrown.
   */
  record Result(List<String> payloads, byte[] wire, int pending, FrameException error, int fedWhenFailed) {
  }

  private FramerHarness() {
  }

  static Result run(Framer framer, byte[] input, int... cuts) {
    List<Frames> batches = new ArrayList<>();
    List<String> payloads = new ArrayList<>();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    int from = 0;
    for (int i = 0; i <= cuts.length; i++) {
      int to = i < cuts.length ? cuts[i] : input.length;
      Frames f;
      try {
        f = framer.feed(Buffer.buffer().appendBytes(input, from, to - from));
      } catch (FrameException e) {
        if (e.completed() != null) {
          collect(e.completed(), payloads, wire);
        }
        return new Result(payloads, wire.toByteArray(), pendingBytes(framer), e, to);
      }
      if (f != null) {
        assertThat(f.count()).as("a returned batch holds at least one frame").isPositive();
        collect(f, payloads, wire);
        batches.add(f);
      }
      from = to;
    }
    // each batch belongs to a worker once returned: later reads must not have changed its bytes
    List<String> again = new ArrayList<>();
    ByteArrayOutputStream wireAgain = new ByteArrayOutputStream();
    batches.forEach(f -> collect(f, again, wireAgain));
    assertThat(again).as("payloads re-read after all feeds").isEqualTo(payloads);
    assertThat(wireAgain.toByteArray()).as("wire bytes re-read after all feeds").isEqualTo(wire.toByteArray());
    return new Result(payloads, wire.toByteArray(), pendingBytes(framer), null, input.length);
  }

  private static void collect(Frames f, List<String> payloads, ByteArrayOutputStream wire) {
    int previousEnd = 0;
    for (int k = 0; k < f.count(); k++) {
      assertThat(f.payloadStart(k)).as("frame %d starts after the previous one", k).isGreaterThanOrEqualTo(previousEnd);
      assertThat(f.payloadEnd(k)).as("frame %d payload end", k).isBetween(f.payloadStart(k), f.frameEnd(k));
      previousEnd = f.frameEnd(k);
      payloads.add(latin1(payload(f, k)));
    }
    assertThat(f.length()).isEqualTo(previousEnd);
    wire.write(f.data(), 0, f.length());
  }

  /** Cut points that feed {@code n} bytes one at a time. */
  static int[] everyByte(int n) {
    int[] cuts = new int[n];
    for (int i = 0; i < n; i++) {
      cuts[i] = i;
    }
    return cuts;
  }

  /**
   * Splits {@code input} in two at every byte boundary, and also feeds it one byte at a time;
   * each way must give exactly {@code expected} payloads, wire bytes {@code consumed}, and hold
   * back the rest of the input.
   */
  static void everySplit(Supplier<Framer> framers, byte[] input, List<String> expected, byte[] consumed) {
    assertThat(input).as("consumed is a prefix of the input").startsWith(consumed);
    for (int cut = 0; cut <= input.length; cut++) {
      check(run(framers.get(), input, cut), "split at " + cut, input, expected, consumed);
    }
    check(run(framers.get(), input, everyByte(input.length)), "one byte at a time", input, expected, consumed);
  }

  private static void check(Result r, String how, byte[] input, List<String> expected, byte[] consumed) {
    assertThat(r.error()).as("error, %s", how).isNull();
    assertThat(r.payloads()).as("payloads, %s", how).isEqualTo(expected);
    assertThat(r.wire()).as("wire bytes, %s", how).isEqualTo(consumed);
    assertThat(r.pending()).as("bytes held back, %s", how).isEqualTo(input.length - consumed.length);
  }

  /**
   * Like {@link #everySplit}, for an input that breaks the protocol once {@code failsAt} bytes of it
   * have arrived: every way of feeding it must fail with {@code reason} in the read that brings
   * byte {@code failsAt}, after handing out exactly the frames {@code before}.
   */
  static void everySplitFails(Supplier<Framer> framers, byte[] input, List<String> before, String reason, int failsAt) {
    for (int cut = 0; cut <= input.length; cut++) {
      checkFailure(run(framers.get(), input, cut), "split at " + cut, before, reason, cut >= failsAt ? cut : input.length);
    }
    checkFailure(run(framers.get(), input, everyByte(input.length)), "one byte at a time", before, reason, failsAt);
  }

  private static void checkFailure(Result r, String how, List<String> before, String reason, int failsAt) {
    assertThat(r.error()).as("error, %s", how).isNotNull();
    assertThat(r.error().reason()).as("reason, %s", how).isEqualTo(reason);
    assertThat(r.fedWhenFailed()).as("bytes fed when it failed, %s", how).isEqualTo(failsAt);
    assertThat(r.payloads()).as("frames before the bad one, %s", how).isEqualTo(before);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
