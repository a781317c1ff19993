package dev.backspin.framing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static dev.backspin.framing.FramerHarness.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FramersTest {

  @Test
  void eachModeGetsItsFramerWithTheGivenMax() {
    Framer line = Framers.create(Framing.LINE, 16);
    Framer raw = Framers.create(Framing.RAW, 16);
    Framer length = Framers.create(Framing.LENGTH, 16);
    assertThat(line).isInstanceOf(LineFramer.class);
    assertThat(raw).isInstanceOf(RawFramer.class);
    assertThat(length).isInstanceOf(LengthFramer.class);
    assertThrows(FrameException.class, () -> line.feed(Buffer.buffer("12345678901234567\n")));
    assertThrows(FrameException.class, () -> raw.feed(Buffer.buffer("12345678901234567")));
    assertThrows(FrameException.class, () -> length.feed(Buffer.buffer().appendInt(17)));
  }

  @Test
  void eachModeAcceptsExactlyItsMax() throws Exception {
    assertThat(Framers.create(Framing.LINE, 16).feed(Buffer.buffer("1234567890123456\n")).count()).isEqualTo(1);
    assertThat(Framers.create(Framing.RAW, 16).feed(Buffer.buffer("1234567890123456")).count()).isEqualTo(1);
    assertThat(Framers.create(Framing.LENGTH, 16).feed(Buffer.buffer().appendInt(16).appendString("1234567890123456")).count()).isEqualTo(1);
  }

  @Test
  void errorRepliesFollowTheMode() {
    assertThat(Framers.create(Framing.LINE, 64).errorReply("too slow").getBytes()).isEqualTo(bytes("ERR too slow\n"));
    assertThat(Framers.create(Framing.RAW, 64).errorReply("too slow").getBytes()).isEqualTo(bytes("ERR too slow\n"));
    assertThat(Framers.create(Framing.LENGTH, 64).errorReply("too slow").getBytes())
      .isEqualTo(Buffer.buffer().appendInt(12).appendString("ERR too slow").getBytes());
  }
}
