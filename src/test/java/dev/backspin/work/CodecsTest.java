package dev.backspin.work;

import dev.backspin.framing.Frames;
import dev.backspin.service.Broadcast;
import dev.backspin.service.BroadcastCodec;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Local delivery passes objects through; the wire form (clusters) round-trips them. */
class CodecsTest {

  @Test
  void batchRoundTrips() {
    byte[] data = "ab\ncd\nxx".getBytes();
    Frames f = new Frames(data, new int[] {0, 2, 3, 3, 5, 6}, 2);
    Batch b = new Batch(42, "__vertx.net.1", "front.7", f);
    BatchCodec codec = new BatchCodec();
    assertThat(codec.transform(b)).isSameAs(b);
    Buffer wire = Buffer.buffer("pad");
    codec.encodeToWire(wire, b);
    Batch back = codec.decodeFromWire(3, wire);
    assertThat(back.connectionId()).isEqualTo(42);
    assertThat(back.writeHandlerID()).isEqualTo("__vertx.net.1");
    assertThat(back.frontAddress()).isEqualTo("front.7");
    assertThat(back.frames().count()).isEqualTo(2);
    assertThat(back.frames().length()).isEqualTo(6);
    assertThat(new String(back.frames().payload(1))).isEqualTo("cd");
  }

  @Test
  void rejectionsRoundTrip() {
    Rejections r = new Rejections();
    for (int i = 0; i < 10; i++) {
      r.add(i, i * 10, i % 2 == 0 ? "invalid UTF-8" : null);
    }
    RejectionsCodec codec = new RejectionsCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, r);
    Rejections back = codec.decodeFromWire(0, wire);
    assertThat(back.size()).isEqualTo(10);
    assertThat(back.unansweredBytes(9)).isEqualTo(90);
    assertThat(back.reason(8)).isEqualTo("invalid UTF-8");
    assertThat(back.reason(9)).isNull();
  }

  @Test
  void broadcastRoundTrips() {
    Broadcast b = new Broadcast("front.1", 7, "hi\nrest".getBytes(), 3);
    BroadcastCodec codec = new BroadcastCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, b);
    Broadcast back = codec.decodeFromWire(0, wire);
    assertThat(back.origin()).isEqualTo("front.1");
    assertThat(back.connectionId()).isEqualTo(7);
    assertThat(new String(back.data(), 0, back.length())).isEqualTo("hi\n");
  }
}
