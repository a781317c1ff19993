package dev.backspin.bus;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BufferCodecTest {

  private static final BufferCodec CODEC = new BufferCodec();

  @Test
  void localDeliveryHandsOverTheSameBuffer() {
    Buffer b = Buffer.buffer("olleh\n");
    assertThat(CODEC.transform(b)).isSameAs(b);
    assertThat(CODEC.name()).isEqualTo("backspin.buffer");
  }

  @Test
  void theWireFormIsTheBytes() {
    Buffer wire = Buffer.buffer("pad");
    CODEC.encodeToWire(wire, Buffer.buffer("olleh\n"));
    CODEC.encodeToWire(wire, Buffer.buffer());
    assertThat(CODEC.decodeFromWire(3, wire).toString()).isEqualTo("olleh\n");
    assertThat(CODEC.decodeFromWire(13, wire).length()).isZero();
  }
}
