package dev.backspin.framing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.backspin.framing.FrameProbe.payload;
import static dev.backspin.framing.FrameProbe.pendingBytes;
import static dev.backspin.framing.FramerHarness.bytes;
import static dev.backspin.framing.FramerHarness.everyByte;
import static dev.backspin.framing.FramerHarness.everySplit;
import static dev.backspin.framing.FramerHarness.everySplitFails;
import static dev.backspin.framing.FramerHarness.latin1;
import static dev.backspin.framing.FramerHarness.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LineFramerTest {

  private static final int MAX = 8;
  private static final String TOO_LARGE = "frame too large (max 8 bytes)";

  @Test
  @Order(1)
  void oversizeFrameIsRejectedFirst() {
    FrameException e = assertThrows(FrameException.class, () -> new LineFramer(MAX).feed(Buffer.buffer("123456789\n")));
    assertThat(e.reason()).isEqualTo(TOO_LARGE);
    assertThat(e.completed()).isNull();
  }

  @Test
  @Order(2)
  void oversizeLineFailsAtEverySplitInTheReadThatBringsItsNinthByte() {
    // "ok\n" is bytes 0..2; the ninth payload byte '9' is byte 11, so 12 bytes must have arrived
    everySplitFails(() -> new LineFramer(MAX), bytes("ok\n123456789\nlater\n"), List.of("ok"), TOO_LARGE, 12);
  }

  @Test
  @Order(3)
  void aLongLineWithNoNewlineAtAllIsRejectedWithoutWaitingForOne() throws Exception {
    LineFramer f = new LineFramer(MAX);
    for (int i = 1; i <= MAX; i++) {
      assertThat(f.feed(Buffer.buffer("x"))).isNull();
      assertThat(pendingBytes(f)).isEqualTo(i);
    }
    FrameException e = assertThrows(FrameException.class, () -> f.feed(Buffer.buffer("x")));
    assertThat(e.reason()).isEqualTo(TOO_LARGE);

    byte[] long1k = new byte[1024];
    Arrays.fill(long1k, (byte) 'y');
    assertThrows(FrameException.class, () -> new LineFramer(MAX).feed(Buffer.buffer(long1k)));
  }

  @Test
  void exactlyMaxBytesIsAcceptedWithEitherDelimiter() throws Exception {
    FramerHarness.Result r = run(new LineFramer(MAX), bytes("12345678\n12345678\r\n"));
    assertThat(r.error()).isNull();
    assertThat(r.payloads()).containsExactly("12345678", "12345678");
  }

  @Test
  void aTrailingCarriageReturnAtMaxPlusOneMayStillBeTheDelimiter() throws Exception {
    LineFramer f = new LineFramer(MAX);
    assertThat(f.feed(Buffer.buffer("12345678\r"))).isNull();
    assertThat(pendingBytes(f)).isEqualTo(MAX + 1);
    Frames frames = f.feed(Buffer.buffer("\n"));
    assertThat(frames.count()).isEqualTo(1);
    assertThat(latin1(payload(frames, 0))).isEqualTo("12345678");
    assertThat(latin1(Arrays.copyOf(frames.data(), frames.length()))).isEqualTo("12345678\r\n");
    assertThat(pendingBytes(f)).isZero();
  }

  @Test
  void aCarriageReturnAtMaxPlusOneNotFollowedByNewlineIsPayloadAndTooLarge() throws Exception {
    for (String next : List.of("x", "\r")) {
      LineFramer f = new LineFramer(MAX);
      assertThat(f.feed(Buffer.buffer("12345678\r"))).isNull();
      FrameException e = assertThrows(FrameException.class, () -> f.feed(Buffer.buffer(next)), next);
      assertThat(e.reason()).isEqualTo(TOO_LARGE);
    }
  }

  @Test
  void framesBeforeAnOversizeOneInTheSameReadAreHandedBackWithTheError() {
    FrameException e = assertThrows(FrameException.class, () -> new LineFramer(MAX).feed(Buffer.buffer("ok\r\nfine\n123456789\n")));
    Frames before = e.completed();
    assertThat(before.count()).isEqualTo(2);
    assertThat(latin1(payload(before, 0))).isEqualTo("ok");
    assertThat(latin1(payload(before, 1))).isEqualTo("fine");
    assertThat(latin1(Arrays.copyOf(before.data(), before.length()))).isEqualTo("ok\r\nfine\n");
  }

  @Test
  void linesAtEverySplit() {
    String in = "hello\r\nworld\n\nmid\rdle\n\r\n\r\r\n\rx\nend";
    everySplit(() -> new LineFramer(64), bytes(in),
      List.of("hello", "world", "", "mid\rdle", "", "\r", "\rx"),
      bytes("hello\r\nworld\n\nmid\rdle\n\r\n\r\r\n\rx\n"));
  }

  @Test
  void linesAtEverySplitAtTheMax() {
    // every line is exactly MAX bytes, so a premature size check at any split would fail
    String in = "12345678\r\nabcdefgh\n\r2345678\n1234567\r\r\n";
    everySplit(() -> new LineFramer(MAX), bytes(in),
      List.of("12345678", "abcdefgh", "\r2345678", "1234567\r"), bytes(in));
  }

  @Test
  void crLfKeepsTheCarriageReturnOutOfThePayloadAndInTheWireBytes() throws Exception {
    Frames f = new LineFramer(64).feed(Buffer.buffer("ab\r\ncd\n"));
    assertThat(f.count()).isEqualTo(2);
    assertThat(new int[] {f.payloadStart(0), f.payloadEnd(0), f.frameEnd(0)}).containsExactly(0, 2, 4);
    assertThat(new int[] {f.payloadStart(1), f.payloadEnd(1), f.frameEnd(1)}).containsExactly(4, 6, 7);
    assertThat(f.length()).isEqualTo(7);
    assertThat(latin1(Arrays.copyOf(f.data(), f.length()))).isEqualTo("ab\r\ncd\n");
  }

  @Test
  void aLoneCarriageReturnStaysInThePayload() throws Exception {
    Frames f = new LineFramer(64).feed(Buffer.buffer("a\rb\n\rc\nd\r\r\n"));
    assertThat(f.count()).isEqualTo(3);
    assertThat(latin1(payload(f, 0))).isEqualTo("a\rb");
    assertThat(latin1(payload(f, 1))).isEqualTo("\rc");
    assertThat(latin1(payload(f, 2))).isEqualTo("d\r");
  }

  @Test
  void emptyLinesGiveEmptyPayloads() throws Exception {
    Frames f = new LineFramer(64).feed(Buffer.buffer("\n\r\n\n"));
    assertThat(f.count()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(payload(f, i)).isEmpty();
    }
    assertThat(new int[] {f.payloadStart(1), f.payloadEnd(1), f.frameEnd(1)}).containsExactly(1, 1, 3);
    assertThat(f.length()).isEqualTo(4);
  }

  @Test
  void anIncompleteLastLineIsHeldBack() throws Exception {
    LineFramer f = new LineFramer(64);
    FramerHarness.Result r = run(f, bytes("one\ntwo"));
    assertThat(r.payloads()).containsExactly("one");
    assertThat(r.wire()).isEqualTo(bytes("one\n"));
    assertThat(pendingBytes(f)).isEqualTo(3);
    assertThat(f.feed(Buffer.buffer())).isNull();
    assertThat(latin1(payload(f.feed(Buffer.buffer("\n")), 0))).isEqualTo("two");
  }

  @Test
  void theHeldFramesMemoryIsItsWholeArrayAndDiscardingFreesIt() throws Exception {
    LineFramer f = new LineFramer(64);
    assertThat(f.pendingCapacity()).isZero();
    f.feed(Buffer.buffer("abcd"));
    f.feed(Buffer.buffer("efg")); // the array grows ahead of the bytes
    assertThat(pendingBytes(f)).isEqualTo(7);
    assertThat(f.pendingCapacity()).isGreaterThanOrEqualTo(7);
    f.feed(Buffer.buffer("\nhi")); // the completed line takes the array; the rest gets one of its own size
    assertThat(f.pendingCapacity()).isEqualTo(2);
    f.discardPending();
    assertThat(pendingBytes(f)).isZero();
    assertThat(f.pendingCapacity()).isZero();
    assertThat(latin1(payload(f.feed(Buffer.buffer("x\n")), 0))).isEqualTo("x");
  }

  @Test
  void aBatchChangedInPlaceByItsWorkerDoesNotChangeTheHeldBytes() throws Exception {
    LineFramer f = new LineFramer(64);
    Frames first = f.feed(Buffer.buffer("ab\ncd"));
    Arrays.fill(first.data(), (byte) 'X');
    Frames second = f.feed(Buffer.buffer("e\n"));
    assertThat(latin1(payload(second, 0))).isEqualTo("cde");
  }

  @Test
  void randomLinesAtRandomSplitsAndPendingBytesStayBounded() {
    Random rnd = new Random(7);
    for (int round = 0; round < 300; round++) {
      ByteArrayOutputStream in = new ByteArrayOutputStream();
      List<String> expected = new ArrayList<>();
      int lines = rnd.nextInt(12);
      for (int i = 0; i < lines; i++) {
        byte[] line = new byte[rnd.nextInt(MAX + 1)];
        for (int k = 0; k < line.length; k++) {
          int kind = rnd.nextInt(4);
          line[k] = (byte) (kind == 0 ? '\r' : kind == 1 ? 0x80 | rnd.nextInt(128) : 'a' + rnd.nextInt(26));
        }
        if (line.length > 0 && line[line.length - 1] == '\r') {
          line[line.length - 1] = 'z'; // a payload cannot end in '\r': it would read as the delimiter
        }
        expected.add(latin1(line));
        in.writeBytes(line);
        in.writeBytes(rnd.nextBoolean() ? bytes("\n") : bytes("\r\n"));
      }
      byte[] input = in.toByteArray();
      LineFramer f = new LineFramer(MAX);
      List<String> got = new ArrayList<>();
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      int pos = 0;
      while (pos < input.length) {
        int n = Math.min(input.length - pos, rnd.nextInt(2 * MAX));
        Frames frames = feedOrFail(f, Arrays.copyOfRange(input, pos, pos + n), round);
        pos += n;
        if (frames != null) {
          for (int k = 0; k < frames.count(); k++) {
            got.add(latin1(payload(frames, k)));
          }
          wire.write(frames.data(), 0, frames.length());
        }
        // a held line is at most MAX payload bytes plus a '\r' that may be its delimiter
        assertThat(pendingBytes(f)).as("round %d", round).isLessThanOrEqualTo(MAX + 1);
      }
      assertThat(got).as("round %d", round).isEqualTo(expected);
      assertThat(wire.toByteArray()).as("round %d", round).isEqualTo(input);
      assertThat(pendingBytes(f)).isZero();
    }
  }

  @Test
  void oneByteAtATimeNeverHoldsMoreThanMaxPlusOne() throws Exception {
    byte[] input = bytes("12345678\r\n\r\n1\r2\r3\r4\n");
    LineFramer f = new LineFramer(MAX);
    int most = 0;
    for (int cut : everyByte(input.length)) {
      f.feed(Buffer.buffer().appendBytes(input, cut, 1));
      most = Math.max(most, pendingBytes(f));
    }
    assertThat(most).isEqualTo(MAX + 1);
    assertThat(pendingBytes(f)).isZero();
  }

  @Test
  void errorIsALine() {
    assertThat(new LineFramer(64).errorReply("bad").getBytes()).isEqualTo(bytes("ERR bad\n"));
    assertThat(new LineFramer(64).errorReply("café").getBytes()).isEqualTo("ERR café\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Frames feedOrFail(LineFramer f, byte[] chunk, int round) {
    try {
      return f.feed(Buffer.buffer(chunk));
    } catch (FrameException e) {
      throw new AssertionError("round " + round + ": no line is over the max, but got " + e.reason(), e);
    }
  }
}
