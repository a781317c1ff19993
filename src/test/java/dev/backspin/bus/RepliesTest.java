package dev.backspin.bus;



import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RepliesTest {

  private static final RepliesCodec CODEC = new RepliesCodec();

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void consecutiveRepliesToOneConnectionJoinIntoOneWrite() {
    Replies r = new Replies();
    r.add(7, b("olleh\nxx"), 6);
    r.add(7, b("dlrow\n"), 6);
    r.add(8, b("a\n"), 2);
    r.add(7, b("b\n"), 2); // not consecutive: a write of its own, after 8's
    assertThat(r.size()).isEqualTo(3);
    assertThat(r.connectionId(0)).isEqualTo(7);
    assertThat(r.reply(0).toString()).isEqualTo("olleh\ndlrow\n");
    assertThat(r.length(0)).isEqualTo(12);
    assertThat(r.reply(1).toString()).isEqualTo("a\n");
    assertThat(r.connectionId(2)).isEqualTo(7);
    assertThat(r.reply(2).toString()).isEqualTo("b\n");
  }

  @Test
  void aReplyIsNotACopy() {
    byte[] data = b("abc\n");
    Replies r = new Replies();
    r.add(1, data, 4);
    data[0] = 'z';
    assertThat(r.reply(0).toString()).isEqualTo("zbc\n");
  }

  @Test
  void growsPastItsFirstArrays() {
    Replies r = new Replies();
    for (int i = 0; i < 1000; i++) {
      r.add(i / 3, b(i + "\n"), (i + "\n").length());
    }
    assertThat(r.size()).isEqualTo(334);
    assertThat(r.reply(333).toString()).isEqualTo("999\n");
    assertThat(r.reply(1).toString()).isEqualTo("3\n4\n5\n");
  }

  @Test
  void codecPassesLocallyAndRoundTripsOnTheWire() {
    Replies r = new Replies();
    r.add(-1, b("ab\n"), 3);
    r.add(-1, b("cd\nzz"), 3);
    r.add(Long.MAX_VALUE, b(""), 0);
    assertThat(CODEC.transform(r)).isSameAs(r);
    Buffer wire = Buffer.buffer("pad");
    CODEC.encodeToWire(wire, r);
    Replies back = CODEC.decodeFromWire(3, wire);
    assertThat(back.size()).isEqualTo(2);
    assertThat(back.connectionId(0)).isEqualTo(-1);
    assertThat(back.reply(0).toString()).isEqualTo("ab\ncd\n");
    assertThat(back.connectionId(1)).isEqualTo(Long.MAX_VALUE);
    assertThat(back.length(1)).isZero();
  }
}
