package dev.backspin.framing;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RawFramerTest {

  @Test
  void oversizeReadIsRejectedFirst() {
    assertThatThrownBy(() -> new RawFramer(4).feed(Buffer.buffer("12345")))
      .isInstanceOf(FrameException.class).hasMessage("frame too large (max 4 bytes)");
  }

  @Test
  void eachReadIsOneFrameWhateverItHolds() throws Exception {
    RawFramer f = new RawFramer(64);
    Frames a = f.feed(Buffer.buffer("ab\ncd"));
    assertThat(a.count()).isEqualTo(1);
    assertThat(new String(a.payload(0))).isEqualTo("ab\ncd");
    assertThat(f.feed(Buffer.buffer("e")).payload(0)).isEqualTo(new byte[] {'e'});
    assertThat(f.pendingBytes()).isZero();
  }

  @Test
  void anEmptyReadIsNoFrame() throws Exception {
    assertThat(new RawFramer(64).feed(Buffer.buffer())).isNull();
  }

  @Test
  void errorIsALine() {
    assertThat(new RawFramer(64).errorReply("x").toString()).isEqualTo("ERR x\n");
  }
}
