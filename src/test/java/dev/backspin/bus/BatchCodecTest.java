package dev.backspin.bus;



import dev.backspin.framing.Framer;
import dev.backspin.framing.Framers;
import dev.backspin.framing.Frames;
import dev.backspin.framing.Framing;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.backspin.framing.FrameProbe.payload;
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
    Batch b = Batch.of("f", 1, new Frames(new byte[0], new int[0], 0));
    assertThat(CODEC.transform(b)).isSameAs(b);
    assertThat(CODEC.name()).isEqualTo("backspin.batch");
    assertThat(CODEC.systemCodecID()).isEqualTo((byte) -1);
  }

  @Test
  void roundTripsIdsBytesAndMarks() {
    byte[] data = "ab\r\ncd\nxx".getBytes(StandardCharsets.ISO_8859_1);
    Frames f = new Frames(data, new int[] {0, 2, 4, 4, 6, 7}, 2);
    Batch back = roundTrip(Batch.of("front.é7", Long.MAX_VALUE, f));
    assertThat(back.size()).isEqualTo(1);
    assertThat(back.connectionId(0)).isEqualTo(Long.MAX_VALUE);
    assertThat(back.frontAddress()).isEqualTo("front.é7");
    assertThat(back.frames(0).count()).isEqualTo(2);
    assertThat(back.frames(0).marks()).containsExactly(0, 2, 4, 4, 6, 7);
    // only the frames' wire bytes travel, not the held-back tail "xx"
    assertThat(back.frames(0).data()).isEqualTo(Arrays.copyOf(data, 7));
    assertThat(payload(back.frames(0), 1)).isEqualTo("cd".getBytes(StandardCharsets.ISO_8859_1));
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
    Batch back = roundTrip(Batch.of("a", -3, f));
    assertThat(back.frames(0).count()).isEqualTo(9);
    assertThat(back.frames(0).marks()).isEqualTo(f.marks());
    assertThat(back.frames(0).length()).isEqualTo(f.length());
    assertThat(back.frames(0).data()).isEqualTo(Arrays.copyOf(f.data(), f.length()));
    assertThat(back.connectionId(0)).isEqualTo(-3);
  }

  @Test
  void roundTripsNullAddressesAndAnEmptyBatch() {
    Batch back = roundTrip(Batch.of(null, 0, new Frames(new byte[0], new int[0], 0)));
    assertThat(back.frontAddress()).isNull();
    assertThat(back.frames(0).count()).isZero();
    assertThat(back.frames(0).length()).isZero();
    assertThat(roundTrip(new Batch("f")).size()).isZero();
  }

  @Test
  void roundTripsTheReadsOfManyConnectionsInOrder() {
    Batch b = new Batch("front.1");
    for (int i = 0; i < 100; i++) {
      byte[] data = ("line " + i + "\n").getBytes(StandardCharsets.US_ASCII);
      b.add(1000 - i, "__vertx.net.s" + i, new Frames(data, new int[] {0, data.length - 1, data.length}, 1));
    }
    Batch back = roundTrip(b);
    assertThat(back.size()).isEqualTo(100);
    for (int i = 0; i < 100; i++) {
      assertThat(back.connectionId(i)).isEqualTo(1000 - i);
      assertThat(payload(back.frames(i), 0)).isEqualTo(("line " + i).getBytes(StandardCharsets.US_ASCII));
      // a writeHandlerID is a local address: another node could not write to it
      assertThat(back.socket(i)).isNull();
    }
    assertThat(b.socket(7)).isEqualTo("__vertx.net.s7");
  }
}
