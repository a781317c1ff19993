package dev.backspin.work;

import dev.backspin.framing.Framer;
import dev.backspin.framing.Framers;
import dev.backspin.framing.Frames;
import dev.backspin.config.Framing;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Local delivery passes the batch itself; the wire form (clusters) round-trips it. */
class BatchCodecTest {

  private static final BatchCodec CODEC = new BatchCodec();

  private static Batch roundTrip(Batch b) {
    Buffer wire = Buffer.buffer("pad");
    CODEC.encodeToWire(wire, b);
    return CODEC.decodeFromWire(3, wire);
  }

  @Test
  void localDeliveryPassesTheSameObject() {
    Batch b = new Batch(1, "h", "f", new Frames(new byte[0], new int[0], 0));
    assertThat(CODEC.transform(b)).isSameAs(b);
    assertThat(CODEC.name()).isEqualTo("backspin.batch");
    assertThat(CODEC.systemCodecID()).isEqualTo((byte) -1);
  }

  @Test
  void roundTripsIdsBytesAndMarks() {
    byte[] data = "ab\r\ncd\nxx".getBytes(StandardCharsets.ISO_8859_1);
    Frames f = new Frames(data, new int[] {0, 2, 4, 4, 6, 7}, 2);
    Batch back = roundTrip(new Batch(Long.MAX_VALUE, "__vertx.net.é1", "front.7", f));
    assertThat(back.connectionId()).isEqualTo(Long.MAX_VALUE);
    assertThat(back.writeHandlerID()).isEqualTo("__vertx.net.é1");
    assertThat(back.frontAddress()).isEqualTo("front.7");
    assertThat(back.frames().count()).isEqualTo(2);
    assertThat(back.frames().marks()).containsExactly(0, 2, 4, 4, 6, 7);
    // only the frames' wire bytes travel, not the held-back tail "xx"
    assertThat(back.frames().data()).isEqualTo(Arrays.copyOf(data, 7));
    assertThat(back.frames().payload(1)).isEqualTo("cd".getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void roundTripsABatchAFramerMade() throws Exception {
    Framer framer = Framers.create(Framing.LENGTH, 70_000);
    Buffer in = Buffer.buffer();
    // marks past 255 and 65535, so no byte of an encoded mark may be lost
    for (int i = 0; i < 9; i++) {
      in.appendInt(1000 * i * i).appendString("x".repeat(1000 * i * i));
    }
    Frames f = framer.feed(in.appendInt(5));
    Batch back = roundTrip(new Batch(-3, "w", "a", f));
    assertThat(back.frames().count()).isEqualTo(9);
    assertThat(back.frames().marks()).isEqualTo(f.marks());
    assertThat(back.frames().length()).isEqualTo(f.length());
    assertThat(back.frames().data()).isEqualTo(Arrays.copyOf(f.data(), f.length()));
    assertThat(back.connectionId()).isEqualTo(-3);
  }

  @Test
  void roundTripsNullAddressesAndAnEmptyBatch() {
    Batch back = roundTrip(new Batch(0, null, null, new Frames(new byte[0], new int[0], 0)));
    assertThat(back.writeHandlerID()).isNull();
    assertThat(back.frontAddress()).isNull();
    assertThat(back.frames().count()).isZero();
    assertThat(back.frames().length()).isZero();
  }
}
