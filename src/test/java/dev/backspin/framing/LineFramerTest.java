package dev.backspin.framing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.backspin.framing.FramerHarness.bytes;
import static dev.backspin.framing.FramerHarness.everySplit;
import static dev.backspin.framing.FramerHarness.feed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineFramerTest {

  @Test
  void oversizeLineIsRejectedFirst() {
    assertThatThrownBy(() -> new LineFramer(8).feed(Buffer.buffer("123456789\n")))
      .isInstanceOf(FrameException.class).hasMessage("frame too large (max 8 bytes)");
  }

  @Test
  void aLongLineWithoutNewlineIsRejectedAsSoonAsItPassesTheMax() throws Exception {
    LineFramer f = new LineFramer(8);
    assertThat(f.feed(Buffer.buffer("12345678"))).isNull(); // exactly the max: may still end
    assertThatThrownBy(() -> f.feed(Buffer.buffer("9"))).isInstanceOf(FrameException.class);
  }

  @Test
  void aTrailingCarriageReturnPastTheMaxMayStillBeTheDelimiter() throws Exception {
    LineFramer f = new LineFramer(8);
    assertThat(f.feed(Buffer.buffer("12345678\r"))).isNull();
    Frames frames = f.feed(Buffer.buffer("\n"));
    assertThat(frames.count()).isEqualTo(1);
    assertThat(new String(frames.payload(0))).isEqualTo("12345678");
  }

  @Test
  void framesBeforeAnOversizeOneAreHandedBackWithTheError() {
    LineFramer f = new LineFramer(8);
    FrameException e = org.junit.jupiter.api.Assertions.assertThrows(FrameException.class,
      () -> f.feed(Buffer.buffer("ok\nfine\n123456789\n")));
    assertThat(e.completed().count()).isEqualTo(2);
    assertThat(new String(e.completed().payload(1))).isEqualTo("fine");
  }

  @Test
  void linesAtEverySplit() throws Exception {
    String in = "hello\r\nworld\n\nmid\rdle\n";
    everySplit(() -> new LineFramer(64), bytes(in), List.of("hello", "world", "", "mid\rdle"), bytes(in));
  }

  @Test
  void anIncompleteLastLineIsHeldBack() throws Exception {
    LineFramer f = new LineFramer(64);
    FramerHarness.Result r = feed(f, bytes("one\ntwo"));
    assertThat(r.payloads()).containsExactly("one");
    assertThat(r.wire()).isEqualTo(bytes("one\n"));
    assertThat(f.pendingBytes()).isEqualTo(3);
  }

  @Test
  void framesKeepTheirDelimitersOnTheWire() throws Exception {
    Frames f = new LineFramer(64).feed(Buffer.buffer("ab\r\ncd\n"));
    assertThat(f.count()).isEqualTo(2);
    assertThat(f.payloadStart(0)).isEqualTo(0);
    assertThat(f.payloadEnd(0)).isEqualTo(2);
    assertThat(f.frameEnd(0)).isEqualTo(4);
    assertThat(f.length()).isEqualTo(7);
  }

  @Test
  void errorIsALine() {
    assertThat(new LineFramer(64).errorReply("bad").toString()).isEqualTo("ERR bad\n");
  }

  @Test
  void exitIsFoundAndTruncatedTo() throws Exception {
    Frames f = new LineFramer(64).feed(Buffer.buffer("a\nexit\nb\n"));
    int at = f.indexOf(bytes("exit"));
    assertThat(at).isEqualTo(1);
    f.truncate(at);
    assertThat(f.count()).isEqualTo(1);
    assertThat(f.length()).isEqualTo(2);
  }
}
