package dev.backspin.framing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.List;

import static dev.backspin.framing.FrameProbe.payload;
import static dev.backspin.framing.FrameProbe.pendingBytes;
import static dev.backspin.framing.FramerHarness.bytes;
import static dev.backspin.framing.FramerHarness.everyByte;
import static dev.backspin.framing.FramerHarness.latin1;
import static dev.backspin.framing.FramerHarness.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RawFramerTest {

  private static final int MAX = 4;

  @Test
  @Order(1)
  void oversizeFrameIsRejectedFirst() throws Exception {
    FrameException e = assertThrows(FrameException.class, () -> new RawFramer(MAX).feed(Buffer.buffer("12345")));
    assertThat(e.reason()).isEqualTo("frame too large (max 4 bytes)");
    assertThat(e.completed()).isNull();
    // also after good reads: each read is judged alone
    RawFramer f = new RawFramer(MAX);
    assertThat(f.feed(Buffer.buffer("1234")).count()).isEqualTo(1);
    assertThrows(FrameException.class, () -> f.feed(Buffer.buffer("12345")));
  }

  @Test
  void exactlyMaxBytesIsOneFrame() throws Exception {
    Frames f = new RawFramer(MAX).feed(Buffer.buffer("ab\nc"));
    assertThat(f.count()).isEqualTo(1);
    assertThat(latin1(payload(f, 0))).isEqualTo("ab\nc");
  }

  @Test
  void eachReadIsOneFrameAtEverySplit() {
    byte[] input = bytes("ab\r\ncd\n");
    for (int cut = 0; cut <= input.length; cut++) {
      FramerHarness.Result r = run(new RawFramer(64), input, cut);
      List<String> expected = new ArrayList<>();
      // an empty read gives no frame
      if (cut > 0) {
        expected.add(latin1(input).substring(0, cut));
      }
      if (cut < input.length) {
        expected.add(latin1(input).substring(cut));
      }
      assertThat(r.error()).isNull();
      assertThat(r.payloads()).as("split at %d", cut).isEqualTo(expected);
      assertThat(r.wire()).as("split at %d", cut).isEqualTo(input);
      assertThat(r.pending()).isZero();
    }
    FramerHarness.Result r = run(new RawFramer(64), input, everyByte(input.length));
    assertThat(r.payloads()).containsExactly("a", "b", "\r", "\n", "c", "d", "\n");
    assertThat(r.wire()).isEqualTo(input);
  }

  @Test
  void theWholeReadIsThePayloadAndTheWire() throws Exception {
    Frames f = new RawFramer(64).feed(Buffer.buffer("x\r\n"));
    assertThat(new int[] {f.payloadStart(0), f.payloadEnd(0), f.frameEnd(0)}).containsExactly(0, 3, 3);
    assertThat(f.length()).isEqualTo(3);
  }

  @Test
  void anEmptyReadIsNoFrameAndNothingIsEverHeld() throws Exception {
    RawFramer f = new RawFramer(MAX);
    assertThat(f.feed(Buffer.buffer())).isNull();
    assertThat(pendingBytes(f)).isZero();
    f.feed(Buffer.buffer("abc"));
    assertThat(pendingBytes(f)).isZero();
  }

  @Test
  void errorIsALine() {
    assertThat(new RawFramer(64).errorReply("x").getBytes()).isEqualTo(bytes("ERR x\n"));
  }
}
