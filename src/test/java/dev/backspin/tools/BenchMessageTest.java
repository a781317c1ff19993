package dev.backspin.tools;

import dev.backspin.framing.Framing;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchMessageTest {

  private static String ascii(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  @Test
  void tooSmallForTheFramingIsRefused() {
    assertThatThrownBy(() -> BenchMessage.of(Framing.LENGTH, 4, BenchMessage.Expect.REVERSE, new Random()))
      .hasMessage("--size must be at least 5 for length framing, got 4");
  }

  @Test
  void aLineAndItsReversalCarryTheStamp() {
    BenchMessage m = BenchMessage.of(Framing.LINE, 20, BenchMessage.Expect.REVERSE, new Random(1));
    // connection 1 = "B" as its first letter, sequence 27 = 1·26 + 1: "BB", least significant first
    String req = ascii(m.request(1, 27));
    assertThat(req).hasSize(20).startsWith("BBAAAAAABAAA").matches("[A-Z]{12}[a-z]{7}\n");
    assertThat(ascii(m.reply(1, 27))).isEqualTo(new StringBuilder(req.substring(0, 19)).reverse() + "\n");
  }

  @Test
  void everyMessageIsDifferentButTheSameSize() {
    BenchMessage m = BenchMessage.of(Framing.LINE, 64, BenchMessage.Expect.REVERSE, new Random(1));
    assertThat(m.request(0, 0)).isNotEqualTo(m.request(0, 1)).isNotEqualTo(m.request(1, 0)).hasSize(64);
    assertThat(m.reply(0, 0)).isNotEqualTo(m.reply(0, 1)).isNotEqualTo(m.reply(1, 0)).hasSize(64);
    assertThat(m.size()).isEqualTo(64);
  }

  @Test
  void theHeadAndTheSharedTailMakeTheRequest() {
    BenchMessage m = BenchMessage.of(Framing.LENGTH, 100, BenchMessage.Expect.ECHO, new Random(3));
    byte[] head = m.head(7, 12345);
    byte[] whole = new byte[head.length + m.tail().length];
    System.arraycopy(head, 0, whole, 0, head.length);
    System.arraycopy(m.tail(), 0, whole, head.length, m.tail().length);
    assertThat(whole).isEqualTo(m.request(7, 12345));
    assertThat(head).hasSize(4 + BenchMessage.STAMP_LETTERS);
  }

  @Test
  void aLengthFrameEchoedKeepsItsPrefix() {
    BenchMessage m = BenchMessage.of(Framing.LENGTH, 10, BenchMessage.Expect.ECHO, new Random(1));
    assertThat(m.request(0, 5)).hasSize(10).isEqualTo(m.reply(0, 5));
    assertThat(m.request(0, 5)[3]).isEqualTo((byte) 6);
  }

  @Test
  void aPayloadShorterThanTheStampCarriesItsLowLetters() {
    BenchMessage m = BenchMessage.of(Framing.LENGTH, 7, BenchMessage.Expect.REVERSE, new Random(1));
    // 3 letters of payload: the sequence number modulo 26^3
    assertThat(ascii(Arrays.copyOfRange(m.request(0, 1 + 2 * 26), 4, 7))).isEqualTo("BCA");
    assertThat(ascii(Arrays.copyOfRange(m.reply(0, 1 + 2 * 26), 4, 7))).isEqualTo("ACB");
    assertThat(m.request(0, 1)).isNotEqualTo(m.request(0, 2));
  }

  @Test
  void neverTheLineExit() {
    BenchMessage m = BenchMessage.of(Framing.LINE, 5, BenchMessage.Expect.REVERSE, new Random(1));
    for (long seq = 0; seq < 26 * 26 * 26 * 26; seq += 997) {
      assertThat(ascii(m.request(0, seq))).matches("[A-Z]{4}\n");
    }
  }
}
