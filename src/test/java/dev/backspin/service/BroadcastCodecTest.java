package dev.backspin.service;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Local delivery shares the broadcast; the wire form (clusters) round-trips it. */
class BroadcastCodecTest {

  private static final BroadcastCodec CODEC = new BroadcastCodec();

  @Test
  void localDeliveryPassesTheSameObject() {
    Broadcast b = new Broadcast("front.1", 7, new byte[0], 0, 0);
    assertThat(CODEC.transform(b)).isSameAs(b);
    assertThat(CODEC.name()).isEqualTo("backspin.broadcast");
  }

  @Test
  void roundTripsOnlyTheWholeFrames() {
    Broadcast b = new Broadcast("front.1", 7, "hi\nrest".getBytes(StandardCharsets.ISO_8859_1), 3, 1, BroadcastFronts.NONE, "node-a", 12_345_678_901L);
    Buffer wire = Buffer.buffer("p");
    CODEC.encodeToWire(wire, b);
    Broadcast back = CODEC.decodeFromWire(1, wire);
    assertThat(back.origin()).isEqualTo("front.1");
    assertThat(back.connectionId()).isEqualTo(7);
    assertThat(back.length()).isEqualTo(3);
    assertThat(back.frames()).isEqualTo(1);
    assertThat(back.data()).isEqualTo("hi\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(back.node()).isEqualTo("node-a");
    assertThat(back.offset()).isEqualTo(12_345_678_901L);
    assertThat(back.counted()).isEmpty(); // local fronts never cross the wire
  }

  @Test
  void aBroadcastOfNoNodeStaysSo() {
    Buffer wire = Buffer.buffer();
    CODEC.encodeToWire(wire, new Broadcast("front.1", 7, new byte[0], 0, 0));
    Broadcast back = CODEC.decodeFromWire(0, wire);
    assertThat(back.node()).isNull();
    assertThat(back.offset()).isEqualTo(-1);
  }
}
