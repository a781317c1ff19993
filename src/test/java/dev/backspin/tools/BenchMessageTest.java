package dev.backspin.tools;

import dev.backspin.config.Framing;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchMessageTest {

  @Test
  void tooSmallForTheFramingIsRefused() {
    assertThatThrownBy(() -> BenchMessage.of(Framing.LENGTH, 4, BenchMessage.Expect.REVERSE, new Random()))
      .hasMessage("--size must be at least 5 for length framing, got 4");
  }

  @Test
  void aLineAndItsReversal() {
    BenchMessage m = BenchMessage.of(Framing.LINE, 8, BenchMessage.Expect.REVERSE, new Random(1));
    String req = new String(m.request(), StandardCharsets.US_ASCII);
    String rep = new String(m.reply(), StandardCharsets.US_ASCII);
    assertThat(req).hasSize(8).endsWith("\n").matches("[a-z]{7}\n");
    assertThat(rep).isEqualTo(new StringBuilder(req.substring(0, 7)).reverse() + "\n");
  }

  @Test
  void aLengthFrameEchoedKeepsItsPrefix() {
    BenchMessage m = BenchMessage.of(Framing.LENGTH, 10, BenchMessage.Expect.ECHO, new Random(1));
    assertThat(m.request()).hasSize(10).isEqualTo(m.reply());
    assertThat(m.request()[3]).isEqualTo((byte) 6);
  }
}
