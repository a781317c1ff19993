package dev.backspin.bus;

import dev.backspin.errors.ErrorKind;
import dev.backspin.errors.Failure;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Local delivery passes the reply itself; the wire form (clusters) round-trips it. */
class RemoteReplyCodecTest {

  private static final RemoteReplyCodec CODEC = new RemoteReplyCodec();

  private static RemoteReply roundTrip(RemoteReply r) {
    Buffer wire = Buffer.buffer("abc");
    CODEC.encodeToWire(wire, r);
    return CODEC.decodeFromWire(3, wire);
  }

  @Test
  void localDeliveryPassesTheSameObject() {
    RemoteReply r = new RemoteReply(new byte[0], 0, null);
    assertThat(CODEC.transform(r)).isSameAs(r);
    assertThat(CODEC.name()).isEqualTo("backspin.remote-reply");
  }

  @Test
  void roundTripsOnlyTheRepliedBytes() {
    byte[] data = "olleh\ndlrow\nunused".getBytes(StandardCharsets.ISO_8859_1);
    RemoteReply back = roundTrip(new RemoteReply(data, 12, null));
    assertThat(back.length()).isEqualTo(12);
    assertThat(back.data()).isEqualTo("olleh\ndlrow\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(back.error()).isNull();
  }

  @Test
  void roundTripsAnError() {
    RemoteReply back = roundTrip(new RemoteReply(new byte[] {'a', '\n'}, 2, Failure.invalidUtf8()));
    assertThat(back.data()).containsExactly('a', '\n');
    assertThat(back.error()).isEqualTo(Failure.invalidUtf8());
    RemoteReply empty = roundTrip(new RemoteReply(new byte[0], 0, Failure.internal()));
    assertThat(empty.data()).isEmpty();
    assertThat(empty.error()).isEqualTo(Failure.internal());
  }

  @Test
  void aKindThisBuildDoesNotKnowStillCarriesItsReason() {
    byte[] kind = "A_KIND_FROM_LATER".getBytes(StandardCharsets.UTF_8);
    byte[] reason = "something new".getBytes(StandardCharsets.UTF_8);
    Buffer wire = Buffer.buffer().appendInt(0).appendInt(kind.length).appendBytes(kind).appendInt(reason.length).appendBytes(reason);
    assertThat(CODEC.decodeFromWire(0, wire).error()).isEqualTo(new Failure(ErrorKind.OTHER, "something new"));
  }
}
