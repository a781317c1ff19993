package dev.backspin.front;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void deliveriesJoinInOrderIntoOneBuffer() {
    Outbox o = new Outbox();
    assertThat(o.isEmpty()).isTrue();
    assertThat(o.capacity()).isZero();
    o.append(b("a\nzz"), 2); // only [0, length) is owed
    o.append(b("bc\n"), 3);
    assertThat(o.length()).isEqualTo(5);
    assertThat(o.take().toString(StandardCharsets.US_ASCII)).isEqualTo("a\nbc\n");
    assertThat(o.isEmpty()).isTrue();
    assertThat(o.capacity()).as("its array went with the buffer").isZero();
  }

  @Test
  void manyTinyDeliveriesCostOneArrayOfAboutTheirSize() {
    Outbox o = new Outbox();
    for (int i = 0; i < 100_000; i++) {
      o.append(b("x\n"), 2);
    }
    assertThat(o.length()).isEqualTo(200_000);
    assertThat(o.capacity()).isBetween(200_000, 400_000);
  }

  @Test
  void takenBytesAreNotTouchedByLaterDeliveries() {
    Outbox o = new Outbox();
    o.append(b("one\n"), 4);
    var first = o.take();
    o.append(b("two\n"), 4);
    assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo("one\n");
    assertThat(o.take().toString(StandardCharsets.US_ASCII)).isEqualTo("two\n");
  }
}
