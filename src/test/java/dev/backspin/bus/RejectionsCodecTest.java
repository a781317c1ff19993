package dev.backspin.bus;

import dev.backspin.errors.ErrorKind;
import dev.backspin.errors.Failure;



import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Local delivery passes the rejections themselves; the wire form (clusters) round-trips them. */
class RejectionsCodecTest {

  private static final RejectionsCodec CODEC = new RejectionsCodec();

  private static Rejections roundTrip(Rejections r) {
    Buffer wire = Buffer.buffer("xy");
    CODEC.encodeToWire(wire, r);
    return CODEC.decodeFromWire(2, wire);
  }

  @Test
  void localDeliveryPassesTheSameObject() {
    Rejections r = new Rejections();
    assertThat(CODEC.transform(r)).isSameAs(r);
    assertThat(CODEC.name()).isEqualTo("backspin.rejections");
  }

  @Test
  void roundTripsEveryEntryInOrder() {
    Rejections r = new Rejections();
    // more than the initial room of four, so the arrays grow
    for (int i = 0; i < 10; i++) {
      r.add(Long.MIN_VALUE + i, i * 10, new Failure(ErrorKind.values()[i % ErrorKind.values().length], "invalid UTF-8 #" + i + " é"));
    }
    Rejections back = roundTrip(r);
    assertThat(back.size()).isEqualTo(10);
    for (int i = 0; i < 10; i++) {
      assertThat(back.connectionId(i)).isEqualTo(Long.MIN_VALUE + i);
      assertThat(back.unansweredBytes(i)).isEqualTo(i * 10);
      assertThat(back.failure(i)).isEqualTo(new Failure(ErrorKind.values()[i % ErrorKind.values().length], "invalid UTF-8 #" + i + " é"));
    }
  }

  @Test
  void roundTripsNone() {
    assertThat(roundTrip(new Rejections()).size()).isZero();
  }
}
