package dev.backspin.framing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.backspin.framing.FrameProbe.payload;
import static dev.backspin.framing.FrameProbe.pendingBytes;
import static dev.backspin.framing.FramerHarness.bytes;
import static dev.backspin.framing.FramerHarness.everySplit;
import static dev.backspin.framing.FramerHarness.everySplitFails;
import static dev.backspin.framing.FramerHarness.latin1;
import static dev.backspin.framing.FramerHarness.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LengthFramerTest {

  private static final int MAX = 8;

  private static Buffer frame(String payload) {
    return Buffer.buffer().appendInt(payload.length()).appendBytes(bytes(payload));
  }

  @Test
  @Order(1)
  void oversizeFrameIsRejectedFirst() throws Exception {
    LengthFramer f = new LengthFramer(MAX);
    byte[] prefix = {0, 0, 0, 9};
    for (int i = 0; i < 3; i++) {
      assertThat(f.feed(Buffer.buffer().appendByte(prefix[i]))).isNull();
    }
    // no payload byte has arrived: the prefix alone decides
    FrameException e = assertThrows(FrameException.class, () -> f.feed(Buffer.buffer().appendByte(prefix[3])));
    assertThat(e.reason()).isEqualTo("frame too large (max 8 bytes)");
    assertThat(e.completed()).isNull();
  }

  @Test
  @Order(2)
  void oversizeFrameFailsAtEverySplitInTheReadThatCompletesItsPrefix() {
    Buffer in = frame("abc").appendInt(9).appendBytes(bytes("123456789")).appendBuffer(frame("later"));
    // frame "abc" is bytes 0..6, the bad prefix bytes 7..10
    everySplitFails(() -> new LengthFramer(MAX), in.getBytes(), List.of("abc"), "frame too large (max 8 bytes)", 11);
  }

  @Test
  void exactlyMaxBytesIsAccepted() throws Exception {
    Frames f = new LengthFramer(MAX).feed(frame("12345678"));
    assertThat(f.count()).isEqualTo(1);
    assertThat(latin1(payload(f, 0))).isEqualTo("12345678");
  }

  @Test
  void aNegativePrefixIsABadLengthPrefix() {
    FrameException e = assertThrows(FrameException.class, () -> new LengthFramer(MAX).feed(Buffer.buffer().appendInt(-1)));
    assertThat(e.reason()).isEqualTo("bad length prefix 4294967295");
    // the high bit alone is enough; it must not read as a huge positive length or wrap into range
    Buffer in = frame("ok").appendInt(Integer.MIN_VALUE).appendBytes(bytes("abc"));
    everySplitFails(() -> new LengthFramer(MAX), in.getBytes(), List.of("ok"), "bad length prefix 2147483648", 10);
  }

  @Test
  void framesAtEverySplit() {
    Buffer complete = frame("").appendBuffer(frame("abc")).appendBuffer(frame("")).appendBuffer(frame("hello"))
      .appendBuffer(frame("12345678")).appendBuffer(frame(""));
    // and a frame whose last byte is missing, which must be held back
    Buffer in = complete.copy().appendInt(5).appendBytes(bytes("nope"));
    everySplit(() -> new LengthFramer(MAX), in.getBytes(), List.of("", "abc", "", "hello", "12345678", ""), complete.getBytes());
  }

  @Test
  void onlyZeroLengthFrames() throws Exception {
    Frames f = new LengthFramer(MAX).feed(Buffer.buffer(new byte[12]));
    assertThat(f.count()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(payload(f, i)).isEmpty();
      assertThat(f.payloadStart(i)).isEqualTo(4 * i + 4);
      assertThat(f.frameEnd(i)).isEqualTo(4 * i + 4);
    }
    assertThat(f.length()).isEqualTo(12);
  }

  @Test
  void aPrefixSplitAcrossReads() throws Exception {
    LengthFramer f = new LengthFramer(MAX);
    assertThat(f.feed(Buffer.buffer(new byte[] {0, 0}))).isNull();
    assertThat(pendingBytes(f)).isEqualTo(2);
    assertThat(f.feed(Buffer.buffer(new byte[] {0, 2, 'h'}))).isNull();
    assertThat(pendingBytes(f)).isEqualTo(5);
    Frames frames = f.feed(Buffer.buffer(new byte[] {'i', 0}));
    assertThat(frames.count()).isEqualTo(1);
    assertThat(latin1(payload(frames, 0))).isEqualTo("hi");
    assertThat(Arrays.copyOf(frames.data(), frames.length())).containsExactly(0, 0, 0, 2, 'h', 'i');
    assertThat(pendingBytes(f)).isEqualTo(1);
  }

  @Test
  void thePrefixIsBigEndian() throws Exception {
    byte[] payload = new byte[258];
    Arrays.fill(payload, (byte) 'q');
    // 0x00000102 = 258 big-endian; read little-endian it would be 0x02010000, far over the max
    Buffer in = Buffer.buffer(new byte[] {0, 0, 1, 2}).appendBytes(payload);
    Frames f = new LengthFramer(300).feed(in);
    assertThat(f.count()).isEqualTo(1);
    assertThat(payload(f, 0)).isEqualTo(payload);
  }

  @Test
  void payloadBoundsSkipThePrefixAndTheWireKeepsIt() throws Exception {
    Frames f = new LengthFramer(64).feed(frame("hi").appendBuffer(frame("abc")).appendInt(1));
    assertThat(f.count()).isEqualTo(2);
    assertThat(new int[] {f.payloadStart(0), f.payloadEnd(0), f.frameEnd(0)}).containsExactly(4, 6, 6);
    assertThat(new int[] {f.payloadStart(1), f.payloadEnd(1), f.frameEnd(1)}).containsExactly(10, 13, 13);
    assertThat(f.length()).isEqualTo(13);
    assertThat(Arrays.copyOf(f.data(), f.length())).isEqualTo(frame("hi").appendBuffer(frame("abc")).getBytes());
  }

  @Test
  void aBatchChangedInPlaceByItsWorkerDoesNotChangeTheHeldBytes() throws Exception {
    LengthFramer f = new LengthFramer(64);
    Frames first = f.feed(frame("ab").appendInt(3).appendBytes(bytes("cd")));
    Arrays.fill(first.data(), (byte) 'X');
    Frames second = f.feed(Buffer.buffer("e"));
    assertThat(latin1(payload(second, 0))).isEqualTo("cde");
  }

  @Test
  void randomFramesAtRandomSplitsAndPendingBytesStayBounded() throws Exception {
    Random rnd = new Random(11);
    for (int round = 0; round < 300; round++) {
      Buffer in = Buffer.buffer();
      List<String> expected = new ArrayList<>();
      for (int i = rnd.nextInt(10); i > 0; i--) {
        byte[] p = new byte[rnd.nextInt(MAX + 1)];
        rnd.nextBytes(p);
        expected.add(latin1(p));
        in.appendInt(p.length).appendBytes(p);
      }
      byte[] input = in.getBytes();
      int[] cuts = rnd.ints(rnd.nextInt(input.length + 1), 0, input.length + 1).sorted().toArray();
      LengthFramer f = new LengthFramer(MAX);
      FramerHarness.Result r = run(f, input, cuts);
      assertThat(r.error()).as("round %d", round).isNull();
      assertThat(r.payloads()).as("round %d", round).isEqualTo(expected);
      assertThat(r.wire()).as("round %d", round).isEqualTo(input);
      assertThat(r.pending()).isZero();
    }
  }

  @Test
  void pendingBytesNeverExceedOneIncompleteFrame() throws Exception {
    LengthFramer f = new LengthFramer(MAX);
    byte[] input = frame("12345678").appendBuffer(frame("")).appendBuffer(frame("12345678")).getBytes();
    int most = 0;
    for (int i = 0; i < input.length; i++) {
      f.feed(Buffer.buffer().appendBytes(input, i, 1));
      most = Math.max(most, pendingBytes(f));
    }
    // a prefix and all but the last byte of a max-size payload
    assertThat(most).isEqualTo(LengthFramer.PREFIX + MAX - 1);
    assertThat(pendingBytes(f)).isZero();
  }

  @Test
  void errorIsALengthPrefixedFrame() {
    assertThat(new LengthFramer(64).errorReply("bad").getBytes())
      .containsExactly(0, 0, 0, 7, 'E', 'R', 'R', ' ', 'b', 'a', 'd');
  }
}
