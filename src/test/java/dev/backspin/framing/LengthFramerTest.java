package dev.backspin.framing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.backspin.framing.FramerHarness.everySplit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LengthFramerTest {

  @Test
  void oversizePrefixIsRejectedFirstAndAtOnce() {
    // only the prefix has arrived: no need to wait for the payload
    assertThatThrownBy(() -> new LengthFramer(8).feed(Buffer.buffer().appendInt(9)))
      .isInstanceOf(FrameException.class).hasMessage("frame too large: 9 bytes (max 8)");
  }

  @Test
  void negativePrefixIsABadPrefix() {
    assertThatThrownBy(() -> new LengthFramer(8).feed(Buffer.buffer().appendInt(-1)))
      .isInstanceOf(FrameException.class).hasMessage("bad length prefix 4294967295");
  }

  @Test
  void framesAtEverySplit() throws Exception {
    Buffer in = Buffer.buffer().appendInt(3).appendString("abc").appendInt(0).appendInt(5).appendString("hello");
    everySplit(() -> new LengthFramer(64), in.getBytes(), List.of("abc", "", "hello"), in.getBytes());
  }

  @Test
  void payloadBoundsSkipThePrefix() throws Exception {
    Frames f = new LengthFramer(64).feed(Buffer.buffer().appendInt(2).appendString("hi").appendInt(1));
    assertThat(f.count()).isEqualTo(1);
    assertThat(f.payloadStart(0)).isEqualTo(4);
    assertThat(f.payloadEnd(0)).isEqualTo(6);
    assertThat(f.length()).isEqualTo(6);
  }

  @Test
  void errorIsALengthFrame() {
    Buffer err = new LengthFramer(64).errorReply("bad");
    assertThat(err.getInt(0)).isEqualTo(7);
    assertThat(err.getString(4, err.length())).isEqualTo("ERR bad");
  }
}
